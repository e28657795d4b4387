package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/calendar"
)

// singleCredits settles credits "/RFB/<IUV>/..." paid straight to the treasury.
func (r *run) singleCredits(ctx context.Context, iuv string, credits []*movementRow, receipts []Receipt) error {
	var matched []Receipt
	var want int64
	for _, rc := range receipts {
		if rc.EnteCF == r.cf && rc.IUV == iuv {
			matched = append(matched, rc)
			want += rc.Amount
		}
	}
	var got int64
	for _, m := range credits {
		got += m.Amount
	}
	for _, m := range credits {
		key := "credit:" + m.ID
		fill := func(x *matchRow) {
			x.MovementID, x.IUV, x.Amount = m.ID, iuv, m.Amount
			if len(matched) > 0 { // with no receipt there is nothing to expect, not "0"
				x.Expected = want
			}
		}
		switch {
		case len(matched) == 0:
			r.match(key, "credit", UnknownIUV, m.BookedOn, fill)
		case got != want:
			r.match(key, "credit", AmountMismatch, m.BookedOn, fill)
		default:
			r.match(key, "credit", Reconciled, m.BookedOn, fill)
		}
	}
	if len(matched) == 0 || got != want {
		return nil
	}
	for _, rc := range matched {
		r.match("receipt:"+r.cf+":"+rc.IUV+":"+rc.IUR, "receipt", Reconciled, rc.PaidAt.In(calendar.Rome).Format(time.DateOnly), func(x *matchRow) {
			x.IUV, x.Amount, x.Expected, x.MovementID = rc.IUV, rc.Amount, rc.Amount, credits[0].ID
		})
		if err := r.accertamento(ctx, rc); err != nil {
			return err
		}
		if err := r.reversale(ctx, rc, credits[0].BookedOn, "Accredito diretto"); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) accertamento(ctx context.Context, rc Receipt) error {
	if len(r.plans[rc.IUV]) > 0 {
		return nil // accrued when the position was issued or imported
	}
	c, err := r.s.Chart.Capitolo(ctx, r.ente, rc.Service)
	if err != nil {
		return fmt.Errorf("chapter of %s: %w", rc.Service, err)
	}
	r.entries = append(r.entries, Entry{Ente: r.ente, SourceKey: AccertamentoKey(r.cf, rc.IUV), Kind: Accertamento,
		PostedOn: r.day, PraticaID: rc.PraticaID, IUV: rc.IUV, Description: "Accertamento pagamento pagoPA IUV " + rc.IUV,
		Lines: []Line{
			{Account: AccountReceivable, Capitolo: c.Capitolo, Articolo: c.Articolo, Debit: rc.Amount},
			{Account: AccountIncome, Capitolo: c.Capitolo, Articolo: c.Articolo, Credit: rc.Amount},
		}})
	return nil
}

func (r *run) reversale(ctx context.Context, rc Receipt, on, what string) error {
	if p := r.plans[rc.IUV]; len(p) > 0 {
		r.entries = append(r.entries, r.plannedReversale(rc, p, on, what))
		return nil
	}
	c, err := r.s.Chart.Capitolo(ctx, r.ente, rc.Service)
	if err != nil {
		return fmt.Errorf("chapter of %s: %w", rc.Service, err)
	}
	r.entries = append(r.entries, Entry{Ente: r.ente, SourceKey: ReversaleKey(r.cf, rc.IUV), Kind: Reversale,
		PostedOn: on, PraticaID: rc.PraticaID, IUV: rc.IUV, Description: what + ", IUV " + rc.IUV,
		Lines: []Line{
			{Account: AccountTreasury, Debit: rc.Amount},
			{Account: AccountReceivable, Capitolo: c.Capitolo, Articolo: c.Articolo, Credit: rc.Amount},
		}})
	return nil
}
