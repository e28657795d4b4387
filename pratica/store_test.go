package pratica_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

func newPratica(t *testing.T, st *pratica.Store, id string) {
	t.Helper()
	err := st.Create(context.Background(), &pratica.Pratica{ID: id, Ente: "c_l424", Service: "c_l424.generica",
		Template: "richiesta-generica@1", TemplateHash: "h", Owner: "RSSMRA80A01L424X", Status: pratica.Submitted, Data: pratica.JSON(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRecordIsIdempotentAndOrdered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := pratica.NewStore(db)
		newPratica(t, st, "p1")
		at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		open := pratica.Transition{PraticaID: "p1", Seq: 1, At: at, Kind: "task_opened", Status: pratica.Registered, Step: "ack",
			Holder: "stato-civile", Office: "stato-civile", Actions: []string{"acknowledge"},
			OpenTask: &pratica.Task{Ente: "c_l424", Step: "ack", Role: "operator", Office: "stato-civile", Outcomes: []string{"acknowledge"}}}
		for i := 0; i < 3; i++ { // a retried activity writes the same seq again
			applied, err := st.Record(ctx, open)
			if err != nil {
				t.Fatal(err)
			}
			if applied != (i == 0) {
				t.Fatalf("attempt %d: applied = %v", i, applied)
			}
		}
		done := pratica.Transition{PraticaID: "p1", Seq: 2, At: at.Add(time.Minute), Kind: "completed", Status: pratica.Completed,
			Step: "end", Outcome: "accepted", CloseTask: "ack", Detail: map[string]any{"outcome": "acknowledge"}}
		if _, err := st.Record(ctx, done); err != nil {
			t.Fatal(err)
		}
		// A late duplicate of seq 1 must not move the row back.
		if applied, err := st.Record(ctx, open); err != nil || applied {
			t.Fatalf("late duplicate: applied=%v err=%v", applied, err)
		}
		p, err := st.Get(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != pratica.Completed || p.StatusCode != 7000 || p.Outcome != "accepted" {
			t.Errorf("pratica = %s/%d/%s, want completed/7000/accepted", p.Status, p.StatusCode, p.Outcome)
		}
		ev, err := st.Timeline(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range ev {
			kinds = append(kinds, e.Kind)
		}
		if diff := cmp.Diff([]string{"task_opened", "completed"}, kinds); diff != "" {
			t.Errorf("timeline (-want +got):\n%s", diff)
		}
		tasks, err := st.Tasks(ctx, pratica.TaskFilter{Ente: "c_l424", States: []string{pratica.TaskDone}})
		if err != nil {
			t.Fatal(err)
		}
		if len(tasks) != 1 || tasks[0].Outcome != "acknowledge" {
			t.Errorf("done tasks = %+v", tasks)
		}
	})
}

// TestRecordMovesTasks: a transition carrying task changes (claim,
// reassignment, escalation) moves the open task row: office, assignee, state.
func TestRecordMovesTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := pratica.NewStore(db)
		newPratica(t, st, "p2")
		steps := []pratica.Transition{
			{PraticaID: "p2", Seq: 1, Kind: "task_opened", Status: pratica.Registered,
				OpenTask: &pratica.Task{Ente: "c_l424", Step: "ack", Role: "operator", Office: "stato-civile"}},
			{PraticaID: "p2", Seq: 2, Kind: "taken_in_charge", Status: pratica.InCharge,
				Tasks: []pratica.TaskChange{{Step: "ack", Office: "stato-civile", ClaimedBy: "op-a"}}},
			{PraticaID: "p2", Seq: 3, Kind: "reassigned", Status: pratica.InCharge,
				Tasks: []pratica.TaskChange{{Step: "ack", Office: "protocollo"}}},
		}
		want := []string{"stato-civile//open", "stato-civile/op-a/claimed", "protocollo//open"}
		for i, tr := range steps {
			if _, err := st.Record(ctx, tr); err != nil {
				t.Fatal(err)
			}
			tasks, err := st.OpenTasks(ctx, "p2")
			if err != nil || len(tasks) != 1 {
				t.Fatalf("open tasks = %+v %v", tasks, err)
			}
			if got := tasks[0].Office + "/" + tasks[0].ClaimedBy + "/" + tasks[0].State; got != want[i] {
				t.Errorf("after %s: task = %s, want %s", tr.Kind, got, want[i])
			}
		}
		if _, err := st.Get(ctx, "nope"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("get missing = %v, want not_found", err)
		}
	})
}
