package activities

import (
	"context"
	"time"
)

// Activity names of the payment step's stored state, persisted in histories.
const (
	PaymentState = "pratica.PaymentState"
	ClosePayment = "pratica.ClosePayment"
	FlagRefund   = "pratica.FlagRefund"
)

// Outcomes of ClosePayment.
const (
	ClosedInvalidated = "invalidated"    // nothing was paid: the position is invalid now
	ClosedPaid        = "paid"           // already paid in full: nothing to invalidate (a no-op)
	ClosedPartial     = "partially_paid" // some installments paid: kept; the unpaid rest invalidated
	ClosedUnknown     = "not_found"      // never issued (a failed issue): nothing to do
)

// PositionRef names a debt position of a pratica: the ente's IPA code and the iupd.
type PositionRef struct {
	Ente string `json:"ente"`
	IUPD string `json:"iupd"`
}

// OptionState is one option of a debt position as stored: the single payment or an installment.
type OptionState struct {
	NoticeNumber string     `json:"noticeNumber"`
	IUV          string     `json:"iuv"`
	AmountCents  int64      `json:"amountCents"`
	DueDate      time.Time  `json:"dueDate"`
	Installment  bool       `json:"installment,omitempty"`
	ReceiptID    string     `json:"receiptId,omitempty"` // set once paid
	PaidAt       *time.Time `json:"paidAt,omitempty"`
}

// PositionState is a debt position as our database knows it: the receipts
// recorded for it, whether or not their signal reached the pratica.
type PositionState struct {
	IUPD    string        `json:"iupd"`
	Status  string        `json:"status"` // GPD's: VALID, PARTIALLY_PAID, PAID, INVALID, ...
	Outcome string        `json:"outcome,omitempty"`
	Options []OptionState `json:"options"`
}

// Paid lists the options with a receipt.
func (p *PositionState) Paid() []OptionState {
	var out []OptionState
	for _, o := range p.Options {
		if o.ReceiptID != "" {
			out = append(out, o)
		}
	}
	return out
}

// RefundRequest flags a paid part of a withdrawn pratica for refund by the finance office.
type RefundRequest struct {
	PraticaID    string    `json:"praticaId"`
	Ente         string    `json:"ente"`
	IUPD         string    `json:"iupd"`
	IUV          string    `json:"iuv"`
	NoticeNumber string    `json:"noticeNumber"`
	ReceiptID    string    `json:"receiptId"`
	AmountCents  int64     `json:"amountCents"`
	PaidAt       time.Time `json:"paidAt"`
}

// Positions reads and closes the debt positions of payment steps.
type Positions interface {
	State(ctx context.Context, ref PositionRef) (*PositionState, error)
	Close(ctx context.Context, ref PositionRef) (*PositionState, error)
}

// Refunds queues refunds for the finance office; idempotent per receipt.
type Refunds interface {
	FlagRefund(ctx context.Context, req RefundRequest) error
}

// PaymentState reads the stored receipts of a position, so a payment step
// notices a receipt whose signal was lost.
func (a *Activities) PaymentState(ctx context.Context, ref PositionRef) (*PositionState, error) {
	if a.Positions == nil { // no store to read: the signals alone tell
		return &PositionState{IUPD: ref.IUPD}, nil
	}
	out, err := a.Positions.State(ctx, ref)
	return out, nonRetryable(err)
}

// ClosePayment invalidates what is unpaid of a position and says what was paid:
// a paid position is left as it is (a no-op, not an error).
func (a *Activities) ClosePayment(ctx context.Context, ref PositionRef) (*PositionState, error) {
	if a.Positions == nil {
		if err := a.Payments.Invalidate(ctx, ref.Ente, ref.IUPD); err != nil {
			return nil, nonRetryable(err)
		}
		return &PositionState{IUPD: ref.IUPD, Outcome: ClosedInvalidated}, nil
	}
	out, err := a.Positions.Close(ctx, ref)
	return out, nonRetryable(err)
}

// FlagRefund puts a paid part of a withdrawn pratica in the finance office's
// queue; nothing to do when no queue is configured.
func (a *Activities) FlagRefund(ctx context.Context, req RefundRequest) error {
	if a.Refunds == nil {
		return nil
	}
	return nonRetryable(a.Refunds.FlagRefund(ctx, req))
}
