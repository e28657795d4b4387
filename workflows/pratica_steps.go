package workflows

import (
	"fmt"
	"sort"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

// record projects the current state plus one timeline event. It runs on a
// disconnected context, so a withdrawal arriving meanwhile cannot lose the event.
func (r *run) record(ctx workflow.Context, t pratica.Transition) error {
	r.seq++
	t.PraticaID, t.Seq, t.At = r.in.PraticaID, r.seq, workflow.Now(ctx)
	t.Status, t.Step, t.Holder, t.Office, t.Actions = r.status, r.step, r.holder, r.office, r.allActions()
	if r.clock != nil {
		due := r.clock.Due
		t.Deadline, t.Suspended = &due, r.clock.Suspended
		if r.clock.Suspended {
			// The status API shows the frozen remainder, not a count to the old due date.
			left := r.clock.Remaining
			t.Remaining = &left
		}
	}
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	return workflow.ExecuteActivity(dbCtx(dctx), activities.RecordTransition, t).Get(dctx, nil)
}

// submitted records the citizen's first submission, which started the pratica.
func (r *run) submitted(ctx workflow.Context) error {
	r.step = r.plan.Start
	if s := r.plan.Steps[r.plan.Start]; s != nil && s.Type == modeler.StepForm {
		r.step = s.ID
	}
	if d := r.plan.Deadline; d != nil {
		r.startClock(ctx, d)
	}
	return r.record(ctx, pratica.Transition{Kind: "submitted", Actor: r.in.Owner, Data: r.data,
		MessageIT: "Pratica inviata: " + r.plan.Title.In("it"), MessageEN: "Pratica submitted: " + r.plan.Title.In("en")})
}

// validate checks data against a form, the form's rules seeing the owner as
// the applicant, and returns the data to keep: normalised (a codice fiscale
// upper-cased) from rules-v1 on; as submitted in histories recorded before,
// whose ValidateData gave no result.
func (r *run) validate(ctx workflow.Context, formID string, version int, data map[string]any, sent []string) (map[string]any, error) {
	if formID == "" {
		return data, nil
	}
	normalised := workflow.GetVersion(ctx, "rules-v1", workflow.DefaultVersion, 1) >= 1
	fut := workflow.ExecuteActivity(dbCtx(ctx), activities.ValidateData, activities.DataCheck{
		FormID: formID, Version: version, Data: data, Lang: r.in.Lang, Applicant: r.in.Owner, Sent: sent,
	})
	if !normalised {
		return data, fut.Get(ctx, nil)
	}
	var out activities.DataChecked
	if err := fut.Get(ctx, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		return data, nil
	}
	return out.Data, nil
}

func (r *run) form(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	if s.ID == r.plan.Start && r.seq <= 1 {
		return s.Next, "", nil // the start form is the submission itself
	}
	r.formWait, r.status, r.holder = s.ID, pratica.Draft, pratica.HolderCitizen
	if err := r.record(ctx, pratica.Transition{Kind: "form_requested",
		MessageIT: "In attesa dei dati: " + s.Title.In("it"), MessageEN: "Waiting for data: " + s.Title.In("en")}); err != nil {
		return "", "", err
	}
	for {
		pa, err := r.take(ctx, "form:"+s.ID)
		if err != nil {
			return "", "", err
		}
		merged, err := r.validate(ctx, s.Form.FormID, s.Form.Version, merge(r.data, pa.req.Data), sentFields(pa.req.Data))
		if err != nil {
			pa.err, pa.done = err, true
			continue
		}
		r.data, r.formWait, r.status = merged, "", pratica.Submitted
		err = r.record(ctx, pratica.Transition{Kind: "form_submitted", Actor: pa.req.Actor.Subject, Data: r.data,
			MessageIT: "Dati inviati: " + s.Title.In("it"), MessageEN: "Data submitted: " + s.Title.In("en")})
		pa.done = true
		return s.Next, "", err
	}
}

func (r *run) task(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	ts := s.Task
	office := ts.Office
	if office == "" {
		office = r.svc.Office
	}
	t := &openTask{step: s.ID, task: ts, office: office}
	r.tasks[s.ID] = t
	defer delete(r.tasks, s.ID)
	if r.status == pratica.Submitted || r.status == pratica.PaymentSuccess || r.status == pratica.Draft {
		r.status = pratica.Registered
	}
	r.holder, r.office = office, office
	outcomes := make([]string, 0, len(ts.Outcomes))
	for _, o := range ts.Outcomes {
		outcomes = append(outcomes, o.Action)
	}
	open := func(kind, it, en string) error {
		return r.record(ctx, pratica.Transition{Kind: kind, MessageIT: it, MessageEN: en,
			OpenTask: &pratica.Task{Ente: r.in.Ente, Step: s.ID, TitleIT: s.Title.In("it"), TitleEN: s.Title.In("en"),
				Role: ts.Role, Office: t.office, Outcomes: outcomes, Form: ts.FormID, Deadline: r.due()}})
	}
	if err := open("task_opened", "In carico all'ufficio "+office+": "+s.Title.In("it"), "With office "+office+": "+s.Title.In("en")); err != nil {
		return "", "", err
	}
	for {
		pa, err := r.take(ctx, "task:"+s.ID)
		if err != nil {
			return "", "", err
		}
		var o modeler.Outcome
		for _, x := range ts.Outcomes {
			if x.Action == pa.req.Action {
				o = x
			}
		}
		checked, err := r.validate(ctx, ts.FormID, ts.Version, pa.req.Data, nil)
		if err != nil {
			pa.err, pa.done = err, true
			continue
		}
		pa.req.Data = checked
		r.vars["task_"+s.ID] = map[string]any{"action": o.Action, "data": pa.req.Data, "reason": pa.req.Reason, "by": pa.req.Actor.Subject}
		if o.Integration {
			if err := r.askIntegration(ctx, s, t, pa); err != nil {
				return "", "", err
			}
			if err := open("task_reopened", "Integrazione ricevuta: la pratica torna all'ufficio "+t.office,
				"Integration received: the pratica is back with office "+t.office); err != nil {
				return "", "", err
			}
			continue
		}
		r.status = pratica.Processing
		err = r.record(ctx, pratica.Transition{Kind: "task_completed", Actor: pa.req.Actor.Subject, CloseTask: s.ID,
			Detail:    map[string]any{"outcome": o.Action, "reason": pa.req.Reason},
			MessageIT: o.Label.In("it") + reasonSuffix(pa.req.Reason), MessageEN: o.Label.In("en") + reasonSuffix(pa.req.Reason)})
		pa.done = true
		return o.Next, "", err
	}
}

// askIntegration hands the pratica back to the citizen, stops the legal clock
// (L. 241/1990 art. 2 c. 7) and waits for the integration.
func (r *run) askIntegration(ctx workflow.Context, s *modeler.Step, t *openTask, pa *pendingAction) error {
	r.integration, r.status, r.holder = s.ID, pratica.IntegrationRequested, pratica.HolderCitizen
	r.suspendClock(ctx)
	err := r.record(ctx, pratica.Transition{Kind: "integration_requested", Actor: pa.req.Actor.Subject, CloseTask: s.ID,
		Detail:    map[string]any{"outcome": pa.req.Action, "reason": pa.req.Reason},
		MessageIT: "Integrazione richiesta" + reasonSuffix(pa.req.Reason) + "; termine sospeso",
		MessageEN: "Integration requested" + reasonSuffix(pa.req.Reason) + "; term suspended"})
	pa.done = true
	if err != nil {
		return err
	}
	for {
		in, err := r.take(ctx, "integrate:"+s.ID)
		if err != nil {
			return err
		}
		merged, err := r.validate(ctx, startForm(r.plan), startFormVersion(r.plan), merge(r.data, in.req.Data), sentFields(in.req.Data))
		if err != nil {
			in.err, in.done = err, true
			continue
		}
		r.data, r.integration, r.status, r.holder = merged, "", pratica.SubmittedAfterIntegration, t.office
		t.takenBy = ""
		r.resumeClock(ctx)
		err = r.record(ctx, pratica.Transition{Kind: "integration_submitted", Actor: in.req.Actor.Subject, Data: r.data,
			MessageIT: "Integrazione inviata; il termine riprende", MessageEN: "Integration sent; the term resumes"})
		in.done = true
		return err
	}
}

func (r *run) wait(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	var d time.Duration
	switch {
	case s.Wait.Duration != "":
		var err error
		if d, err = time.ParseDuration(s.Wait.Duration); err != nil {
			return "", "", temporal.NewNonRetryableApplicationError("wait "+s.ID+": "+err.Error(), "invalid_plan", nil)
		}
	case s.Wait.UntilExpr != "":
		v, err := r.plan.Eval(s.Wait.UntilExpr, r.data, r.vars)
		if err != nil {
			return "", "", temporal.NewNonRetryableApplicationError(err.Error(), "invalid_plan", nil)
		}
		until, err := parseWhen(fmt.Sprint(v))
		if err != nil {
			return "", "", temporal.NewNonRetryableApplicationError("wait "+s.ID+": "+err.Error(), "invalid_data", nil)
		}
		d = until.Sub(workflow.Now(ctx))
	}
	if d > 0 {
		if err := workflow.Sleep(ctx, d); err != nil {
			return "", "", err
		}
	}
	return s.Next, "", nil
}

func (r *run) decision(s *modeler.Step) (string, string, error) {
	for _, c := range s.Decision.Cases {
		ok, err := r.plan.EvalBool(c.When, r.data, r.vars)
		if err != nil {
			return "", "", temporal.NewNonRetryableApplicationError("decision "+s.ID+": "+err.Error(), "invalid_plan", nil)
		}
		if ok {
			return c.Next, "", nil
		}
	}
	if s.Decision.Default == "" {
		return "", "", temporal.NewNonRetryableApplicationError("decision "+s.ID+": no case matched and no default", "invalid_plan", nil)
	}
	return s.Decision.Default, "", nil
}

// parallel runs every branch and continues when all have finished; an end step
// inside a branch ends the pratica.
func (r *run) parallel(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	n := len(s.Parallel.Branches)
	errs := make([]error, n)
	done := 0
	var outcome string
	for i, b := range s.Parallel.Branches {
		workflow.Go(ctx, func(bctx workflow.Context) {
			o, err := r.exec(bctx, b, false)
			if o != "" && outcome == "" {
				outcome = o
			}
			errs[i] = err
			done++
		})
	}
	if err := workflow.Await(ctx, func() bool { return done == n || r.ended }); err != nil {
		return "", "", err
	}
	for _, err := range errs {
		if err != nil {
			return "", "", err
		}
	}
	if r.ended {
		return "", outcome, nil
	}
	r.step = s.ID
	return s.Next, "", nil
}

func (r *run) end(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	outcome := s.End.Outcome
	r.status = endStatus(outcome)
	r.holder, r.ended = "", true
	r.stopClock()
	msg := s.End.Message
	if msg.IT == "" {
		msg = modeler.Text{IT: "Pratica conclusa: " + r.status.Label("it"), EN: "Pratica closed: " + r.status.Label("en")}
	}
	it, _ := r.plan.RenderText(msg.IT, r.data, r.vars)
	en, _ := r.plan.RenderText(msg.EN, r.data, r.vars)
	err := r.record(ctx, pratica.Transition{Kind: "closed", Outcome: outcome, CancelTasks: true,
		MessageIT: it, MessageEN: en})
	return "", outcome, err
}

func endStatus(outcome string) pratica.Status {
	switch outcome {
	case "rejected":
		return pratica.Rejected
	case "withdrawn":
		return pratica.Withdrawn
	case "revoked":
		return pratica.Revoked
	}
	return pratica.Completed
}

// sentFields lists the top-level fields of a submission, sorted so the
// activity's input does not depend on map order; never nil, so date bounds
// apply to what was sent only.
func sentFields(data map[string]any) []string {
	out := make([]string, 0, len(data))
	for k := range data {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func merge(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + reason
}

func startForm(p *modeler.Plan) string {
	if s := p.Steps[p.Start]; s != nil && s.Form != nil {
		return s.Form.FormID
	}
	return ""
}

func startFormVersion(p *modeler.Plan) int {
	if s := p.Steps[p.Start]; s != nil && s.Form != nil {
		return s.Form.Version
	}
	return 0
}

func parseWhen(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, calendar.Rome)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD) or RFC 3339 time", s)
	}
	return t, nil
}
