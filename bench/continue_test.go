package bench

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
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
	if err := e.st.Create(ctx, &pratica.Pratica{ID: id, Ente: "c_l424", Service: "s", Template: "record@1", Owner: "RSSMRA80A01L424F",
		Status: pratica.Submitted, Data: pratica.JSON(`{}`)}); err != nil {
		t.Fatal(err)
	}
	run, err := e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.PraticaWorkflowID(id), TaskQueue: "bench"},
		workflows.PraticaWorkflow, workflows.PraticaInput{PraticaID: id, Ente: "c_l424", Service: "s", Template: "record", Version: 1,
			Hash: "h", Owner: "RSSMRA80A01L424F", Data: map[string]any{"nome": "Mario"}, ContinueAfter: 1})
	if err != nil {
		t.Fatal(err)
	}
	first := run.GetRunID()
	// The notice is paid and the task approved, whichever run is current.
	for sent := false; !sent; {
		sent = e.c.SignalWorkflow(ctx, run.GetID(), "", workflows.ReceiptSignal, workflows.ReceiptArrived{
			NoticeNumber: "301000000000000042", ReceiptID: "r-can", AmountCents: 15000}) == nil
		time.Sleep(100 * time.Millisecond)
	}
	for {
		h, err := e.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: run.GetID(), UpdateName: workflows.ActionUpdate,
			WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{workflows.ActionRequest{Action: "approve",
				Actor: workflows.Actor{Subject: "op", Role: "operator", Ente: "c_l424"}}}})
		if err == nil && h.Get(ctx, nil) == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("approve never accepted")
		}
		time.Sleep(200 * time.Millisecond)
	}
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
