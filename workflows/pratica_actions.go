package workflows

import (
	"sort"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// tasksVersion guards the choice of the task an action without a named task
// goes to (taskFor): pratiche started before it keep the old choice on replay.
const tasksVersion = "tasks-v2"

// Actions that are not task outcomes.
const (
	ActSubmit     = "submit"      // citizen: a form step's data
	ActIntegrate  = "integrate"   // citizen: the integration asked by the office
	ActWithdraw   = "withdraw"    // citizen: withdraws the pratica
	ActTakeCharge = "take_charge" // operator: takes charge of an open task
	ActReassign   = "reassign"    // operator: moves an open task to another office (data.office)
	ActRevoke     = "revoke"      // ente admin: cancels the pratica (annullamento)
)

func (r *run) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, StateQuery, func() (State, error) {
		return State{Status: string(r.status), Step: r.step, Actions: r.allActions()}, nil
	}); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, ActionUpdate, r.handleAction, workflow.UpdateHandlerOptions{
		Validator: r.validateAction,
	})
}

// isCitizen reports whether a is the owner of the pratica.
func (r *run) isCitizen(a Actor) bool {
	return a.Role == pratica.RoleCitizen && a.Subject == r.in.Owner
}

// isStaff reports whether a works for the pratica's ente (or for the region).
func (r *run) isStaff(a Actor) bool {
	switch a.Role {
	case pratica.RoleRegionalAdmin:
		return true
	case pratica.RoleOperator, pratica.RoleEnteAdmin:
		return a.Ente == r.in.Ente
	}
	return false
}

// allowed lists what a may do now. The validator, the 409 answer and the
// projection's action list all come from here.
func (r *run) allowed(a Actor) []string {
	if r.ended || r.stop != nil {
		return []string{}
	}
	set := map[string]bool{}
	if r.isCitizen(a) {
		set[ActWithdraw] = true
		if r.integration != "" {
			set[ActIntegrate] = true
		}
		if r.formWait != "" {
			set[ActSubmit] = true
		}
	}
	if r.isStaff(a) {
		if a.Role != pratica.RoleOperator {
			set[ActRevoke] = true
		}
		for _, t := range r.tasks {
			if !r.canWork(a, t) {
				continue
			}
			if t.takenBy == "" {
				set[ActTakeCharge] = true
			}
			set[ActReassign] = true
			for _, o := range t.task.Outcomes {
				set[o.Action] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// canWork reports whether staff member a may act on the open task t: an
// operator only on the tasks of their office and role, and never on a task
// waiting for the citizen's integration.
func (r *run) canWork(a Actor, t *openTask) bool {
	if a.Role == pratica.RoleOperator && a.Office != "" && t.office != "" && a.Office != t.office {
		return false
	}
	if t.task.Role != "" && a.Role == pratica.RoleOperator && t.task.Role != pratica.RoleOperator {
		return false
	}
	return r.integration != t.step
}

// isTaskAction reports whether action acts on an open task (taking charge,
// reassigning, or one of the task's outcomes).
func isTaskAction(action string) bool {
	switch action {
	case ActSubmit, ActIntegrate, ActWithdraw, ActRevoke:
		return false
	}
	return true
}

// allActions lists what anyone may do now, for the projection.
func (r *run) allActions() []string {
	set := map[string]bool{}
	for _, a := range r.allowed(Actor{Role: pratica.RoleCitizen, Subject: r.in.Owner}) {
		set["citizen:"+a] = true
	}
	for _, t := range r.tasks {
		for _, a := range r.allowed(Actor{Role: pratica.RoleOperator, Ente: r.in.Ente, Office: t.office}) {
			set["operator:"+a] = true
		}
	}
	if !r.ended && r.stop == nil {
		set["ente-admin:"+ActRevoke] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validateAction refuses, before anything is recorded, an action the actor may
// not take now. It must not change state.
func (r *run) validateAction(req ActionRequest) error {
	allowed := r.allowed(req.Actor)
	ok := false
	for _, a := range allowed {
		ok = ok || a == req.Action
	}
	if !ok {
		return notAllowed("not allowed in state "+string(r.status), allowed)
	}
	if isTaskAction(req.Action) {
		t := r.taskFor(req)
		switch {
		case t == nil:
			return notAllowed("no open task "+req.Task+" for "+req.Action, allowed)
		case !r.canWork(req.Actor, t):
			return notAllowed("task "+t.step+" belongs to office "+t.office, allowed)
		case req.Action == ActTakeCharge && t.takenBy != "":
			return notAllowed("task "+t.step+" is already taken in charge by "+t.takenBy, allowed)
		case req.Action != ActReassign && req.Action != ActTakeCharge && req.Actor.Role == pratica.RoleOperator &&
			t.takenBy != "" && t.takenBy != req.Actor.Subject:
			return notAllowed("task "+t.step+" is taken in charge by "+t.takenBy, allowed)
		}
	}
	var fields []errs.FieldError
	switch req.Action {
	case ActReassign:
		if s, _ := req.Data["office"].(string); strings.TrimSpace(s) == "" {
			fields = append(fields, errs.FieldError{Field: "data.office", Message: "is required to reassign"})
		}
	case ActRevoke:
		if strings.TrimSpace(req.Reason) == "" {
			fields = append(fields, errs.FieldError{Field: "reason", Message: "is required to revoke a pratica"})
		}
	default:
		if t := r.taskFor(req); t != nil {
			for _, o := range t.task.Outcomes {
				if o.Action == req.Action && o.ReasonRequired && strings.TrimSpace(req.Reason) == "" {
					fields = append(fields, errs.FieldError{Field: "reason", Message: "is required for " + o.Action})
				}
			}
		}
	}
	if len(fields) > 0 {
		return temporal.NewApplicationErrorWithOptions(fields[0].Field+": "+fields[0].Message, "invalid",
			temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{fields}})
	}
	return nil
}

func notAllowed(msg string, allowed []string) error {
	return temporal.NewApplicationErrorWithOptions(msg, NotAllowed,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{allowed}})
}

// taskFor finds the open task an operator action is meant for: the named one, or
// the first the actor may work whose outcomes include the action. It returns nil
// when there is none: the validator refuses such an action before the handler runs.
func (r *run) taskFor(req ActionRequest) *openTask {
	if req.Task != "" {
		return r.tasks[req.Task]
	}
	steps := make([]string, 0, len(r.tasks))
	for s := range r.tasks {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	for _, s := range steps {
		t := r.tasks[s]
		if r.tasksV2 && (!r.canWork(req.Actor, t) || (req.Action == ActTakeCharge && t.takenBy != "")) {
			continue
		}
		if req.Action == ActTakeCharge || req.Action == ActReassign {
			return t
		}
		for _, o := range t.task.Outcomes {
			if o.Action == req.Action {
				return t
			}
		}
	}
	return nil
}

func (r *run) handleAction(ctx workflow.Context, req ActionRequest) (ActionResult, error) {
	stop := req.Action == ActWithdraw || req.Action == ActRevoke
	if t := r.taskFor(req); req.Action == ActCancel && t != nil && t.isAttention() {
		// Cancelling after a failure revokes the pratica, with compensation.
		stop, req.Action = true, ActRevoke
		if req.Reason == "" {
			req.Reason = "annullata dopo un errore / cancelled after a failure"
		}
	}
	switch {
	case stop:
		r.stop = &req
		r.cancel()
		if err := workflow.Await(ctx, func() bool { return r.ended }); err != nil {
			return ActionResult{}, err
		}
		return r.result(), nil
	case req.Action == ActTakeCharge:
		t := r.taskFor(req)
		if t == nil {
			return ActionResult{}, notAllowed("no open task for "+req.Action, r.allowed(req.Actor))
		}
		t.takenBy = req.Actor.Subject
		r.status, r.holder = pratica.InCharge, t.office
		err := r.record(ctx, pratica.Transition{Kind: "taken_in_charge", Actor: req.Actor.Subject,
			Detail: map[string]any{"task": t.step, "office": t.office}, Tasks: []pratica.TaskChange{t.change()},
			MessageIT: "Pratica presa in carico dall'ufficio " + t.office, MessageEN: "Pratica taken in charge by office " + t.office})
		return r.result(), err
	case req.Action == ActReassign:
		t := r.taskFor(req)
		if t == nil {
			return ActionResult{}, notAllowed("no open task for "+req.Action, r.allowed(req.Actor))
		}
		to, _ := req.Data["office"].(string)
		from := t.office
		t.office, t.takenBy, r.office, r.holder = to, "", to, to
		err := r.record(ctx, pratica.Transition{Kind: "reassigned", Actor: req.Actor.Subject,
			Detail: map[string]any{"task": t.step, "from": from, "to": to, "reason": req.Reason}, Tasks: []pratica.TaskChange{t.change()},
			MessageIT: "Pratica assegnata all'ufficio " + to, MessageEN: "Pratica reassigned to office " + to})
		return r.result(), err
	}
	var key string
	switch req.Action {
	case ActSubmit:
		key = "form:" + r.formWait
	case ActIntegrate:
		key = "integrate:" + r.integration
	default:
		t := r.taskFor(req)
		if t == nil {
			return ActionResult{}, notAllowed("no open task for "+req.Action, r.allowed(req.Actor))
		}
		key = "task:" + t.step
	}
	pa := &pendingAction{req: req}
	r.pending[key] = pa
	if err := workflow.Await(ctx, func() bool { return pa.done }); err != nil {
		return ActionResult{}, err
	}
	if pa.err != nil {
		return ActionResult{}, pa.err
	}
	return r.result(), nil
}

func (r *run) result() ActionResult {
	return ActionResult{Status: string(r.status), Step: r.step, Actions: r.allActions()}
}

// take waits for the action filed under key, or for the pratica to be stopped.
func (r *run) take(ctx workflow.Context, key string) (*pendingAction, error) {
	if err := workflow.Await(ctx, func() bool { return r.pending[key] != nil }); err != nil {
		return nil, err
	}
	pa := r.pending[key]
	delete(r.pending, key)
	return pa, nil
}
