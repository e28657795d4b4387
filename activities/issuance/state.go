package issuance

import (
	"context"
	"database/sql"
	"time"

	"github.com/sportello/sportello/errs"
)

// DebtorStatus is where a debtor of a campaign stands with the payments
// (the "riscontri" the tax office's software reads back).
type DebtorStatus string

// Debtor states: paid in full (the single option or every installment),
// overdue (an installment, or the single option when there are none, is
// past its due date unpaid), partially paid (some installments), unpaid.
const (
	StatePaid          DebtorStatus = "paid"
	StateOverdue       DebtorStatus = "overdue"
	StatePartiallyPaid DebtorStatus = "partially_paid"
	StateUnpaid        DebtorStatus = "unpaid"
)

// OptionState is one option of a debtor's position as paid or not.
type OptionState struct {
	NoticeNumber string     `json:"noticeNumber"`
	IUV          string     `json:"iuv"`
	Amount       int64      `json:"amount"`
	DueDate      time.Time  `json:"dueDate"`
	Installment  bool       `json:"installment"`
	Paid         bool       `json:"paid"`
	PaidAt       *time.Time `json:"paidAt,omitempty"`
	ReceiptID    string     `json:"receiptId,omitempty"`
}

// DebtorState is a debtor's standing in a campaign.
type DebtorState struct {
	Line       int           `json:"line"`
	FiscalCode string        `json:"fiscalCode"`
	Name       string        `json:"name"`
	IUPD       string        `json:"iupd"`
	Cancelled  bool          `json:"cancelled,omitempty"` // the position was invalidated
	State      DebtorStatus  `json:"state"`
	Amount     int64         `json:"amount"` // cents owed in all
	Paid       int64         `json:"paid"`   // cents paid
	Options    []OptionState `json:"options"`
}

// StateSummary counts a campaign's debtors by state, with the amounts.
type StateSummary struct {
	Debtors       int   `json:"debtors"`
	Paid          int   `json:"paid"`
	PartiallyPaid int   `json:"partiallyPaid"`
	Overdue       int   `json:"overdue"`
	Unpaid        int   `json:"unpaid"`
	Cancelled     int   `json:"cancelled"`
	AmountDue     int64 `json:"amountDue"`
	AmountPaid    int64 `json:"amountPaid"`
}

// Add counts d in the summary.
func (s *StateSummary) Add(d *DebtorState) {
	s.Debtors++
	s.AmountDue += d.Amount
	s.AmountPaid += d.Paid
	switch d.State {
	case StatePaid:
		s.Paid++
	case StatePartiallyPaid:
		s.PartiallyPaid++
	case StateOverdue:
		s.Overdue++
	case StateCancelled:
		s.Cancelled++
	default:
		s.Unpaid++
	}
}

// settle derives the debtor's state at now from its options.
func (d *DebtorState) settle(now time.Time) {
	var inst, instPaid int
	var instPaidAmount int64
	overdue := false
	for _, o := range d.Options {
		if !o.Installment {
			if o.Paid {
				d.State, d.Paid = StatePaid, o.Amount
				return
			}
			continue
		}
		inst++
		if o.Paid {
			instPaid++
			instPaidAmount += o.Amount
		} else if o.DueDate.Before(now) {
			overdue = true
		}
	}
	d.Paid = instPaidAmount
	if inst == 0 {
		for _, o := range d.Options {
			overdue = overdue || o.DueDate.Before(now)
		}
	}
	switch {
	case inst > 0 && instPaid == inst:
		d.State = StatePaid
	case d.Cancelled:
		d.State = StateCancelled
	case overdue:
		d.State = StateOverdue
	case instPaid > 0:
		d.State = StatePartiallyPaid
	default:
		d.State = StateUnpaid
	}
}

// EachDebtor streams the issued debtors of campaign id in line order, with
// their state at now, to f: never the whole campaign in memory.
func (s *Store) EachDebtor(ctx context.Context, id string, now time.Time, f func(*DebtorState) error) error {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT r.line, r.fiscal_code, r.name, r.iupd, o.notice_number, o.iuv, o.amount, o.due_date,
		o.installment, o.status, o.paid_at, o.receipt_id, p.status
		FROM issuance_rows r JOIN pagopa_options o ON o.position_id = r.position_id
		JOIN pagopa_positions p ON p.id = r.position_id
		WHERE r.campaign_id = ? AND r.status = ? ORDER BY r.line, o.seq`, id, RowIssued).Rows()
	if err != nil {
		return errs.Wrap(err, "read debtors of %s", id)
	}
	defer rows.Close()
	var cur *DebtorState
	emit := func() error {
		if cur == nil {
			return nil
		}
		cur.settle(now)
		return f(cur)
	}
	for rows.Next() {
		var (
			line                   int
			cf, name, iupd, status string
			posStatus              string
			o                      OptionState
			paidAt                 sql.NullTime
		)
		if err := rows.Scan(&line, &cf, &name, &iupd, &o.NoticeNumber, &o.IUV, &o.Amount, &o.DueDate, &o.Installment, &status, &paidAt, &o.ReceiptID, &posStatus); err != nil {
			return errs.Wrap(err, "read debtors of %s", id)
		}
		o.DueDate = o.DueDate.UTC()
		o.Paid = status == "PO_PAID"
		if paidAt.Valid {
			t := paidAt.Time.UTC()
			o.PaidAt = &t
		}
		if cur == nil || cur.Line != line {
			if err := emit(); err != nil {
				return err
			}
			cur = &DebtorState{Line: line, FiscalCode: cf, Name: name, IUPD: iupd, Cancelled: posStatus == "INVALID"}
		}
		cur.Options = append(cur.Options, o)
		if !o.Installment {
			cur.Amount = o.Amount
		} else if !hasSingle(cur.Options) {
			cur.Amount += o.Amount
		}
	}
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "read debtors of %s", id)
	}
	return emit()
}

func hasSingle(os []OptionState) bool {
	for _, o := range os {
		if !o.Installment {
			return true
		}
	}
	return false
}
