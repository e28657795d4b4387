package ledger

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/errs"
)

// ReconcileDayActivity is the registered name of Activities.ReconcileDay,
// persisted in histories: never rename it.
const ReconcileDayActivity = "ledger.ReconcileDay"

// Reconciler runs one reconciliation; *Service implements it.
type Reconciler interface {
	Reconcile(ctx context.Context, ente, day string) (*RunReport, error)
}

// Activities are the reconciliation activities.
type Activities struct {
	Reconciler Reconciler
	// Poller imports published flows; nil leaves PollFlows unregistered.
	Poller *FlowPoller
}

// DayInput names the ente and the day (YYYY-MM-DD, Europe/calendar.Rome) to reconcile.
type DayInput struct {
	Ente string `json:"ente"`
	Day  string `json:"day"`
}

// ReconcileDay reconciles one ente's day. It is safe to retry: outcomes are
// upserted and entries posted once per source event.
func (a *Activities) ReconcileDay(ctx context.Context, in DayInput) (*RunReport, error) {
	rep, err := a.Reconciler.Reconcile(ctx, in.Ente, in.Day)
	if err != nil {
		switch code := errs.CodeOf(err); code {
		case errs.Invalid, errs.NotFound, errs.Forbidden:
			return nil, temporal.NewNonRetryableApplicationError(err.Error(), string(code), err)
		}
		return nil, err
	}
	return rep, nil
}
