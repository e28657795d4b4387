package pagopa

import (
	"context"
	"time"

	"github.com/sportello/sportello/errs"
)

// StoredReceipt is a positive receipt (RT) as the node sent it, kept for the
// debtor to download: Body is the paSendRT envelope (Source "soap") or the
// JSON receipt (Source "json").
type StoredReceipt struct {
	ReceiptID       string     `json:"receiptId"`
	NoticeNumber    string     `json:"noticeNumber"`
	Amount          int64      `json:"amount"`
	PSPName         string     `json:"pspName"`
	PaymentDateTime *time.Time `json:"paymentDateTime,omitempty"`
	Source          string     `json:"source"`
	Body            string     `json:"-"`
}

// PaidReceipts returns the positive receipts recorded for a position, the oldest first.
func (s *Store) PaidReceipts(ctx context.Context, positionID string) ([]StoredReceipt, error) {
	var rows []receiptRow
	err := s.db.WithContext(ctx).Where("position_id = ? AND outcome = ?", positionID, "OK").
		Order("received_at, receipt_id").Find(&rows).Error
	if err != nil {
		return nil, errs.Wrap(err, "receipts of position %s", positionID)
	}
	out := make([]StoredReceipt, 0, len(rows))
	for _, r := range rows {
		out = append(out, StoredReceipt{ReceiptID: r.ReceiptID, NoticeNumber: r.NoticeNumber, Amount: r.Amount,
			PSPName: r.PSPName, PaymentDateTime: r.PaymentDateTime, Source: r.Source, Body: r.Body})
	}
	return out, nil
}
