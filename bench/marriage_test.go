package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
)

// benchNotice is the notice number the bench's payments answer with; the driver
// sends its receipt.
const benchNotice = "301000000000000042"

// marriagePlan has the shape of the demo marriage (journey 1): the citizen's
// form, a pagoPA payment awaited through its receipt, an App IO message, an
// operator's task, the accounting entry and the end.
func marriagePlan() *modeler.Plan {
	return &modeler.Plan{TemplateID: "marriage", Version: 1, Hash: "h", Title: modeler.Text{IT: "Celebrazione matrimonio"}, Start: "domanda",
		Steps: map[string]*modeler.Step{
			"domanda": {ID: "domanda", Type: modeler.StepForm, Next: "pagamento", Form: &modeler.FormStep{FormID: "f", Version: 1}},
			"pagamento": {ID: "pagamento", Type: modeler.StepPayment, Next: "avviso", Payment: &modeler.PaymentStep{AmountCents: 15000,
				Taxonomy: "9/0104102TS/", Remittance: modeler.Text{IT: "Celebrazione matrimonio"}, DueDays: 10, ExpiryDays: 15}},
			"avviso": {ID: "avviso", Type: modeler.StepNotify, Next: "esame", Notify: &modeler.NotifyStep{Channel: "appio",
				Subject: modeler.Text{IT: "Pagamento ricevuto"}, Markdown: modeler.Text{IT: "Il pagamento di {{data.nome}} è stato ricevuto."}}},
			"esame": {ID: "esame", Type: modeler.StepTask, Task: &modeler.TaskStep{Role: "operator", Office: "stato-civile",
				Outcomes: []modeler.Outcome{{Action: "approve", Label: modeler.Text{IT: "Approvata"}, Next: "contabile"}}}},
			"contabile": {ID: "contabile", Type: modeler.StepLedger, Next: "fine", Ledger: &modeler.LedgerStep{Kind: "accertamento", Capitolo: "100"}},
			"fine":      {ID: "fine", Type: modeler.StepEnd, End: &modeler.EndStep{Outcome: "accepted"}},
		}}
}

// HandMarriage is the marriage written by hand: the same activities and the same
// projection rows, the same receipt signal and the same operator update (with a
// validator), and no interpreter.
func HandMarriage(ctx workflow.Context, in workflows.PraticaInput) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second}})
	taskOpen, approved := false, false
	if err := workflow.SetUpdateHandlerWithOptions(ctx, workflows.ActionUpdate,
		func(ctx workflow.Context, req workflows.ActionRequest) (workflows.ActionResult, error) {
			approved = true
			return workflows.ActionResult{Status: string(pratica.Processing)}, nil
		}, workflow.UpdateHandlerOptions{Validator: func(req workflows.ActionRequest) error {
			if !taskOpen || req.Action != "approve" {
				return temporal.NewApplicationErrorWithOptions("not allowed", workflows.NotAllowed, temporal.ApplicationErrorOptions{NonRetryable: true})
			}
			return nil
		}}); err != nil {
		return "", err
	}
	var b activities.PlanBundle
	if err := workflow.ExecuteActivity(ctx, activities.LoadPlan, activities.PlanRef{Template: in.Template, Version: in.Version}).Get(ctx, &b); err != nil {
		return "", err
	}
	seq := int64(0)
	rec := func(t pratica.Transition) error {
		seq++
		t.PraticaID, t.Seq, t.At = in.PraticaID, seq, workflow.Now(ctx)
		return workflow.ExecuteActivity(ctx, activities.RecordTransition, t).Get(ctx, nil)
	}
	if err := rec(pratica.Transition{Kind: "submitted", Status: pratica.Submitted}); err != nil {
		return "", err
	}
	now := workflow.Now(ctx)
	var issued activities.PaymentIssued
	if err := workflow.ExecuteActivity(ctx, activities.IssuePayment, activities.PaymentRequest{IUPD: in.PraticaID, PraticaID: in.PraticaID,
		Debtor: in.Owner, AmountCents: 15000, Taxonomy: "9/0104102TS/", Remittance: "Celebrazione matrimonio",
		DueDate: now.Add(10 * 24 * time.Hour), ExpiryDate: now.Add(15 * 24 * time.Hour)}).Get(ctx, &issued); err != nil {
		return "", err
	}
	if err := rec(pratica.Transition{Kind: "payment_requested", Status: pratica.PaymentPending}); err != nil {
		return "", err
	}
	var rc workflows.ReceiptArrived
	workflow.GetSignalChannel(ctx, workflows.ReceiptSignal).Receive(ctx, &rc)
	if err := rec(pratica.Transition{Kind: "payment_received", Status: pratica.PaymentSuccess}); err != nil {
		return "", err
	}
	if err := workflow.ExecuteActivity(ctx, activities.SendMessage, activities.MessageRequest{Key: in.PraticaID, PraticaID: in.PraticaID,
		FiscalCode: in.Owner, Channel: "appio", Subject: "Pagamento ricevuto"}).Get(ctx, nil); err != nil {
		return "", err
	}
	if err := rec(pratica.Transition{Kind: "message_sent", Status: pratica.PaymentSuccess}); err != nil {
		return "", err
	}
	taskOpen = true
	if err := rec(pratica.Transition{Kind: "task_opened", Status: pratica.Registered, OpenTask: &pratica.Task{Ente: in.Ente,
		Step: "esame", Role: "operator", Office: "stato-civile", Outcomes: []string{"approve"}}}); err != nil {
		return "", err
	}
	if err := workflow.Await(ctx, func() bool { return approved }); err != nil {
		return "", err
	}
	if err := rec(pratica.Transition{Kind: "task_completed", Status: pratica.Processing, CloseTask: "esame"}); err != nil {
		return "", err
	}
	if err := workflow.ExecuteActivity(ctx, activities.PostLedger, activities.LedgerRequest{Key: in.PraticaID, PraticaID: in.PraticaID,
		Kind: "accertamento", Capitolo: "100", AmountCents: rc.AmountCents}).Get(ctx, nil); err != nil {
		return "", err
	}
	if err := rec(pratica.Transition{Kind: "ledger_posted", Status: pratica.Processing}); err != nil {
		return "", err
	}
	if err := rec(pratica.Transition{Kind: "closed", Status: pratica.Completed, CancelTasks: true}); err != nil {
		return "", err
	}
	_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	return "accepted", nil
}

// runMarriages runs n marriages of workflowType at once, each driven the same
// way whatever runs it: the receipt is signalled, then the operator approves as
// soon as the task accepts it. It returns pratiche per second.
func runMarriages(tb testing.TB, e *env, workflowType string, n int) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	errc := make(chan error, n)
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("m%s-%d-%d", workflowType, time.Now().UnixNano(), i)
		if err := e.st.Create(ctx, &pratica.Pratica{ID: id, Ente: "c_l424", Service: "s", Template: "marriage@1", Owner: "RSSMRA80A01L424F",
			Status: pratica.Submitted, Data: pratica.JSON(`{}`)}); err != nil {
			tb.Fatal(err)
		}
		run, err := e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.PraticaWorkflowID(id), TaskQueue: "bench"},
			workflowType, workflows.PraticaInput{PraticaID: id, Ente: "c_l424", Service: "s", Template: "marriage", Version: 1, Hash: "h",
				Owner: "RSSMRA80A01L424F", Data: map[string]any{"nome": "Mario"}})
		if err != nil {
			tb.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- driveMarriage(ctx, e, run)
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			tb.Fatalf("%s: %v", workflowType, err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// driveMarriage plays the citizen's PSP and the operator for one marriage.
func driveMarriage(ctx context.Context, e *env, run client.WorkflowRun) error {
	if err := e.c.SignalWorkflow(ctx, run.GetID(), "", workflows.ReceiptSignal, workflows.ReceiptArrived{
		NoticeNumber: benchNotice, ReceiptID: "r-" + run.GetID(), AmountCents: 15000}); err != nil {
		return fmt.Errorf("signal receipt: %w", err)
	}
	for {
		h, err := e.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: run.GetID(), UpdateName: workflows.ActionUpdate,
			WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{workflows.ActionRequest{Action: "approve",
				Actor: workflows.Actor{Subject: "op", Role: "operator", Ente: "c_l424", Office: "stato-civile"}}}})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return fmt.Errorf("approve never accepted: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var out string
	if err := run.Get(ctx, &out); err != nil || out != "accepted" {
		return fmt.Errorf("outcome %q: %v", out, err)
	}
	return nil
}

// BenchmarkMarriage prints pratiche per second for a plan shaped like the demo
// marriage (payment and receipt, App IO, an operator's task, ledger) run by the
// interpreter and by the same pratica written by hand, and their ratio (target ≥ 0.8).
func BenchmarkMarriage(b *testing.B) {
	e := setup(b)
	const n = 30
	runMarriages(b, e, "HandMarriage", 5) // warm up both paths
	runMarriages(b, e, workflows.PraticaWorkflow, 5)
	var hand, interp float64
	for i := 0; i < b.N; i++ {
		hand += runMarriages(b, e, "HandMarriage", n)
		interp += runMarriages(b, e, workflows.PraticaWorkflow, n)
	}
	hand, interp = hand/float64(b.N), interp/float64(b.N)
	b.ReportMetric(hand, "handwritten-pratiche/s")
	b.ReportMetric(interp, "interpreter-pratiche/s")
	b.ReportMetric(interp/hand, "ratio")
	fmt.Printf("marriage-shaped pratiche/s: hand-written %.1f, interpreter %.1f, ratio %.2f (target ≥ 0.8)\n", hand, interp, interp/hand)
}

// TestMarriageShapedPlanRuns runs both sides of BenchmarkMarriage once on the
// embedded server, so make test proves the benchmark measures what it says:
// both complete the same journey and leave the same timeline kinds.
func TestMarriageShapedPlanRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	e := setup(t)
	kinds := map[string][]string{}
	for _, wt := range []string{"HandMarriage", workflows.PraticaWorkflow} {
		runMarriages(t, e, wt, 1)
		list, err := e.st.List(context.Background(), pratica.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.Template != "marriage@1" || kinds[wt] != nil || !isRunOf(p.ID, wt) {
				continue
			}
			tl, err := e.st.Timeline(context.Background(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range tl {
				kinds[wt] = append(kinds[wt], ev.Kind)
			}
		}
	}
	got, want := fmt.Sprint(kinds[workflows.PraticaWorkflow]), fmt.Sprint(kinds["HandMarriage"])
	if got != want {
		t.Fatalf("the interpreter's timeline %s differs from the hand-written one %s", got, want)
	}
}

func isRunOf(id, workflowType string) bool {
	p := "m" + workflowType + "-"
	return len(id) > len(p) && id[:len(p)] == p
}
