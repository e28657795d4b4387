package pagopa

import (
	"context"
	"fmt"

	"github.com/sportello/sportello/errs"
)

// InvalidateRest closes a position whose plan was left unfinished: the
// installments already paid stay paid (their receipts are kept), the unpaid
// ones can no longer be paid, at GPD as here. A position not partially paid is
// a conflict: Invalidate is for unpaid ones, and a paid one has nothing left.
func (s *Service) InvalidateRest(ctx context.Context, org, iupd string) (*Position, error) {
	p, err := s.Positions.ByIUPD(ctx, org, iupd)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case Invalid:
		return p, s.reduce(ctx, org, p)
	case PartiallyPaid:
	default:
		return nil, errs.E(errs.Conflict, "position %s is %s, not partially paid", iupd, p.Status)
	}
	if p.Synced {
		if _, err := s.GPD.InvalidatePosition(ctx, org, iupd); err != nil {
			return nil, fmt.Errorf("invalidate the unpaid rest of position %s: %w", iupd, err)
		}
	}
	if err := s.Positions.SetStatus(ctx, p.ID, Invalid, p.Synced); err != nil {
		return nil, err
	}
	p.Status = Invalid
	return p, s.reduce(ctx, org, p)
}
