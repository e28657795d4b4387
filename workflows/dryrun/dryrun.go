// Package dryrun runs a template's plan with sample data through the real
// Pratica interpreter in the Temporal test environment: time skips, payments
// are paid, messages and ledger entries are captured, and tasks end with the
// outcomes asked for. It tells a designer which path a pratica would take, the
// deadlines that would fire and what would be sent, before anything is published.
package dryrun

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

// Request is the sample a dry run plays.
type Request struct {
	// Data is the citizen's submission.
	Data map[string]any `json:"data"`
	// Outcomes chooses each task's outcome by step id; a task not named takes its first outcome.
	Outcomes map[string]string `json:"outcomes,omitempty"`
	// Unpaid leaves every notice unpaid, to see what expiry does.
	Unpaid bool `json:"unpaid,omitempty"`
	// TaskDelay is how long operators take on each task (default one hour of simulated time).
	TaskDelay string `json:"taskDelay,omitempty"`
	Lang      string `json:"lang,omitempty"`
}

// Step is one event of the path taken, at its simulated time.
type Step struct {
	At      time.Time `json:"at"`
	Step    string    `json:"step"`
	Kind    string    `json:"kind"`
	Status  string    `json:"status"`
	Message string    `json:"message"`
}

// Result is what the dry run saw.
type Result struct {
	Outcome   string                      `json:"outcome"`
	Path      []Step                      `json:"path"`
	Deadlines []time.Time                 `json:"deadlines"`
	Positions []activities.PaymentRequest `json:"positions"`
	Messages  []activities.MessageRequest `json:"messages"`
	Ledger    []activities.LedgerRequest  `json:"ledger"`
	Errors    []string                    `json:"errors,omitempty"`
}

// owner is the citizen of a dry run.
const owner = "dry-run"

func cents(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	case int:
		return int64(n)
	}
	return 0
}

// recorder is every activity of the run, capturing instead of calling out, and
// driving the run: it pays notices and completes tasks as the request says.
type recorder struct {
	mu       sync.Mutex
	env      *testsuite.TestWorkflowEnvironment
	plan     *modeler.Plan
	svc      activities.ServiceInfo
	req      Request
	delay    time.Duration
	res      Result
	notices  int
	deadline map[time.Time]bool
}

func (r *recorder) Record(_ context.Context, t pratica.Transition) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	msg := t.MessageIT
	if r.req.Lang == "en" {
		msg = t.MessageEN
	}
	r.res.Path = append(r.res.Path, Step{At: t.At, Step: t.Step, Kind: t.Kind, Status: string(t.Status), Message: msg})
	if t.Deadline != nil && !r.deadline[*t.Deadline] {
		r.deadline[*t.Deadline] = true
		r.res.Deadlines = append(r.res.Deadlines, *t.Deadline)
	}
	switch t.Kind {
	case "payment_requested":
		if !r.req.Unpaid {
			notice, _ := t.Detail["noticeNumber"].(string)
			amount := cents(t.Detail["amountCents"])
			r.env.RegisterDelayedCallback(func() {
				r.env.SignalWorkflow(workflows.ReceiptSignal, workflows.ReceiptArrived{NoticeNumber: notice,
					ReceiptID: "dry-run-" + notice, AmountCents: amount, PSP: "DRYRUN"})
			}, 10*time.Minute)
		}
	case "task_opened", "task_reopened":
		step := t.OpenTask.Step
		action := r.req.Outcomes[step]
		s := r.plan.Steps[step]
		if action == "" && s != nil && s.Task != nil && len(s.Task.Outcomes) > 0 {
			action = s.Task.Outcomes[0].Action
		}
		actor := workflows.Actor{Subject: "dry-run", Role: pratica.RoleRegionalAdmin}
		r.env.RegisterDelayedCallback(func() {
			r.env.UpdateWorkflow(workflows.ActionUpdate, fmt.Sprintf("dry-run-%d", t.Seq), &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { r.fail("task %s: %v", step, err) },
				OnComplete: func(_ any, err error) {
					if err != nil {
						r.fail("task %s: %v", step, err)
					}
				}}, workflows.ActionRequest{Action: action, Actor: actor, Task: step, Reason: "dry run"})
		}, r.delay)
	case "integration_requested":
		r.env.RegisterDelayedCallback(func() {
			r.env.UpdateWorkflow(workflows.ActionUpdate, fmt.Sprintf("dry-run-%d", t.Seq), &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { r.fail("integration: %v", err) }, OnComplete: func(any, error) {}},
				workflows.ActionRequest{Action: workflows.ActIntegrate, Actor: workflows.Actor{Subject: owner, Role: pratica.RoleCitizen}})
		}, r.delay)
	}
	return true, nil
}

func (r *recorder) fail(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Errors = append(r.res.Errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Plan(context.Context, string, int) (*modeler.Plan, error) { return r.plan, nil }

func (r *recorder) ServiceInfo(context.Context, string) (activities.ServiceInfo, error) {
	return r.svc, nil
}

func (r *recorder) Issue(_ context.Context, p activities.PaymentRequest) (*activities.PaymentIssued, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices++
	r.res.Positions = append(r.res.Positions, p)
	n := fmt.Sprintf("3%02d%015d", 0, r.notices)
	return &activities.PaymentIssued{IUPD: p.IUPD, NoticeNumber: n, IUV: n[1:], AmountCents: p.AmountCents, DueDate: p.DueDate}, nil
}

func (r *recorder) Invalidate(context.Context, string, string) error { return nil }

func (r *recorder) Send(_ context.Context, m activities.MessageRequest) (*activities.MessageSent, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Messages = append(r.res.Messages, m)
	return &activities.MessageSent{ID: fmt.Sprintf("dry-run-%d", len(r.res.Messages)), Outcome: "sent"}, nil
}

func (r *recorder) Post(_ context.Context, l activities.LedgerRequest) (*activities.LedgerPosted, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Ledger = append(r.res.Ledger, l)
	return &activities.LedgerPosted{EntryID: fmt.Sprintf("dry-run-%d", len(r.res.Ledger))}, nil
}

// Run plays plan for a pratica of svc with the request's sample.
func Run(plan *modeler.Plan, svc activities.ServiceInfo, req Request) (*Result, error) {
	if plan == nil || plan.Start == "" {
		return nil, errs.Field("plan", "is empty")
	}
	delay := time.Hour
	if req.TaskDelay != "" {
		d, err := time.ParseDuration(req.TaskDelay)
		if err != nil || d < 0 {
			return nil, errs.Field("taskDelay", "must be a duration such as 2h or 72h")
		}
		delay = d
	}
	var s testsuite.WorkflowTestSuite
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Now().UTC().Truncate(time.Second))
	env.SetTestTimeout(time.Minute)
	r := &recorder{env: env, plan: plan, svc: svc, req: req, delay: delay, deadline: map[time.Time]bool{}}
	worker.Register(env, worker.Deps{Pratiche: &activities.Activities{Projection: r, Plans: r, Payments: r, Messages: r, Ledger: r}})
	if svc.ID == "" {
		svc.ID = "dry-run"
	}
	env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "dry-run", Ente: svc.Ente, Service: svc.ID,
		Template: plan.TemplateID, Version: plan.Version, Hash: plan.Hash, Owner: owner, Lang: req.Lang, Data: req.Data})
	res := r.res
	if !env.IsWorkflowCompleted() {
		res.Errors = append(res.Errors, "the pratica did not end: a step waits for something the dry run cannot give")
		return &res, nil
	}
	if err := env.GetWorkflowError(); err != nil {
		res.Errors = append(res.Errors, err.Error())
		return &res, nil
	}
	_ = env.GetWorkflowResult(&res.Outcome)
	sort.Slice(res.Deadlines, func(i, j int) bool { return res.Deadlines[i].Before(res.Deadlines[j]) })
	return &res, nil
}
