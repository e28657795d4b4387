package pagopa

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/store"
)

// Outcome is what recording a receipt did.
type Outcome string

// Outcomes of RecordReceipt.
const (
	OutcomePaid      Outcome = "paid"      // the option is now paid
	OutcomeDuplicate Outcome = "duplicate" // the receiptId was already recorded: nothing changed
	OutcomeAnomaly   Outcome = "anomaly"   // no such notice, or already paid by another receipt: stored for operators
	OutcomeKO        Outcome = "ko"        // a negative receipt: recorded, nothing paid
)

// Recorded is the result of RecordReceipt.
type Recorded struct {
	Outcome  Outcome   `json:"outcome"`
	Position *Position `json:"position,omitempty"`
}

type receiptRow struct {
	ReceiptID       string     `gorm:"column:receipt_id;primaryKey"`
	OrgFiscalCode   string     `gorm:"column:org_fiscal_code"`
	NoticeNumber    string     `gorm:"column:notice_number"`
	IUV             string     `gorm:"column:iuv"`
	PositionID      *string    `gorm:"column:position_id"`
	Outcome         string     `gorm:"column:outcome"`
	Amount          int64      `gorm:"column:amount"`
	PSPID           string     `gorm:"column:psp_id"`
	PSPName         string     `gorm:"column:psp_name"`
	PaymentDateTime *time.Time `gorm:"column:payment_date_time"`
	Source          string     `gorm:"column:source"`
	Body            string     `gorm:"column:body"`
	ReceivedAt      time.Time  `gorm:"column:received_at"`
}

// TableName is the receipts table.
func (receiptRow) TableName() string { return "pagopa_receipts" }

// Anomaly is a receipt operators must look at: its notice is unknown, its
// amount differs from the option's, or the option was already paid.
type Anomaly struct {
	ID            string    `gorm:"column:id;primaryKey" json:"id"`
	ReceiptID     string    `gorm:"column:receipt_id" json:"receiptId"`
	OrgFiscalCode string    `gorm:"column:org_fiscal_code" json:"orgFiscalCode"`
	NoticeNumber  string    `gorm:"column:notice_number" json:"noticeNumber"`
	Amount        int64     `gorm:"column:amount" json:"amount"`
	Reason        string    `gorm:"column:reason" json:"reason"`
	Body          string    `gorm:"column:body" json:"-"`
	Resolved      bool      `gorm:"column:resolved" json:"resolved"`
	CreatedAt     time.Time `gorm:"column:created_at" json:"createdAt"`
}

// TableName is the anomalies table.
func (Anomaly) TableName() string { return "pagopa_anomalies" }

// RecordReceipt stores a receipt once per receiptId and, in the same
// transaction, marks its option paid and refreshes the position's status. A
// receipt for an unknown notice, of another amount or for an option already
// paid is kept as an anomaly, never dropped. body is the receipt as received.
func (s *Store) RecordReceipt(ctx context.Context, r *Receipt, source string, body []byte) (Recorded, error) {
	now := s.now()
	var out Recorded
	err := store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		row := receiptRow{ReceiptID: r.ReceiptID, OrgFiscalCode: r.FiscalCode, NoticeNumber: r.NoticeNumber, IUV: r.CreditorReferenceID,
			Outcome: r.Outcome, Amount: r.Amount, PSPID: r.PSPID, PSPName: r.PSPName, PaymentDateTime: r.PaymentDateTime,
			Source: source, Body: string(body), ReceivedAt: now}
		p, err := lockedByNotice(ctx, tx, r.FiscalCode, r.NoticeNumber, now)
		if err != nil {
			return err
		}
		if p != nil {
			row.PositionID = &p.ID
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			out = Recorded{Outcome: OutcomeDuplicate, Position: p}
			return nil
		}
		if r.Outcome != "OK" {
			out = Recorded{Outcome: OutcomeKO, Position: p}
			return nil
		}
		anomaly := func(reason string) error {
			out = Recorded{Outcome: OutcomeAnomaly, Position: p}
			return tx.Create(&Anomaly{ID: uuid.NewString(), ReceiptID: r.ReceiptID, OrgFiscalCode: r.FiscalCode, NoticeNumber: r.NoticeNumber,
				Amount: r.Amount, Reason: reason, Body: string(body), CreatedAt: now}).Error
		}
		if p == nil {
			return anomaly("unknown_notice")
		}
		o, _ := p.Option(r.NoticeNumber)
		switch {
		case o.Status == OptionPaid:
			return anomaly("already_paid")
		case o.Amount != r.Amount:
			return anomaly(fmt.Sprintf("amount_mismatch: option %s, receipt %s", FormatAmount(o.Amount), FormatAmount(r.Amount)))
		case p.Status == Invalid:
			return anomaly("position_invalid")
		}
		paidAt := now
		if r.PaymentDateTime != nil {
			paidAt = *r.PaymentDateTime
		}
		o.Status, o.ReceiptID, o.PaidAt = OptionPaid, r.ReceiptID, &paidAt
		upd := tx.Model(&optionRow{}).Where("org_fiscal_code = ? AND notice_number = ? AND status = ?", r.FiscalCode, r.NoticeNumber, string(Unpaid)).
			Select("status", "receipt_id", "paid_at").
			Updates(optionRow{Status: string(OptionPaid), ReceiptID: r.ReceiptID, PaidAt: &paidAt})
		if upd.Error != nil {
			return upd.Error
		}
		if upd.RowsAffected == 0 { // cannot happen under the position lock; kept as a guard
			return anomaly("already_paid")
		}
		p.Refresh(paidAt)
		p.UpdatedAt = now
		if err := tx.Model(&positionRow{}).Where("id = ?", p.ID).Select("status", "paid_at", "updated_at").
			Updates(positionRow{Status: string(p.Status), PaidAt: p.PaidAt, UpdatedAt: now}).Error; err != nil {
			return err
		}
		out = Recorded{Outcome: OutcomePaid, Position: p}
		return nil
	})
	if err != nil {
		return Recorded{}, fmt.Errorf("record receipt %s: %w", r.ReceiptID, err)
	}
	return out, nil
}

// lockedByNotice finds the position of a notice and locks its row for the rest
// of the transaction (an update takes the row lock on PostgreSQL; SQLite
// transactions are serialised), so two receipts for the same position — two
// installments, or one receipt sent twice at once — are applied one after the
// other, each seeing what the other wrote. It returns nil for an unknown notice.
func lockedByNotice(ctx context.Context, tx *gorm.DB, org, notice string, now time.Time) (*Position, error) {
	var o optionRow
	err := tx.Where("org_fiscal_code = ? AND notice_number = ?", org, notice).First(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := tx.Model(&positionRow{}).Where("id = ?", o.PositionID).Update("updated_at", now).Error; err != nil {
		return nil, err
	}
	return (&Store{}).first(ctx, tx, "id = ?", o.PositionID)
}

// AnomalyFilter selects anomalies; OrgFiscalCode empty means every ente.
type AnomalyFilter struct {
	OrgFiscalCode string
	Unresolved    bool
	Limit         int
	Offset        int
}

// Anomalies lists anomalies, newest first.
func (s *Store) Anomalies(ctx context.Context, f AnomalyFilter) ([]Anomaly, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	out := []Anomaly{}
	return out, s.anomalies(ctx, f).Order("created_at DESC, id").Limit(f.Limit).Offset(max(f.Offset, 0)).Find(&out).Error
}

// CountAnomalies counts the anomalies f selects, paging aside.
func (s *Store) CountAnomalies(ctx context.Context, f AnomalyFilter) (int64, error) {
	var n int64
	err := s.anomalies(ctx, f).Count(&n).Error
	return n, err
}

func (s *Store) anomalies(ctx context.Context, f AnomalyFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Anomaly{})
	if f.OrgFiscalCode != "" {
		q = q.Where("org_fiscal_code = ?", f.OrgFiscalCode)
	}
	if f.Unresolved {
		q = q.Where("resolved = ?", false)
	}
	return q
}

// ReceiptCount returns how many receipts are stored with receiptId (0 or 1).
func (s *Store) ReceiptCount(ctx context.Context, receiptID string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&receiptRow{}).Where("receipt_id = ?", receiptID).Count(&n).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	return n, err
}
