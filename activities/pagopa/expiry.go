package pagopa

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
)

// ExpireDueName is the registered name of Expiry.ExpireDue.
const ExpireDueName = "pagopa.ExpireDue"

// Expiry expires the positions past their due dates; *Store implements Expirer.
type Expiry struct {
	Positions Expirer
}

// Expirer moves due positions to EXPIRED.
type Expirer interface {
	ExpireDue(ctx context.Context, now time.Time) (int64, error)
}

// ExpireDue expires, as of now, every valid position whose options are all past
// due and that asked to switch to expired. Running it twice expires nothing more.
func (e *Expiry) ExpireDue(ctx context.Context) (int64, error) {
	n, err := e.Positions.ExpireDue(ctx, time.Now())
	if err == nil && n > 0 {
		activity.GetLogger(ctx).Info("positions expired", "count", n)
	}
	return n, err
}
