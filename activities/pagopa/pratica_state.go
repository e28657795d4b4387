package pagopa

import (
	"context"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/errs"
)

var _ activities.Positions = (*PraticaPayments)(nil)

// restInvalidator is the part of *Service that closes a partially paid position.
type restInvalidator interface {
	InvalidateRest(ctx context.Context, org, iupd string) (*Position, error)
}

// StateOf turns a stored position into what a payment step reads of it.
func StateOf(p *Position) *activities.PositionState {
	out := &activities.PositionState{IUPD: p.IUPD, Status: string(p.Status)}
	for _, o := range p.Options {
		st := activities.OptionState{NoticeNumber: o.NoticeNumber, IUV: o.IUV, AmountCents: o.Amount, DueDate: o.DueDate,
			Installment: o.Installment, PaidAt: o.PaidAt}
		if o.Status == OptionPaid {
			st.ReceiptID = o.ReceiptID
		}
		out.Options = append(out.Options, st)
	}
	return out
}

// State reads the position of a payment step with the receipts stored for it.
func (a *PraticaPayments) State(ctx context.Context, ref activities.PositionRef) (*activities.PositionState, error) {
	p, err := a.Positions.ByEnteIUPD(ctx, ref.Ente, ref.IUPD)
	if err != nil {
		return nil, err
	}
	return StateOf(p), nil
}

// Close ends a payment step's position for good (withdrawal, revocation,
// expiry): an unpaid one is invalidated, a paid one left as it is, a
// partially paid one keeps its paid installments and loses the rest. The
// outcome says which; an unknown iupd (a failed issue) is not_found.
func (a *PraticaPayments) Close(ctx context.Context, ref activities.PositionRef) (*activities.PositionState, error) {
	out, err := a.close(ctx, ref)
	if errs.Is(err, errs.Conflict) {
		// A receipt arrived between the read and the invalidation: read again.
		out, err = a.close(ctx, ref)
	}
	return out, err
}

func (a *PraticaPayments) close(ctx context.Context, ref activities.PositionRef) (*activities.PositionState, error) {
	p, err := a.Positions.ByEnteIUPD(ctx, ref.Ente, ref.IUPD)
	if errs.Is(err, errs.NotFound) {
		return &activities.PositionState{IUPD: ref.IUPD, Outcome: activities.ClosedUnknown}, nil
	}
	if err != nil {
		return nil, err
	}
	outcome := activities.ClosedInvalidated
	switch p.Status {
	case Paid, Reported:
		outcome = activities.ClosedPaid
	case PartiallyPaid:
		ri, ok := a.Payments.(restInvalidator)
		if !ok {
			return nil, errs.E(errs.Internal, "position %s is partially paid and cannot be closed here", ref.IUPD)
		}
		if p, err = ri.InvalidateRest(ctx, p.Creditor.FiscalCode, ref.IUPD); err != nil {
			return nil, err
		}
		outcome = activities.ClosedPartial
	case Invalid:
		if len(StateOf(p).Paid()) > 0 {
			outcome = activities.ClosedPartial
		}
	default:
		if p, err = a.Payments.Invalidate(ctx, p.Creditor.FiscalCode, ref.IUPD); err != nil {
			return nil, err
		}
	}
	out := StateOf(p)
	out.Outcome = outcome
	return out, nil
}
