package pratica_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

var applicants = []string{"Mario Rossi", "Giulia Bianchi", "Luca Ferrari", "Anna Rossini", "Marco Colombo", "Sara Ricci", "Ivan Kralj"}

// seedInbox writes n pratiche with one task each, spread over two enti, three
// services, two offices, every task state and deadlines past, future and none.
func seedInbox(t *testing.T, db *gorm.DB, n int, base time.Time) []pratica.Task {
	t.Helper()
	ps := make([]pratica.Pratica, 0, n)
	ts := make([]pratica.Task, 0, n)
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012d", i*2654435761%(1<<32), i)
		ente := "c_l424"
		if i%10 == 0 {
			ente = "c_f081"
		}
		svc := []string{"c_l424.matrimonio", "c_l424.richiesta-generica", "c_l424.tari"}[i%3]
		ps = append(ps, pratica.Pratica{ID: id, Ente: ente, Service: svc, Template: "t@1", Owner: "RSSMRA80A01L424F",
			Status: pratica.Registered, Data: pratica.JSON(`{}`), Actions: pratica.Strings{}, CreatedAt: base, UpdatedAt: base})
		state := pratica.TaskOpen
		switch {
		case i%7 == 0:
			state = pratica.TaskDone
		case i%5 == 0:
			state = pratica.TaskClaimed
		}
		var deadline *time.Time
		if i%11 != 0 {
			d := base.Add(time.Duration(i*37%200-50) * 24 * time.Hour)
			deadline = &d
		}
		created := base.Add(time.Duration(i) * time.Minute)
		ts = append(ts, pratica.Task{ID: fmt.Sprintf("t%06d", i), PraticaID: id, Ente: ente, Step: "esame", Service: svc,
			Applicant: applicants[i%len(applicants)], Role: "operator", Office: []string{"stato-civile", "protocollo"}[i%2],
			Outcomes: pratica.Strings{"approve"}, State: state, Deadline: deadline, OpenedSeq: 1, CreatedAt: created, UpdatedAt: created})
	}
	if err := db.CreateInBatches(ps, 500).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.CreateInBatches(ts, 500).Error; err != nil {
		t.Fatal(err)
	}
	return ts
}

// want filters and sorts the seeded tasks as the inbox must, in Go.
func want(all []pratica.Task, keep func(pratica.Task) bool, less func(a, b pratica.Task) bool) []string {
	var out []pratica.Task
	for _, t := range all {
		if t.Ente == "c_l424" && keep(t) {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	ids := make([]string, len(out))
	for i, t := range out {
		ids[i] = t.ID
	}
	return ids
}

func live(t pratica.Task) bool { return t.State == pratica.TaskOpen || t.State == pratica.TaskClaimed }

func byDeadline(a, b pratica.Task) bool {
	switch {
	case a.Deadline == nil && b.Deadline == nil:
	case a.Deadline == nil:
		return false
	case b.Deadline == nil:
		return true
	case !a.Deadline.Equal(*b.Deadline):
		return a.Deadline.Before(*b.Deadline)
	}
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.Before(b.CreatedAt)
	}
	return a.ID < b.ID
}

// TestInboxAtVolume checks filters, sort, search and paging of the inbox on
// a few thousand tasks, against the same selection made in Go.
func TestInboxAtVolume(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		all := seedInbox(t, db, 3000, base)
		st := pratica.NewStore(db)
		now := base.Add(40 * 24 * time.Hour)
		ids := func(f pratica.TaskFilter) []string {
			t.Helper()
			f.Ente = "c_l424"
			if f.Limit == 0 {
				f.Limit = 500
			}
			var out []string
			for {
				page, err := st.Tasks(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range page {
					out = append(out, x.ID)
				}
				if len(page) < f.Limit {
					break
				}
				f.Offset += f.Limit
			}
			n, err := st.CountTasks(ctx, f)
			if err != nil || int(n) != len(out) {
				t.Errorf("count = %d %v, listed %d", n, err, len(out))
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    pratica.TaskFilter
			want []string
		}{
			{"default: live tasks by deadline", pratica.TaskFilter{Limit: 37}, want(all, live, byDeadline)},
			{"one service", pratica.TaskFilter{Service: "c_l424.tari"},
				want(all, func(x pratica.Task) bool { return live(x) && x.Service == "c_l424.tari" }, byDeadline)},
			{"one office (and the unassigned)", pratica.TaskFilter{Office: "protocollo"},
				want(all, func(x pratica.Task) bool { return live(x) && x.Office == "protocollo" }, byDeadline)},
			{"claimed only", pratica.TaskFilter{States: []string{pratica.TaskClaimed}},
				want(all, func(x pratica.Task) bool { return x.State == pratica.TaskClaimed }, byDeadline)},
			{"overdue", pratica.TaskFilter{OverdueAt: &now},
				want(all, func(x pratica.Task) bool { return live(x) && x.Deadline != nil && x.Deadline.Before(now) }, byDeadline)},
			{"search a name, any case", pratica.TaskFilter{Search: "ROSS"},
				want(all, func(x pratica.Task) bool { return live(x) && strings.Contains(strings.ToLower(x.Applicant), "ross") }, byDeadline)},
			{"search a pratica id", pratica.TaskFilter{Search: all[1].PraticaID[:13]},
				want(all, func(x pratica.Task) bool { return live(x) && strings.HasPrefix(x.PraticaID, all[1].PraticaID[:13]) }, byDeadline)},
			{"a wildcard is searched as text", pratica.TaskFilter{Search: "%"}, nil},
			{"newest first", pratica.TaskFilter{Sort: "-created", Limit: 100},
				want(all, live, func(a, b pratica.Task) bool { return a.CreatedAt.After(b.CreatedAt) })},
			{"by applicant, then deadline", pratica.TaskFilter{Sort: "applicant", Service: "c_l424.matrimonio"},
				want(all, func(x pratica.Task) bool { return live(x) && x.Service == "c_l424.matrimonio" }, func(a, b pratica.Task) bool {
					if a.Applicant != b.Applicant {
						return a.Applicant < b.Applicant
					}
					return byDeadline(a, b)
				})},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := ids(tc.f)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
			})
		}
		if _, err := st.Tasks(ctx, pratica.TaskFilter{Ente: "c_l424", Sort: "owner"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an unknown sort = %v, want invalid", err)
		}
	})
}

// TestTaskCopiesServiceAndApplicant checks that a task opened by a
// transition carries its pratica's service and its applicant's name.
func TestTaskCopiesServiceAndApplicant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := pratica.NewStore(db)
		p := &pratica.Pratica{ID: "p1", Ente: "c_l424", Service: "c_l424.matrimonio", Template: "t@1", Owner: "RSSMRA80A01L424F",
			Status: pratica.Submitted, Data: pratica.JSON(`{}`), Actions: pratica.Strings{}}
		if _, err := st.CreateStarting(ctx, p, &pratica.Start{Owner: p.Owner, RequestHash: "h", OwnerName: "Mario Rossi"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Record(ctx, pratica.Transition{PraticaID: "p1", Seq: 1, Kind: "task_opened", Status: pratica.Registered,
			OpenTask: &pratica.Task{Ente: "c_l424", Step: "esame", Role: "operator", Office: "stato-civile"}}); err != nil {
			t.Fatal(err)
		}
		ts, err := st.Tasks(ctx, pratica.TaskFilter{Ente: "c_l424", Search: "rossi"})
		if err != nil || len(ts) != 1 || ts[0].Service != "c_l424.matrimonio" || ts[0].Applicant != "Mario Rossi" {
			t.Fatalf("tasks = %+v %v", ts, err)
		}
	})
}
