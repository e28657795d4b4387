package pagopa

import (
	"context"
	"time"

	"github.com/sportello/sportello/errs"
)

// PaidReceipt is a positive receipt with what reconciliation needs of it: the
// share of the payment that goes to the ente, and the pratica and position it paid.
type PaidReceipt struct {
	ReceiptID     string
	OrgFiscalCode string
	IUV           string
	Share         int64 // cents credited to OrgFiscalCode (its transfers of the option paid)
	PaidAt        time.Time
	PSP           string
	PraticaID     string
	IUPD          string
	ServiceID     string
}

// PaidBetween lists the positive receipts of an ente paid in [from, to).
func (s *Store) PaidBetween(ctx context.Context, orgFiscalCode string, from, to time.Time) ([]PaidReceipt, error) {
	type row struct {
		ReceiptID       string
		OrgFiscalCode   string
		IUV             string
		Amount          int64
		Share           *int64
		PaymentDateTime *time.Time
		ReceivedAt      time.Time
		PSPID           string `gorm:"column:psp_id"`
		PraticaID       *string
		IUPD            *string `gorm:"column:iupd"`
		ServiceID       *string
	}
	var rows []row
	err := s.db.WithContext(ctx).Raw(`
SELECT r.receipt_id, r.org_fiscal_code, r.iuv, r.amount, r.payment_date_time, r.received_at, r.psp_id,
       p.pratica_id, p.iupd, p.service_id,
       (SELECT SUM(t.amount) FROM pagopa_transfers t
         WHERE t.position_id = o.position_id AND t.option_seq = o.seq AND t.org_fiscal_code = r.org_fiscal_code) AS share
  FROM pagopa_receipts r
  LEFT JOIN pagopa_options o ON o.org_fiscal_code = r.org_fiscal_code AND o.notice_number = r.notice_number
  LEFT JOIN pagopa_positions p ON p.id = o.position_id
 WHERE r.org_fiscal_code = ? AND r.outcome = 'OK'
   AND COALESCE(r.payment_date_time, r.received_at) >= ? AND COALESCE(r.payment_date_time, r.received_at) < ?
 ORDER BY r.receipt_id`, orgFiscalCode, from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, errs.Wrap(err, "receipts of %s", orgFiscalCode)
	}
	out := make([]PaidReceipt, 0, len(rows))
	for _, r := range rows {
		pr := PaidReceipt{ReceiptID: r.ReceiptID, OrgFiscalCode: r.OrgFiscalCode, IUV: r.IUV, Share: r.Amount, PaidAt: r.ReceivedAt, PSP: r.PSPID}
		if r.Share != nil {
			pr.Share = *r.Share
		}
		if r.PaymentDateTime != nil {
			pr.PaidAt = *r.PaymentDateTime
		}
		pr.PraticaID, pr.IUPD, pr.ServiceID = deref(r.PraticaID), deref(r.IUPD), deref(r.ServiceID)
		out = append(out, pr)
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
