package main

import (
	"context"

	"github.com/sportello/sportello/pratica"
)

// waitingPratiche lists the pratiche waiting for a payment, for the sweep of paid positions.
type waitingPratiche struct{ s *pratica.Store }

func (w waitingPratiche) WaitingPayment(ctx context.Context, limit, offset int) ([]string, error) {
	ps, err := w.s.List(ctx, pratica.Filter{Status: pratica.PaymentPending, Limit: limit, Offset: offset})
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids, nil
}
