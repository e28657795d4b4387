package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

// continueAfter is the history length past which a pratica continues as new at
// the next step boundary, well before Temporal's 10,000-event advice (50,000 limit).
const continueAfter = 8000

// Pratica interprets one published template version for one citizen's case.
// The plan is loaded through an activity, so the history records exactly what
// ran; every transition is projected to the database through an idempotent
// activity; actions arrive as updates whose validators refuse what is not
// allowed now; receipts arrive as signals.
func Pratica(ctx workflow.Context, in PraticaInput) (string, error) {
	r := &run{in: in, data: in.Data, vars: map[string]any{}, tasks: map[string]*openTask{},
		pending: map[string]*pendingAction{}, receipts: map[string]ReceiptArrived{}, status: pratica.Submitted,
		holder: pratica.HolderCitizen, positions: map[string]string{}}
	if r.data == nil {
		r.data = map[string]any{}
	}
	r.started = workflow.Now(ctx)
	r.tasksV2 = workflow.GetVersion(ctx, tasksVersion, workflow.DefaultVersion, 1) >= 1
	if c := in.Carry; c != nil {
		r.seq, r.status, r.data, r.started = c.Seq, pratica.Status(c.Status), c.Data, c.Started
		if c.Vars != nil {
			r.vars = c.Vars
		}
		r.holder, r.office, r.positions = c.Holder, c.Office, c.Positions
		if r.positions == nil {
			r.positions = map[string]string{}
		}
		if c.Clock != nil {
			r.clock = c.Clock
		}
		r.lastPayment = c.LastPayment
		for n, rc := range c.Receipts {
			r.receipts[n] = rc
		}
	}
	var bundle activities.PlanBundle
	if err := workflow.ExecuteActivity(dbCtx(ctx), activities.LoadPlan, activities.PlanRef{
		Template: in.Template, Version: in.Version, Hash: in.Hash, Service: in.Service,
	}).Get(ctx, &bundle); err != nil {
		return "", fmt.Errorf("load plan %s@%d: %w", in.Template, in.Version, err)
	}
	r.plan, r.svc = &bundle.Plan, bundle.Service

	if err := r.registerHandlers(ctx); err != nil {
		return "", err
	}
	workflow.Go(ctx, r.drainReceipts)

	mainCtx, cancel := workflow.WithCancel(ctx)
	r.cancel = cancel
	start := r.plan.Start
	if in.Carry != nil {
		start = in.Carry.Step
	} else if err := r.submitted(ctx); err != nil {
		return "", err
	}
	if r.clock != nil {
		workflow.Go(ctx, r.runClock)
	}
	outcome, err := r.exec(mainCtx, start, true)
	var can *workflow.ContinueAsNewError
	if errors.As(err, &can) {
		return "", err
	}
	if r.stop != nil || temporal.IsCanceledError(err) {
		return r.compensate(ctx)
	}
	if err != nil {
		return "", err
	}
	// Let in-flight updates answer before the workflow completes.
	_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	return outcome, nil
}

// run is the interpreter's state of one pratica.
type run struct {
	in      PraticaInput
	plan    *modeler.Plan
	svc     activities.ServiceInfo
	seq     int64
	status  pratica.Status
	step    string
	holder  string
	office  string
	data    map[string]any
	vars    map[string]any
	started time.Time

	tasks       map[string]*openTask      // open human tasks by step
	pending     map[string]*pendingAction // actions waiting for the main loop, by key
	formWait    string                    // a form step waiting for the citizen's submission
	integration string                    // the task step whose integration the citizen owes
	receipts    map[string]ReceiptArrived // receipts by notice number
	positions   map[string]string         // open debt positions: notice number → iupd
	clock       *LegalClock
	clockMoved  bool
	lastPayment *activities.PaymentIssued

	cancel   workflow.CancelFunc
	stop     *ActionRequest // withdrawal, revocation or silenzio-assenso
	ended    bool
	stepsRun int
	// tasksV2 is set on pratiche started after tasks-v2: an action without a
	// task goes to the first task the actor may work (before: the first task).
	tasksV2 bool
}

type openTask struct {
	step    string
	task    *modeler.TaskStep
	office  string
	takenBy string
}

// change is the task's office and assignee as the inbox row must show them.
func (t *openTask) change() pratica.TaskChange {
	return pratica.TaskChange{Step: t.step, Office: t.office, ClaimedBy: t.takenBy}
}

type pendingAction struct {
	req  ActionRequest
	done bool
	err  error
}

// exec runs steps from id until an end step (returning its outcome) or, inside a
// parallel branch, until a step without a next one.
func (r *run) exec(ctx workflow.Context, id string, top bool) (string, error) {
	for id != "" {
		if top && r.shouldContinueAsNew(ctx) {
			return "", r.continueAsNew(ctx, id)
		}
		s, ok := r.plan.Steps[id]
		if !ok {
			return "", temporal.NewNonRetryableApplicationError("plan has no step "+id, "invalid_plan", nil)
		}
		r.step = id
		next, outcome, err := r.execStep(ctx, s)
		if err != nil && r.needsAttention(err) {
			next, outcome, err = r.attention(ctx, s, err)
		}
		if err != nil {
			return "", err
		}
		r.stepsRun++
		if s.Type == modeler.StepEnd || outcome != "" {
			return outcome, nil
		}
		id = next
	}
	return "", nil
}

func (r *run) execStep(ctx workflow.Context, s *modeler.Step) (next, outcome string, err error) {
	switch s.Type {
	case modeler.StepForm:
		return r.form(ctx, s)
	case modeler.StepTask:
		return r.task(ctx, s)
	case modeler.StepPayment:
		return r.payment(ctx, s)
	case modeler.StepNotify:
		return r.notify(ctx, s)
	case modeler.StepLedger:
		return r.ledger(ctx, s)
	case modeler.StepWait:
		return r.wait(ctx, s)
	case modeler.StepDeadline:
		return r.deadline(ctx, s)
	case modeler.StepDecision:
		return r.decision(s)
	case modeler.StepParallel:
		return r.parallel(ctx, s)
	case modeler.StepEnd:
		return r.end(ctx, s)
	}
	return "", "", temporal.NewNonRetryableApplicationError("unknown step type "+s.Type, "invalid_plan", nil)
}

func (r *run) shouldContinueAsNew(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	due := info.GetCurrentHistoryLength() > continueAfter || info.GetContinueAsNewSuggested() ||
		(r.in.ContinueAfter > 0 && r.stepsRun >= r.in.ContinueAfter)
	return due && len(r.tasks) == 0 && workflow.AllHandlersFinished(ctx)
}

func (r *run) continueAsNew(ctx workflow.Context, next string) error {
	// Receipts signalled but not yet read would be lost with this run: read them now.
	ch := workflow.GetSignalChannel(ctx, ReceiptSignal)
	for {
		var rc ReceiptArrived
		if !ch.ReceiveAsync(&rc) {
			break
		}
		if _, dup := r.receipts[rc.NoticeNumber]; !dup {
			r.receipts[rc.NoticeNumber] = rc
		}
	}
	in := r.in
	in.Data = nil
	in.Carry = &Carry{Seq: r.seq, Step: next, Status: string(r.status), Data: r.data, Vars: r.vars,
		Started: r.started, Holder: r.holder, Office: r.office, Positions: r.positions, Clock: r.clock, Receipts: r.receipts,
		LastPayment: r.lastPayment}
	return workflow.NewContinueAsNewError(ctx, PraticaWorkflow, in)
}

// dbCtx is for our own database activities: short, retried until they succeed.
func dbCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
}

// outsideCtx is for calls to outside systems (pagoPA, App IO, e-mail): retried
// with backoff. One attempt gets 30 seconds: the clients give up on a silent
// peer sooner, and a worker killed mid-call leaves the pratica waiting no
// longer than that before another worker retries (the calls are idempotent).
// Timeouts are not part of a history's commands, so replays are unaffected.
func outsideCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, MaximumInterval: 5 * time.Minute},
	})
}
