package issuance

import (
	"context"
	"sync"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// Positions stores a chunk's positions and their GPD status; *pagopa.Store
// implements it.
type Positions interface {
	CreateMany(ctx context.Context, ps []*pagopa.Position) ([]*pagopa.Position, error)
	SetStatuses(ctx context.Context, cs []pagopa.StatusChange) error
}

// Outcome is what GPD made of one position.
type Outcome struct {
	Status  pagopa.Status // GPD's status when it took the position
	Refused string        // GPD refused it for good: the reason
	Err     error         // a transient failure: try again later
}

// GPD sends a chunk's positions to GPD and tells each one's outcome, in order.
// SingleGPD speaks GPD's single-position API; the massive upload API can
// take its place behind this interface.
type GPD interface {
	Send(ctx context.Context, org string, ps []pagopa.GPDPosition) []Outcome
}

// SingleGPD sends each position with one call of GPD's single-position API,
// Parallel at a time (default 8): creating an iupd GPD already has answers
// the existing position, so a resend after a crash is harmless.
type SingleGPD struct {
	GPD      pagopa.GPD
	Parallel int
}

// Send creates and publishes each position at GPD.
func (s SingleGPD) Send(ctx context.Context, org string, ps []pagopa.GPDPosition) []Outcome {
	out := make([]Outcome, len(ps))
	par := s.Parallel
	if par <= 0 {
		par = 8
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				g, err := s.GPD.CreatePosition(ctx, org, ps[i], true)
				switch {
				case err == nil:
					out[i].Status = pagopa.Status(g.Status)
				case errs.Is(err, errs.Invalid):
					out[i].Refused = err.Error()
					if e, ok := errs.As(err); ok {
						out[i].Refused = e.Error()
					}
				default:
					out[i].Err = err
				}
			}
		}()
	}
	for i := range ps {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
