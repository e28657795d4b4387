package bench

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/pratica"
)

// TestContinueAsNewOnTheServer runs a pratica that continues as new after every
// step on the real embedded server: the state it carries (sequence, data, the
// legal clock) lets each run pick up where the last stopped, and the timeline in
// the database is one unbroken sequence.
func TestContinueAsNewOnTheServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	e := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id := "can-" + time.Now().Format("150405.000000")
	run := startRecordPratica(t, e, id, 1)
	first := run.GetRunID()
	payAndApprove(ctx, t, e, run.GetID())
	var out string
	if err := e.c.GetWorkflow(ctx, run.GetID(), "").Get(ctx, &out); err != nil || out != "accepted" {
		t.Fatalf("outcome = %q, %v", out, err)
	}
	last := e.c.GetWorkflow(ctx, run.GetID(), "")
	if last.GetRunID() == first {
		t.Error("the pratica never continued as new")
	}
	p, err := e.st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	events, err := e.st.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range events {
		if ev.Seq != int64(i+1) {
			t.Fatalf("timeline seq %d at %d: broken across runs: %+v", ev.Seq, i, events)
		}
	}
	if p.Status != pratica.Completed || p.Deadline == nil || len(events) < 8 {
		t.Errorf("pratica = %s, deadline %v, %d events", p.Status, p.Deadline, len(events))
	}
}
