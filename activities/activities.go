// Package activities holds the Temporal activities of a pratica that touch our
// own database: the projection of its state and the loading of its plan. The
// activities of outside systems live in one subfolder each (pagopa, appio, ledger).
package activities

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// Activity names, persisted in histories: never rename one.
const (
	RecordTransition = "pratica.RecordTransition"
	LoadPlan         = "pratica.LoadPlan"
)

// Projection is where transitions are written.
type Projection interface {
	Record(ctx context.Context, t pratica.Transition) (bool, error)
}

// Activities are the pratica activities; fields are interfaces so tests pass
// real stores or fakes the same way.
type Activities struct {
	Projection Projection
	Plans      PlanSource
	Payments   Payments
	Messages   Messages
	Ledger     Ledger
	Forms      Forms
	// Positions reads and closes the debt positions of payment steps; Refunds
	// queues the paid parts of a withdrawn pratica for the finance office.
	Positions Positions
	Refunds   Refunds
	Now       func() time.Time
	// OnAttention is called once for each step failure recorded as "needs
	// attention" (the binary counts them in a Prometheus counter); nil does nothing.
	OnAttention func(stepType, errorType string)
}

// Record writes one transition of a pratica. It is idempotent on (pratica, seq),
// so a retry after a timeout never writes twice.
func (a *Activities) Record(ctx context.Context, t pratica.Transition) error {
	if t.At.IsZero() {
		t.At = a.now()
	}
	applied, err := a.Projection.Record(ctx, t)
	if applied && t.Kind == pratica.KindNeedsAttention && a.OnAttention != nil {
		stepType, _ := t.Detail["stepType"].(string)
		errorType, _ := t.Detail["errorType"].(string)
		a.OnAttention(stepType, errorType)
	}
	return nonRetryable(err)
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// nonRetryable turns errors that no retry can fix (bad input, missing rows) into
// non-retryable application errors typed by their code; others are retried.
func nonRetryable(err error) error {
	if err == nil {
		return nil
	}
	// An adapter's own typed error (appio_uncertain, email_refused ...) keeps
	// its type: workflows branch on it.
	var typed *temporal.ApplicationError
	if errors.As(err, &typed) {
		return err
	}
	switch code := errs.CodeOf(err); code {
	case errs.Invalid, errs.NotFound, errs.Conflict, errs.Forbidden:
		var details []any
		if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
			details = append(details, e.Fields)
		}
		return temporal.NewNonRetryableApplicationError(err.Error(), string(code), err, details...)
	}
	return err
}
