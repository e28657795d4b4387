package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"log/slog"
	"os"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

// fakes are structs of functions and slices: the real activity struct runs on them.
type fakes struct {
	mu          sync.Mutex
	plan        *modeler.Plan
	transitions []pratica.Transition
	issued      []activities.PaymentRequest
	invalidated []string
	messages    []activities.MessageRequest
	ledger      []activities.LedgerRequest
	invalidData map[string]bool // data keys the form refuses
}

func (f *fakes) Record(_ context.Context, t pratica.Transition) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.transitions = append(f.transitions, t)
	return true, nil
}
func (f *fakes) Plan(context.Context, string, int) (*modeler.Plan, error) { return f.plan, nil }
func (f *fakes) ServiceInfo(context.Context, string) (activities.ServiceInfo, error) {
	return activities.ServiceInfo{ID: "c_l424.matrimonio", Ente: "c_l424", EnteName: "Comune di Trieste", EnteFiscalCode: "00210240321",
		Office: "stato-civile", Substitute: "segretario-comunale", IBAN: "IT60X0542811101000000123456", Capitolo: "3050", Articolo: "1"}, nil
}
func (f *fakes) Issue(_ context.Context, r activities.PaymentRequest) (*activities.PaymentIssued, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.issued = append(f.issued, r)
	return &activities.PaymentIssued{IUPD: r.IUPD, NoticeNumber: "301000000000000042", IUV: "01000000000000042", AmountCents: r.AmountCents, DueDate: r.DueDate}, nil
}
func (f *fakes) Invalidate(_ context.Context, ente, iupd string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invalidated = append(f.invalidated, iupd)
	return nil
}
func (f *fakes) Send(_ context.Context, r activities.MessageRequest) (*activities.MessageSent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.messages = append(f.messages, r)
	return &activities.MessageSent{ID: "msg-1", Outcome: "sent"}, nil
}
func (f *fakes) Post(_ context.Context, r activities.LedgerRequest) (*activities.LedgerPosted, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ledger = append(f.ledger, r)
	return &activities.LedgerPosted{EntryID: "e-1"}, nil
}
func (f *fakes) Validate(_ context.Context, c activities.DataCheck) error {
	for k := range c.Data {
		if f.invalidData[k] {
			return errs.Fields([]errs.FieldError{{Field: "/" + k, Message: "is not allowed"}})
		}
	}
	return nil
}

func (f *fakes) kinds() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, t := range f.transitions {
		out = append(out, t.Kind)
	}
	return out
}

func (f *fakes) last() pratica.Transition {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.transitions[len(f.transitions)-1]
}

type harness struct {
	t   *testing.T
	env *testsuite.TestWorkflowEnvironment
	f   *fakes
	n   int
}

func newHarness(t *testing.T, plan *modeler.Plan) *harness {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := s.NewTestWorkflowEnvironment()
	f := &fakes{plan: plan, invalidData: map[string]bool{"bad": true}}
	worker.Register(env, worker.Deps{Pratiche: &activities.Activities{Projection: f, Plans: f, Payments: f, Messages: f, Ledger: f, Forms: f}})
	env.SetStartTime(time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome)) // a Monday
	return &harness{t: t, env: env, f: f}
}

var (
	citizen  = workflows.Actor{Subject: "RSSMRA80A01L424X", Role: "citizen"}
	stranger = workflows.Actor{Subject: "BNCGLI85C41L424B", Role: "citizen"}
	operator = workflows.Actor{Subject: "op-trieste", Role: "operator", Ente: "c_l424", Office: "stato-civile"}
	medea    = workflows.Actor{Subject: "op-medea", Role: "operator", Ente: "c_f081"}
	admin    = workflows.Actor{Subject: "admin-trieste", Role: "ente-admin", Ente: "c_l424"}
)

type outcome struct {
	rejected error
	result   workflows.ActionResult
	err      error
	done     bool
}

// act sends an action update after delay and returns where its outcome lands.
func (h *harness) act(delay time.Duration, a workflows.Actor, action string, data map[string]any, reason string) *outcome {
	return h.send(delay, workflows.ActionRequest{Action: action, Actor: a, Data: data, Reason: reason})
}

// send sends req as an update after delay and returns where its outcome lands.
func (h *harness) send(delay time.Duration, req workflows.ActionRequest) *outcome {
	h.n++
	id := fmt.Sprintf("u%d", h.n)
	o := &outcome{}
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(workflows.ActionUpdate, id, &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { o.rejected, o.done = err, true },
			OnComplete: func(res any, err error) {
				o.err, o.done = err, true
				if r, ok := res.(workflows.ActionResult); ok {
					o.result = r
				}
			},
		}, req)
	}, delay)
	return o
}

func (h *harness) run(data map[string]any) string {
	h.env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "p-1", Ente: "c_l424", Service: "c_l424.matrimonio",
		Template: "matrimonio", Version: 1, Hash: "h1", Owner: citizen.Subject, Data: data})
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("workflow did not complete")
	}
	var out string
	if err := h.env.GetWorkflowResult(&out); err != nil {
		h.t.Fatalf("workflow failed: %v", err)
	}
	return out
}

func allowedOf(err error) []string {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != workflows.NotAllowed {
		return nil
	}
	var allowed []string
	_ = appErr.Details(&allowed)
	return allowed
}

func step(id, typ string, next string) *modeler.Step {
	return &modeler.Step{ID: id, Type: typ, Next: next, Title: modeler.Text{IT: id, EN: id}}
}

func plan(steps ...*modeler.Step) *modeler.Plan {
	p := &modeler.Plan{TemplateID: "matrimonio", Version: 1, Hash: "h1", Title: modeler.Text{IT: "Celebrazione matrimonio", EN: "Marriage"},
		Start: steps[0].ID, Steps: map[string]*modeler.Step{}}
	for _, s := range steps {
		p.Steps[s.ID] = s
	}
	return p
}

func formStep(next string) *modeler.Step {
	s := step("domanda", modeler.StepForm, next)
	s.Form = &modeler.FormStep{FormID: "matrimonio", Version: 1}
	return s
}

func taskStep(id string, outcomes ...modeler.Outcome) *modeler.Step {
	s := step(id, modeler.StepTask, "")
	s.Task = &modeler.TaskStep{Role: "operator", Office: "stato-civile", Outcomes: outcomes}
	return s
}

func endStep(id, outcome string) *modeler.Step {
	s := step(id, modeler.StepEnd, "")
	s.End = &modeler.EndStep{Outcome: outcome}
	return s
}

func genericPlan() *modeler.Plan {
	return plan(formStep("presa"), taskStep("presa",
		modeler.Outcome{Action: "acknowledge", Label: modeler.Text{IT: "Presa visione", EN: "Acknowledged"}, Next: "fine"}),
		endStep("fine", "accepted"))
}

func sorted(s []string) []string { out := append([]string(nil), s...); sort.Strings(out); return out }

func TestGenericRequestCompletes(t *testing.T) {
	h := newHarness(t, genericPlan())
	ack := h.act(time.Hour, operator, "acknowledge", nil, "")
	if got := h.run(map[string]any{"oggetto": "richiesta"}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	if ack.err != nil || ack.rejected != nil {
		t.Fatalf("acknowledge: %v %v", ack.rejected, ack.err)
	}
	if diff := cmp.Diff([]string{"submitted", "task_opened", "task_completed", "closed"}, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	last := h.f.last()
	if last.Status != pratica.Completed || last.Outcome != "accepted" || !last.CancelTasks || len(last.Actions) != 0 {
		t.Errorf("last transition = %+v", last)
	}
	for i, tr := range h.f.transitions {
		if tr.Seq != int64(i+1) {
			t.Errorf("transition %d has seq %d", i, tr.Seq)
		}
	}
}

func TestForbiddenTransitionsAreRefusedBeforeRecording(t *testing.T) {
	h := newHarness(t, genericPlan())
	cases := []struct {
		name   string
		actor  workflows.Actor
		action string
		want   []string // allowed actions listed in the refusal
	}{
		{"citizen cannot acknowledge", citizen, "acknowledge", []string{"withdraw"}},
		{"citizen cannot integrate when nothing was asked", citizen, "integrate", []string{"withdraw"}},
		{"another citizen can do nothing", stranger, "withdraw", []string{}},
		{"an operator of Medea can do nothing in Trieste", medea, "acknowledge", []string{}},
		{"an operator cannot revoke", operator, "revoke", []string{"acknowledge", "reassign", "take_charge"}},
		{"an unknown action", operator, "approve", []string{"acknowledge", "reassign", "take_charge"}},
	}
	outs := make([]*outcome, len(cases))
	for i, c := range cases {
		outs[i] = h.act(time.Minute*time.Duration(i+1), c.actor, c.action, nil, "")
	}
	h.act(time.Hour, operator, "acknowledge", nil, "")
	h.run(nil)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if outs[i].rejected == nil {
				t.Fatalf("accepted, want refused")
			}
			if diff := cmp.Diff(c.want, sorted(allowedOf(outs[i].rejected)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("allowed (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff([]string{"submitted", "task_opened", "task_completed", "closed"}, h.f.kinds()); diff != "" {
		t.Errorf("refused actions left a trace (-want +got):\n%s", diff)
	}
}
