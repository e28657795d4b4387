package workflows_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

// flaky is an outside system that fails permanently for its first n calls, as
// App IO does when the outcome of a message is unknown or GPD with a 4xx.
type flaky struct {
	*fakes
	mu       sync.Mutex
	n        int
	typ, msg string
	on       string // "send" or "issue": the call that fails
	calls    int
}

func (f *flaky) fail(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if call != f.on {
		return nil
	}
	f.calls++
	if f.calls <= f.n {
		return temporal.NewNonRetryableApplicationError(f.msg, f.typ, nil)
	}
	return nil
}

func (f *flaky) Send(ctx context.Context, r activities.MessageRequest) (*activities.MessageSent, error) {
	if err := f.fail("send"); err != nil {
		return nil, err
	}
	return f.fakes.Send(ctx, r)
}

func (f *flaky) Issue(ctx context.Context, r activities.PaymentRequest) (*activities.PaymentIssued, error) {
	if err := f.fail("issue"); err != nil {
		return nil, err
	}
	return f.fakes.Issue(ctx, r)
}

type attentionCount struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *attentionCount) inc(stepType, errorType string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[stepType+"/"+errorType]++
}

// newFlakyHarness runs p with messages and payments from out; the counter
// receives the activity's needs-attention calls.
func newFlakyHarness(t *testing.T, p *modeler.Plan, out *flaky) (*harness, *attentionCount) {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := s.NewTestWorkflowEnvironment()
	f := &fakes{plan: p, invalidData: map[string]bool{}}
	out.fakes = f
	count := &attentionCount{n: map[string]int{}}
	worker.Register(env, worker.Deps{Pratiche: &activities.Activities{Projection: f, Plans: f, Payments: out, Messages: out,
		Ledger: f, Forms: f, OnAttention: count.inc}})
	env.SetStartTime(time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome))
	return &harness{t: t, env: env, f: f}, count
}

func (f *fakes) transition(kind string) *pratica.Transition {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.transitions {
		if f.transitions[i].Kind == kind {
			return &f.transitions[i]
		}
	}
	return nil
}

// TestOutsideFailureNeedsAttentionThenSkip: App IO cannot tell whether a
// message was delivered (a permanent failure). The pratica does not fail: it
// needs attention, the timeline says why in Italian and English, an operator
// task offers retry / skip / cancel, the metric counts it, and skipping goes on
// with the step after the message.
func TestOutsideFailureNeedsAttentionThenSkip(t *testing.T) {
	io := &flaky{n: 1, typ: "appio_uncertain", msg: "message may have been delivered by an earlier attempt", on: "send"}
	h, count := newFlakyHarness(t, marriagePlan(), io)
	h.receipt(2*time.Hour, "301000000000000042")
	early := h.act(3*time.Hour, operator, "approve", nil, "")
	skip := h.act(4*time.Hour, operator, workflows.ActSkip, nil, "messaggio consegnato allo sportello")
	approve := h.act(5*time.Hour, operator, "approve", nil, "")
	if got := h.run(map[string]any{"sposo": "Mario Rossi"}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	if early.rejected == nil || skip.rejected != nil || skip.err != nil || approve.rejected != nil {
		t.Fatalf("approve while it needs attention = %+v, skip = %+v, approve = %+v", early, skip, approve)
	}
	want := []string{"submitted", "payment_requested", "payment_received", "needs_attention", "attention_skipped",
		"deadline_started", "task_opened", "task_completed", "ledger_posted", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	na := h.f.transition("needs_attention")
	if na.Status != pratica.NeedsAttention || na.Status.Code() == 0 || na.Status.Label("en") == string(na.Status) {
		t.Errorf("status = %s (%d, %q)", na.Status, na.Status.Code(), na.Status.Label("en"))
	}
	if !strings.Contains(na.MessageIT, io.msg) || !strings.Contains(na.MessageEN, io.msg) || na.Detail["errorType"] != "appio_uncertain" {
		t.Errorf("timeline says %q / %q %v", na.MessageIT, na.MessageEN, na.Detail)
	}
	if na.OpenTask == nil || na.OpenTask.Office != "stato-civile" ||
		!cmp.Equal([]string(na.OpenTask.Outcomes), []string{"retry", "skip", "cancel"}) {
		t.Errorf("operator task = %+v", na.OpenTask)
	}
	if diff := cmp.Diff(map[string]int{"notify/appio_uncertain": 1}, count.n); diff != "" {
		t.Errorf("counted (-want +got):\n%s", diff)
	}
}

// TestRetryRunsTheStepAgain: after the operator's retry the failed step runs
// again and, the outside system being back, the pratica goes on.
func TestRetryRunsTheStepAgain(t *testing.T) {
	io := &flaky{n: 2, typ: "appio_invalid", msg: "refused by IO", on: "send"}
	h, count := newFlakyHarness(t, marriagePlan(), io)
	h.receipt(2*time.Hour, "301000000000000042")
	h.act(3*time.Hour, operator, workflows.ActRetry, nil, "")
	h.act(4*time.Hour, operator, workflows.ActRetry, nil, "")
	h.act(5*time.Hour, operator, "approve", nil, "")
	if got := h.run(map[string]any{"sposo": "Mario Rossi"}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	want := []string{"submitted", "payment_requested", "payment_received", "needs_attention", "attention_retry",
		"needs_attention", "attention_retry", "message_sent", "deadline_started", "task_opened", "task_completed", "ledger_posted", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if len(h.f.messages) != 1 || count.n["notify/appio_invalid"] != 2 {
		t.Errorf("messages = %d, counted %v", len(h.f.messages), count.n)
	}
}

// TestCancelAfterAFailureRevokes: GPD refuses the position (a 4xx); the
// operator cancels, and the pratica is revoked with its compensation and its
// inbox task closed.
func TestCancelAfterAFailureRevokes(t *testing.T) {
	gpd := &flaky{n: 1, typ: "invalid", msg: "GPD 422: invalid debt position", on: "issue"}
	h, _ := newFlakyHarness(t, marriagePlan(), gpd)
	cancel := h.act(time.Hour, operator, workflows.ActCancel, nil, "")
	if got := h.run(map[string]any{"sposo": "Mario Rossi"}); got != "revoked" {
		t.Fatalf("outcome = %q", got)
	}
	if cancel.rejected != nil || cancel.err != nil || cancel.result.Status != string(pratica.Revoked) {
		t.Fatalf("cancel = %+v", cancel)
	}
	if diff := cmp.Diff([]string{"submitted", "needs_attention", "revoked"}, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if last := h.f.last(); !last.CancelTasks || last.Status != pratica.Revoked {
		t.Errorf("last = %+v", last)
	}
}

// TestBadPlanNeedsAttention: a decision that matches no case is an internal
// plan error; it takes the same path instead of failing the workflow.
func TestBadPlanNeedsAttention(t *testing.T) {
	dec := step("scelta", modeler.StepDecision, "")
	dec.Decision = &modeler.DecisionStep{Cases: []modeler.Case{{When: "data.importo > 100", Next: "fine"}}}
	h := newHarness(t, plan(formStep("scelta"), dec, endStep("fine", "accepted")))
	h.act(time.Hour, admin, workflows.ActCancel, nil, "piano da correggere")
	if got := h.run(map[string]any{"importo": 50}); got != "revoked" {
		t.Fatalf("outcome = %q", got)
	}
	na := h.f.transition("needs_attention")
	if na == nil || na.Detail["errorType"] != "invalid_plan" || !cmp.Equal([]string(na.OpenTask.Outcomes), []string{"retry", "cancel"}) {
		t.Fatalf("needs attention = %+v", na)
	}
}

// TestPraticheBeforeAttentionV1FailAsBefore: a pratica whose history predates
// attention-v1 keeps the old behaviour (the workflow fails), so replaying it
// gives the same commands.
func TestPraticheBeforeAttentionV1FailAsBefore(t *testing.T) {
	io := &flaky{n: 1, typ: "appio_uncertain", msg: "outcome unknown", on: "send"}
	h, count := newFlakyHarness(t, marriagePlan(), io)
	h.env.OnGetVersion("attention-v1", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	h.receipt(2*time.Hour, "301000000000000042")
	h.env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "p-1", Ente: "c_l424", Service: "c_l424.matrimonio",
		Template: "matrimonio", Version: 1, Hash: "h1", Owner: citizen.Subject, Data: map[string]any{"sposo": "Mario Rossi"}})
	if err := h.env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "outcome unknown") {
		t.Fatalf("err = %v, want the old failure", err)
	}
	if h.f.transition("needs_attention") != nil || len(count.n) != 0 {
		t.Errorf("the old path recorded a needs-attention transition")
	}
}
