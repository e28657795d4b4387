package workflows

import (
	"sort"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

// clockLaw says which national holiday list the pratica counts with. Histories
// recorded before 4 October became a holiday again (L. 151/2025) have no
// "clock-v1" marker and keep the old list, so they replay the same dates.
func clockLaw(ctx workflow.Context) (before151 bool) {
	return workflow.GetVersion(ctx, "clock-v1", workflow.DefaultVersion, 1) == workflow.DefaultVersion
}

func (r *run) clockOf(ctx workflow.Context) pratica.Clock {
	return pratica.Clock{Working: r.clock.Working, Patron: r.clock.Patron, Before151: clockLaw(ctx)}
}

// startClock starts the legal term from now.
func (r *run) startClock(ctx workflow.Context, d *modeler.Deadline) {
	days, working, patron := d.Days, d.Working, d.Patron
	if days == 0 {
		days, working = r.svc.TermDays, r.svc.WorkingDays
	}
	if patron == "" {
		patron = r.svc.Patron
	}
	sub := d.Substitute
	if sub == "" {
		sub = r.svc.Substitute
	}
	c := pratica.Clock{Working: working, Patron: patron, Before151: clockLaw(ctx)}
	r.clock = &LegalClock{Due: c.Due(workflow.Now(ctx), days), Working: working, Patron: patron,
		OnExpiry: d.OnExpiry, Substitute: sub, Next: d.Next}
}

func (r *run) due() *time.Time {
	if r.clock == nil {
		return nil
	}
	d := r.clock.Due
	return &d
}

func (r *run) suspendClock(ctx workflow.Context) {
	if r.clock == nil || r.clock.Suspended || r.clock.Expired {
		return
	}
	r.clock.Remaining = r.clockOf(ctx).Remaining(workflow.Now(ctx), r.clock.Due)
	r.clock.Suspended = true
	r.clockMoved = true
}

// resumeClock restarts the term with the days it had left when suspended.
func (r *run) resumeClock(ctx workflow.Context) {
	if r.clock == nil || !r.clock.Suspended {
		return
	}
	r.clock.Due = r.clockOf(ctx).Due(workflow.Now(ctx), r.clock.Remaining)
	r.clock.Suspended, r.clockMoved = false, true
}

func (r *run) stopClock() {
	if r.clock != nil {
		r.clockMoved = true
	}
}

// deadline starts the procedure's legal term and goes on at once: the term runs
// beside the remaining steps.
func (r *run) deadline(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	running := r.clock != nil
	r.startClock(ctx, s.Deadline)
	if !running {
		workflow.Go(ctx, r.runClock)
	}
	due := r.clock.Due.In(calendar.Rome).Format("02/01/2006")
	err := r.record(ctx, pratica.Transition{Kind: "deadline_started",
		Detail:    map[string]any{"due": r.clock.Due, "working": r.clock.Working, "onExpiry": r.clock.OnExpiry},
		MessageIT: "Termine del procedimento: " + due, MessageEN: "Term of the procedure: " + due})
	return s.Next, "", err
}

// runClock waits for the legal term; on expiry it escalates to the potere
// sostitutivo or closes the pratica by silenzio-assenso, as the procedure says.
func (r *run) runClock(ctx workflow.Context) {
	for {
		if r.ended || r.clock == nil || r.clock.Expired {
			return
		}
		if r.clock.Suspended {
			if workflow.Await(ctx, func() bool { return !r.clock.Suspended || r.ended }) != nil {
				return
			}
			continue
		}
		r.clockMoved = false
		if wait := r.clock.Due.Sub(workflow.Now(ctx)); wait > 0 {
			moved, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return r.clockMoved || r.ended })
			if err != nil {
				return
			}
			if moved {
				continue
			}
		}
		if r.ended {
			return
		}
		r.clock.Expired = true
		if r.clock.OnExpiry == "silenzio-assenso" {
			r.stop = &ActionRequest{Action: "silenzio-assenso", Reason: "termine scaduto"}
			r.cancel()
			return
		}
		r.escalate(ctx)
		return
	}
}

// escalate moves every open task to the office holding the potere sostitutivo.
func (r *run) escalate(ctx workflow.Context) {
	to := r.clock.Substitute
	var moved []pratica.TaskChange
	for _, step := range sortedTasks(r.tasks) {
		if t := r.tasks[step]; to != "" {
			t.office, t.takenBy = to, ""
			moved = append(moved, t.change())
		}
	}
	if to != "" {
		r.office, r.holder = to, to
	}
	_ = r.record(ctx, pratica.Transition{Kind: "deadline_expired", Detail: map[string]any{"substitute": to}, Tasks: moved,
		MessageIT: "Termine scaduto: la pratica passa al titolare del potere sostitutivo (" + to + ")",
		MessageEN: "Term expired: the pratica goes to the holder of the substitute power (" + to + ")"})
}

// compensate closes a stopped pratica: open debt positions are invalidated and
// pending tasks closed, and the timeline says why. It runs on a disconnected
// context, because the main one was cancelled to get here.
func (r *run) compensate(ctx workflow.Context) (string, error) {
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	stop := r.stop
	if stop == nil {
		stop = &ActionRequest{Action: ActRevoke, Reason: "cancelled"}
	}
	var kind, outcome, it, en string
	detail := map[string]any{"reason": stop.Reason}
	switch stop.Action {
	case ActWithdraw:
		r.status, kind, outcome = pratica.Withdrawn, "withdrawn", "withdrawn"
		it, en = "Pratica ritirata dal richiedente", "Pratica withdrawn by the applicant"
	case "silenzio-assenso":
		r.status, kind, outcome = pratica.Completed, "silenzio_assenso", "silenzio-assenso"
		due := r.clock.Due.In(calendar.Rome).Format("02/01/2006")
		it = "Accolta per silenzio-assenso: il termine è scaduto il " + due
		en = "Granted by silenzio-assenso (tacit consent): the term expired on " + due
		detail["attestation"] = attestation(r, due)
	default:
		r.status, kind, outcome = pratica.Revoked, "revoked", "revoked"
		it, en = "Pratica annullata dall'ente", "Pratica revoked by the ente"
	}
	if stop.Action != "silenzio-assenso" {
		if err := r.invalidatePositions(dctx, detail); err != nil {
			return "", err
		}
	}
	r.holder, r.integration, r.formWait = "", "", ""
	r.tasks = map[string]*openTask{}
	r.ended = true
	err := r.record(dctx, pratica.Transition{Kind: kind, Actor: stop.Actor.Subject, Outcome: outcome, CancelTasks: true,
		Detail: detail, MessageIT: it + reasonSuffix(stop.Reason), MessageEN: en + reasonSuffix(stop.Reason)})
	if err != nil {
		return "", err
	}
	_ = workflow.Await(dctx, func() bool { return workflow.AllHandlersFinished(dctx) })
	return outcome, nil
}

func attestation(r *run, due string) string {
	return "Si attesta che la pratica " + r.in.PraticaID + " (" + r.plan.Title.IT + "), presentata a " + r.svc.EnteName +
		", è accolta per silenzio-assenso ai sensi dell'art. 20 della L. 241/1990: il termine del procedimento è scaduto il " +
		due + " senza un provvedimento espresso."
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedTasks(m map[string]*openTask) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
