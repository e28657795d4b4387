package issuance

import (
	"context"
	"fmt"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// throughIntermediary sets the creditor's IUV scheme to the segregation code
// of the ente's intermediary named by the plan (its IUVs come from that
// code's own sequence), or names plan.intermediary when the ente has no such one.
func throughIntermediary(e *catalog.Ente, id string, cr *pagopa.Creditor) []errs.FieldError {
	if id == "" {
		return nil
	}
	im, ok := e.IntermediaryByID(id)
	if !ok {
		return []errs.FieldError{{Field: "plan.intermediary", Message: "is not an intermediary of " + e.Name + " / non è un intermediario dell'ente"}}
	}
	cr.AuxDigit, cr.ApplicationCode, cr.SegregationCode = 3, "", im.SegregationCode
	return nil
}

// Accounting posts the accertamento of issued positions in the ente's
// ledger, once per position and component however often it is called; the
// lead adapts the ledger.
type Accounting interface {
	Accrue(ctx context.Context, accruals []Accrual) error
}

// Accrual is what one issued position accrues: each component owed to the
// ente on its accounting line, and how each notice splits into components.
type Accrual struct {
	Ente         string
	EnteCF       string
	Campaign     string
	IUPD         string
	Intermediary string
	Components   []AccruedComponent
	Notices      []AccruedNotice
}

// AccruedComponent is one component's accounting line and the whole amount owed on it.
type AccruedComponent struct {
	Code    string
	Account AccountingLine
	Amount  int64
}

// AccruedNotice is one notice (option) of the position and its transfers by component.
type AccruedNotice struct {
	IUV          string
	NoticeNumber string
	Transfers    []AccruedTransfer
}

// AccruedTransfer is the part of a notice that goes to one component.
type AccruedTransfer struct {
	Index     int
	Component string
	Amount    int64
}

// accrue posts the accertamento of the chunk's issued positions before the
// rows are marked: a crash in between leaves the rows pending, and the retry
// finds the positions and the entries already there.
func (a *Activities) accrue(ctx context.Context, c *Campaign, rows []StoredRow, lines []int, stored []*pagopa.Position, results []RowResult) error {
	if a.Accounting == nil {
		return nil
	}
	ok := map[int]bool{}
	for _, r := range results {
		if r.Error == "" {
			ok[r.Line] = true
		}
	}
	byLine := map[int]*StoredRow{}
	for i := range rows {
		byLine[rows[i].Line] = &rows[i]
	}
	var out []Accrual
	for i, p := range stored {
		sr := byLine[lines[i]]
		if !ok[lines[i]] || sr == nil {
			continue
		}
		row, err := sr.Row()
		if err != nil {
			return err
		}
		acc, err := AccrualOf(c, &row, p)
		if err != nil {
			return err
		}
		if len(acc.Components) > 0 {
			out = append(out, acc)
		}
	}
	if len(out) == 0 {
		return nil
	}
	if err := a.Accounting.Accrue(ctx, out); err != nil {
		return fmt.Errorf("accrue chunk of %s: %w", c.ID, err)
	}
	return nil
}

// AccrualOf is the accrual of row's position p: the components credited to
// the ente itself (another beneficiary's, e.g. TEFA to the Provincia, are its
// own books), with the row's accounting line or the plan's. The notices'
// transfers follow the order Request built them in.
func AccrualOf(c *Campaign, row *Row, p *pagopa.Position) (Accrual, error) {
	acc := Accrual{Ente: c.Ente, EnteCF: c.OrgFiscalCode, Campaign: c.ID, IUPD: p.IUPD, Intermediary: c.Plan.Intermediary}
	own := map[string]bool{}
	for _, a := range row.Components {
		comp, found := c.Plan.component(a.Code)
		if !found || a.Cents <= 0 || comp.Beneficiary.FiscalCode != c.OrgFiscalCode {
			continue
		}
		line := comp.Account
		if a.Account != nil && a.Account.Capitolo != "" {
			line = *a.Account
		}
		own[a.Code] = true
		acc.Components = append(acc.Components, AccruedComponent{Code: a.Code, Account: line, Amount: a.Cents})
	}
	n := len(c.Plan.Installments)
	k := 0 // the installment the next installment option is
	for _, o := range p.Options {
		part := func(cents int64) int64 { return cents }
		if o.Installment {
			if k >= n {
				return acc, fmt.Errorf("position %s: more installments than the plan's %d", p.IUPD, n)
			}
			i := k
			part = func(cents int64) int64 { return Split(cents, n)[i] }
			k++
		}
		notice := AccruedNotice{IUV: o.IUV, NoticeNumber: o.NoticeNumber}
		t := 0
		for _, a := range row.Components {
			amt := part(a.Cents)
			if amt <= 0 {
				continue
			}
			if t >= len(o.Transfers) || o.Transfers[t].Amount != amt {
				return acc, fmt.Errorf("position %s: option %s does not split as the row does", p.IUPD, o.IUV)
			}
			if own[a.Code] {
				notice.Transfers = append(notice.Transfers, AccruedTransfer{Index: o.Transfers[t].ID, Component: a.Code, Amount: amt})
			}
			t++
		}
		if len(notice.Transfers) > 0 {
			acc.Notices = append(acc.Notices, notice)
		}
	}
	return acc, nil
}
