package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

// newStoreHarness is a harness whose transitions go to the real projection on
// db (the inbox rows are what these tests look at); the outside systems are the fakes.
func newStoreHarness(t *testing.T, db *gorm.DB, p *modeler.Plan) (*harness, *pratica.Store) {
	t.Helper()
	st := pratica.NewStore(db)
	if err := st.Create(context.Background(), &pratica.Pratica{ID: "p-1", Ente: "c_l424", Service: "c_l424.matrimonio",
		Template: "matrimonio@1", Owner: citizen.Subject, Status: pratica.Submitted, Data: pratica.JSON(`{}`)}); err != nil {
		t.Fatal(err)
	}
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	f := &fakes{plan: p, invalidData: map[string]bool{}}
	worker.Register(env, worker.Deps{Pratiche: &activities.Activities{Projection: st, Plans: f, Payments: f, Messages: f, Ledger: f, Forms: f}})
	env.SetStartTime(time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome))
	return &harness{t: t, env: env, f: f}, st
}

// inbox is what GET /api/tasks shows an operator of office: "step@office/claimedBy/state".
func inbox(t *testing.T, st *pratica.Store, office string) []string {
	t.Helper()
	tasks, err := st.Tasks(context.Background(), pratica.TaskFilter{Ente: "c_l424", Office: office})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, x := range tasks {
		out = append(out, x.Step+"@"+x.Office+"/"+x.ClaimedBy+"/"+x.State)
	}
	return out
}

// at runs check inside the workflow's time, after delay.
func (h *harness) at(delay time.Duration, check func()) { h.env.RegisterDelayedCallback(check, delay) }

// TestEscalationMovesTheInboxRow: when the legal term expires the task goes to
// the office of the potere sostitutivo in the projection too, so that office
// sees it, can take it in charge and complete it, and the old office no longer sees it.
func TestEscalationMovesTheInboxRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		dl := step("termine", modeler.StepDeadline, "esame")
		dl.Deadline = &modeler.Deadline{Days: 3, OnExpiry: "escalate"}
		h, st := newStoreHarness(t, db, plan(formStep("termine"), dl, taskStep("esame",
			modeler.Outcome{Action: "approve", Label: modeler.Text{IT: "Approvata"}, Next: "fine"}), endStep("fine", "accepted")))
		secretary := workflows.Actor{Subject: "segretario", Role: "operator", Ente: "c_l424", Office: "segretario-comunale"}
		var before, after, claimed struct{ old, sub []string }
		h.at(time.Hour, func() { before.old, before.sub = inbox(t, st, "stato-civile"), inbox(t, st, "segretario-comunale") })
		h.at(5*24*time.Hour, func() { after.old, after.sub = inbox(t, st, "stato-civile"), inbox(t, st, "segretario-comunale") })
		take := h.actOn(5*24*time.Hour+time.Minute, secretary, "take_charge", "esame")
		h.at(5*24*time.Hour+2*time.Minute, func() { claimed.sub = inbox(t, st, "segretario-comunale") })
		approve := h.actOn(5*24*time.Hour+3*time.Minute, secretary, "approve", "esame")
		if got := h.run(nil); got != "accepted" {
			t.Fatalf("outcome = %q", got)
		}
		if take.rejected != nil || take.err != nil || approve.rejected != nil || approve.err != nil {
			t.Fatalf("take = %+v, approve = %+v", take, approve)
		}
		for _, c := range []struct {
			name      string
			got, want []string
		}{
			{"before: old office", before.old, []string{"esame@stato-civile//open"}},
			{"before: substitute", before.sub, nil},
			{"after expiry: old office", after.old, nil},
			{"after expiry: substitute", after.sub, []string{"esame@segretario-comunale//open"}},
			{"after take charge", claimed.sub, []string{"esame@segretario-comunale/segretario/claimed"}},
			{"after approve", inbox(t, st, ""), nil},
		} {
			if diff := cmp.Diff(c.want, c.got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.name, diff)
			}
		}
	})
}

// TestTakeChargeAndReassignReachTheInbox: taking charge and reassigning are
// updates of the workflow whose transitions move the inbox row.
func TestTakeChargeAndReassignReachTheInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, st := newStoreHarness(t, db, genericPlan())
		prot := workflows.Actor{Subject: "op-prot", Role: "operator", Ente: "c_l424", Office: "protocollo"}
		other := workflows.Actor{Subject: "op-2", Role: "operator", Ente: "c_l424", Office: "stato-civile"}
		var claimed, moved struct{ old, prot []string }
		take := h.actOn(time.Hour, operator, "take_charge", "presa")
		h.at(time.Hour+time.Minute, func() { claimed.old = inbox(t, st, "stato-civile") })
		stolen := h.actOn(2*time.Hour, other, "acknowledge", "presa")
		move := h.act(3*time.Hour, operator, "reassign", map[string]any{"office": "protocollo"}, "competenza")
		h.at(3*time.Hour+time.Minute, func() { moved.old, moved.prot = inbox(t, st, "stato-civile"), inbox(t, st, "protocollo") })
		h.actOn(4*time.Hour, prot, "take_charge", "presa")
		ack := h.actOn(5*time.Hour, prot, "acknowledge", "presa")
		h.run(nil)
		if take.rejected != nil || move.rejected != nil || ack.rejected != nil || ack.err != nil {
			t.Fatalf("take = %+v, move = %+v, ack = %+v", take, move, ack)
		}
		if stolen.rejected == nil {
			t.Error("another operator completed a task taken in charge by someone else")
		}
		if diff := cmp.Diff([]string{"presa@stato-civile/op-trieste/claimed"}, claimed.old); diff != "" {
			t.Errorf("after take charge (-want +got):\n%s", diff)
		}
		if len(moved.old) != 0 {
			t.Errorf("the old office still sees the reassigned task: %v", moved.old)
		}
		if diff := cmp.Diff([]string{"presa@protocollo//open"}, moved.prot); diff != "" {
			t.Errorf("the new office's inbox (-want +got):\n%s", diff)
		}
	})
}

// TestUpdateForATaskNotOpenIsRefused: an action naming a task that is not open
// is refused by the validator (not_allowed), never a panic of the handler.
func TestUpdateForATaskNotOpenIsRefused(t *testing.T) {
	h := newHarness(t, genericPlan())
	var outs []*outcome
	for i, action := range []string{"take_charge", "reassign", "acknowledge"} {
		outs = append(outs, h.actOnData(time.Duration(i+1)*time.Minute, operator, action, "nessuna", map[string]any{"office": "protocollo"}))
	}
	h.act(time.Hour, operator, "acknowledge", nil, "")
	if got := h.run(nil); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	for i, o := range outs {
		if o.rejected == nil || allowedOf(o.rejected) == nil {
			t.Errorf("action %d on a task that is not open = %+v, want refused as not_allowed", i, o)
		}
	}
}

// actOn sends an action on the task of step after delay.
func (h *harness) actOn(delay time.Duration, a workflows.Actor, action, task string) *outcome {
	return h.actOnData(delay, a, action, task, nil)
}

func (h *harness) actOnData(delay time.Duration, a workflows.Actor, action, task string, data map[string]any) *outcome {
	return h.send(delay, workflows.ActionRequest{Action: action, Actor: a, Task: task, Data: data})
}

// TestTakeChargeFindsTheActorsTask: with two tasks open in two offices, taking
// charge without naming the task takes the one of the actor's office; a pratica
// started before tasks-v2 keeps the old choice (the first task), so its replay
// is unchanged, and the validator refuses what the actor may not work.
func TestTakeChargeFindsTheActorsTask(t *testing.T) {
	for _, v2 := range []bool{true, false} {
		par := step("insieme", modeler.StepParallel, "fine")
		par.Parallel = &modeler.ParallelStep{Branches: []string{"a", "b"}}
		a := taskStep("a", modeler.Outcome{Action: "ok_a", Label: modeler.Text{IT: "A"}})
		b := taskStep("b", modeler.Outcome{Action: "ok_b", Label: modeler.Text{IT: "B"}})
		b.Task.Office = "protocollo"
		h := newHarness(t, plan(formStep("insieme"), par, a, b, endStep("fine", "accepted")))
		if !v2 {
			h.env.OnGetVersion("tasks-v2", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
		}
		prot := workflows.Actor{Subject: "op-prot", Role: "operator", Ente: "c_l424", Office: "protocollo"}
		take := h.act(time.Hour, prot, "take_charge", nil, "")
		h.act(2*time.Hour, operator, "ok_a", nil, "")
		h.act(3*time.Hour, prot, "ok_b", nil, "")
		h.run(nil)
		var moved []pratica.TaskChange
		for _, tr := range h.f.transitions {
			if tr.Kind == "taken_in_charge" {
				moved = tr.Tasks
			}
		}
		if v2 {
			want := []pratica.TaskChange{{Step: "b", Office: "protocollo", ClaimedBy: "op-prot"}}
			if take.rejected != nil || !cmp.Equal(want, moved) {
				t.Errorf("v2: take = %+v, moved %+v", take, moved)
			}
		} else if take.rejected == nil {
			t.Errorf("before tasks-v2: take charge of another office's task accepted: %+v", moved)
		}
	}
}
