package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// RefundKey is the queue key of the refund of a receipt: one item per receipt.
func RefundKey(receiptID string) string { return "refund:" + receiptID }

// Refunds queues refunds in the reconciliation exceptions, where the finance
// office works them like any other item; it implements activities.Refunds.
type Refunds struct {
	Service *Service
}

var _ activities.Refunds = (*Refunds)(nil)

// FlagRefund opens the refund item of a paid part of a pratica once per
// receipt: a retried activity finds the item already there.
func (f *Refunds) FlagRefund(ctx context.Context, req activities.RefundRequest) error {
	switch {
	case req.ReceiptID == "":
		return errs.Field("receiptId", "is required")
	case req.Ente == "":
		return errs.Field("ente", "is required")
	case req.AmountCents <= 0:
		return errs.Field("amountCents", "must be positive")
	}
	s := f.Service
	now := s.now()
	paid := req.PaidAt
	if paid.IsZero() {
		paid = now
	}
	r := reasons[Refund]
	x := Exception{ID: uuid.NewString(), Key: RefundKey(req.ReceiptID), Ente: req.Ente, Outcome: Refund, ReasonIT: r[0], ReasonEN: r[1],
		Day: paid.In(calendar.Rome).Format(time.DateOnly), PraticaID: req.PraticaID, Position: req.IUPD, IUV: req.IUV,
		Amount: req.AmountCents, Status: Open, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "ex_key"}}, DoNothing: true}).Create(&x).Error
	if err != nil {
		return errs.Wrap(err, "flag refund of receipt %s", req.ReceiptID)
	}
	return nil
}
