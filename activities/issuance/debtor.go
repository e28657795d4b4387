package issuance

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// Holding is one issued row of a debtor: which campaign, tax and year it
// belongs to and the position it became.
type Holding struct {
	CampaignID string `json:"campaignId"`
	Ente       string `json:"ente"`
	Tax        string `json:"tax"`
	Year       int    `json:"year"`
	Subject    string `json:"subject"`
	PositionID string `json:"positionId"`
}

// Holdings returns the issued rows of the debtor with fiscalCode across
// every campaign, newest tax year first.
func (s *Store) Holdings(ctx context.Context, fiscalCode string) ([]Holding, error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT r.campaign_id, r.ente, r.tax, r.tax_year, c.plan, r.position_id
		FROM issuance_rows r JOIN issuance_campaigns c ON c.id = r.campaign_id
		WHERE r.fiscal_code = ? AND r.status = ? AND r.position_id IS NOT NULL
		ORDER BY r.tax_year DESC, r.tax, c.created_at DESC`, fiscalCode, RowIssued).Rows()
	if err != nil {
		return nil, errs.Wrap(err, "read positions of a debtor")
	}
	defer rows.Close()
	var out []Holding
	for rows.Next() {
		var h Holding
		var plan string
		if err := rows.Scan(&h.CampaignID, &h.Ente, &h.Tax, &h.Year, &plan, &h.PositionID); err != nil {
			return nil, errs.Wrap(err, "read positions of a debtor")
		}
		var p Plan
		if err := json.Unmarshal([]byte(plan), &p); err == nil {
			h.Subject = p.Subject
		}
		out = append(out, h)
	}
	return out, errs.Wrap(rows.Err(), "read positions of a debtor")
}

// TaxPosition is a debtor's position of a campaign as the debtor sees it:
// the tax and year, the standing (paid, partially paid, overdue, unpaid),
// each option with its state now (paid, due, overdue, superseded) and the
// receipts of what was paid.
type TaxPosition struct {
	Holding
	State    DebtorStatus           `json:"state"`
	Amount   int64                  `json:"amount"` // cents owed in all
	Paid     int64                  `json:"paid"`   // cents paid
	Position pagopa.PositionView    `json:"position"`
	Receipts []pagopa.StoredReceipt `json:"receipts"`
}

// NewTaxPosition puts together a holding, its position and receipts at now.
func NewTaxPosition(h Holding, pos *pagopa.Position, receipts []pagopa.StoredReceipt, now time.Time) TaxPosition {
	d := DebtorState{}
	for _, o := range pos.Options {
		d.Options = append(d.Options, OptionState{NoticeNumber: o.NoticeNumber, IUV: o.IUV, Amount: o.Amount, DueDate: o.DueDate,
			Installment: o.Installment, Paid: o.Status == pagopa.OptionPaid, PaidAt: o.PaidAt, ReceiptID: o.ReceiptID})
	}
	d.settle(now)
	if receipts == nil {
		receipts = []pagopa.StoredReceipt{}
	}
	return TaxPosition{Holding: h, State: d.State, Amount: pos.Amount(), Paid: d.Paid, Position: pos.View(now), Receipts: receipts}
}
