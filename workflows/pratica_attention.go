package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

// The actions of a "needs attention" task.
const (
	ActRetry  = "retry"  // operator: runs the failed step again
	ActSkip   = "skip"   // operator: goes on with the failed step's next one
	ActCancel = "cancel" // operator: revokes the pratica, with compensation
)

// attentionVersion guards the "needs attention" path: before it, a permanent
// failure of a step failed the workflow.
const attentionVersion = "attention-v1"

// attentionPrefix names the task of a failed step: it never clashes with a step id
// of the plan, which the modeller keeps to letters, digits and dashes.
const attentionPrefix = "attention:"

// outsideActivities are the steps' calls to outside systems whose permanent
// failure puts the pratica in "needs attention".
var outsideActivities = map[string]bool{
	activities.IssuePayment: true, activities.InvalidatePayment: true,
	activities.SendMessage: true, activities.PostLedger: true,
}

// needsAttention reports whether err, the failure of a step, is one an operator
// must look at: a non-retryable error of an outside system, or a plan or data
// the interpreter cannot run. Cancellation and continue-as-new are not failures.
func (r *run) needsAttention(err error) bool {
	if r.stop != nil || temporal.IsCanceledError(err) {
		return false
	}
	var can *workflow.ContinueAsNewError
	if errors.As(err, &can) {
		return false
	}
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return false
	}
	var actErr *temporal.ActivityError
	if errors.As(err, &actErr) {
		return outsideActivities[actErr.ActivityType().GetName()]
	}
	return appErr.Type() == "invalid_plan" || appErr.Type() == "invalid_data"
}

// attention handles the permanent failure cause of step s: the pratica moves to
// "needs attention", the timeline says what happened, and an operator task
// offers retry (the step runs again), skip (the step's next one) or cancel
// (revocation with compensation, through handleAction). It returns where the
// interpreter goes on. Pratiche started before attention-v1 fail as they did.
func (r *run) attention(ctx workflow.Context, s *modeler.Step, cause error) (string, string, error) {
	if workflow.GetVersion(ctx, attentionVersion, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return "", "", cause
	}
	msg, typ, activity := failureOf(cause)
	office := r.office
	if office == "" {
		office = r.svc.Office
	}
	outs := []modeler.Outcome{{Action: ActRetry, Label: modeler.Text{IT: "Riprova il passo", EN: "Retry the step"}, Next: s.ID}}
	if s.Next != "" && s.Type != modeler.StepEnd {
		outs = append(outs, modeler.Outcome{Action: ActSkip, Label: modeler.Text{IT: "Salta il passo", EN: "Skip the step"}, Next: s.Next})
	}
	outs = append(outs, modeler.Outcome{Action: ActCancel, Label: modeler.Text{IT: "Annulla la pratica", EN: "Cancel the pratica"}})
	key := attentionPrefix + s.ID
	t := &openTask{step: key, task: &modeler.TaskStep{Role: pratica.RoleOperator, Outcomes: outs}, office: office}
	r.tasks[key] = t
	defer delete(r.tasks, key)
	status, holder := r.status, r.holder
	r.status, r.holder = pratica.NeedsAttention, office
	actions := make([]string, 0, len(outs))
	for _, o := range outs {
		actions = append(actions, o.Action)
	}
	title := s.Title
	if title.IT == "" {
		title = modeler.Text{IT: s.ID, EN: s.ID}
	}
	if err := r.record(ctx, pratica.Transition{Kind: pratica.KindNeedsAttention,
		Detail:    map[string]any{"step": s.ID, "stepType": s.Type, "error": msg, "errorType": typ, "activity": activity},
		MessageIT: "Il passo «" + title.In("it") + "» non è riuscito: " + msg + ". Un operatore deve riprovarlo, saltarlo o annullare la pratica",
		MessageEN: "Step \"" + title.In("en") + "\" failed: " + msg + ". An operator must retry it, skip it or cancel the pratica",
		OpenTask: &pratica.Task{Ente: r.in.Ente, Step: key, Role: pratica.RoleOperator, Office: office, Outcomes: actions,
			TitleIT: "Da verificare: " + title.In("it"), TitleEN: "Needs attention: " + title.In("en"), Deadline: r.due()},
	}); err != nil {
		return "", "", err
	}
	pa, err := r.take(ctx, "task:"+key)
	if err != nil {
		return "", "", err // cancelled: the pratica is being revoked
	}
	r.status, r.holder = status, holder
	kind, next, it, en := "attention_retry", s.ID, "Il passo «"+title.In("it")+"» viene ripetuto", "Step \""+title.In("en")+"\" is retried"
	if pa.req.Action == ActSkip {
		kind, next, it, en = "attention_skipped", s.Next, "Il passo «"+title.In("it")+"» è stato saltato", "Step \""+title.In("en")+"\" was skipped"
	}
	err = r.record(ctx, pratica.Transition{Kind: kind, Actor: pa.req.Actor.Subject, CloseTask: key,
		Detail:    map[string]any{"step": s.ID, "outcome": pa.req.Action, "reason": pa.req.Reason},
		MessageIT: it + reasonSuffix(pa.req.Reason), MessageEN: en + reasonSuffix(pa.req.Reason)})
	pa.done = true
	return next, "", err
}

// isAttention reports whether t is the task of a failed step.
func (t *openTask) isAttention() bool {
	return len(t.step) > len(attentionPrefix) && t.step[:len(attentionPrefix)] == attentionPrefix
}

// failureOf gives the message and type of a step's failure, and the activity that failed.
func failureOf(err error) (msg, typ, activity string) {
	msg = err.Error()
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		msg, typ = appErr.Message(), appErr.Type()
	}
	var actErr *temporal.ActivityError
	if errors.As(err, &actErr) {
		activity = actErr.ActivityType().GetName()
	}
	return msg, typ, activity
}
