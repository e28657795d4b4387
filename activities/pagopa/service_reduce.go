package pagopa

import (
	"context"
	"fmt"
)

// Reductions reduces the accertamento a campaign position accrued when it is
// invalidated after issue (the ledger's riduzione di accertamento): what the
// paid notices paidIUVs did not cover. It posts once per position however
// often it is called, and nothing for a position it never accrued.
type Reductions interface {
	ReduceAccrual(ctx context.Context, org, iupd string, paidIUVs []string) (int, error)
}

// reduce tells Reductions, if any, that position p is invalid: an error
// fails the invalidation, whose retry finds it invalid and reduces again.
func (s *Service) reduce(ctx context.Context, org string, p *Position) error {
	if s.Reductions == nil {
		return nil
	}
	var paid []string
	for _, o := range p.Options {
		if o.Status == OptionPaid {
			paid = append(paid, o.IUV)
		}
	}
	if _, err := s.Reductions.ReduceAccrual(ctx, org, p.IUPD, paid); err != nil {
		return fmt.Errorf("reduce the accertamento of %s: %w", p.IUPD, err)
	}
	return nil
}
