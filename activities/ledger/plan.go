package ledger

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/calendar"
)

// planned is one component's share of an accrued notice, with the accounting
// line its accertamento booked on.
type planned struct {
	IUV          string
	IUPD         string
	Component    string
	Amount       int64
	Source       string
	Campaign     string
	Intermediary string
	Capitolo     string
	Articolo     string
	Accertamento string
}

// plans reads the accrued split of the notices that receipts and flow lines
// name: the reconciliation posts no accertamento for them (it was posted when
// the position was issued) and a reversale per component.
func (s *Service) plans(ctx context.Context, cf string, receipts []Receipt, lines []flowLineRow) (map[string][]planned, error) {
	seen := map[string]bool{}
	var iuvs []string
	add := func(iuv string) {
		if !seen[iuv] {
			seen[iuv] = true
			iuvs = append(iuvs, iuv)
		}
	}
	for _, rc := range receipts {
		add(rc.IUV)
	}
	for _, l := range lines {
		add(l.IUV)
	}
	out := map[string][]planned{}
	db := s.db.WithContext(ctx)
	for start := 0; start < len(iuvs); start += 500 {
		var part []planned
		err := db.Table("ledger_plan_lines p").
			Select("p.iuv, p.iupd, p.component, p.amount, p.source, a.campaign_id AS campaign, a.intermediary AS intermediary, a.capitolo AS capitolo, a.articolo AS articolo, a.accertamento AS accertamento").
			Joins("JOIN ledger_accruals a ON a.ente_cf = p.ente_cf AND a.iupd = p.iupd AND a.component = p.component").
			Where("p.ente_cf = ? AND p.iuv IN ?", cf, iuvs[start:min(start+500, len(iuvs))]).Order("p.iuv, p.transfer_index").Scan(&part).Error
		if err != nil {
			return nil, fmt.Errorf("read notice splits: %w", err)
		}
		for _, p := range part {
			out[p.IUV] = append(out[p.IUV], p)
		}
	}
	return out, nil
}

// imported makes a receipt of every FdR line of an imported notice: its
// receipt went to whoever issued it, so the line itself says it was paid,
// for the amount the import declared.
func imported(cf string, plans map[string][]planned, receipts []Receipt, lines []flowLineRow) []Receipt {
	have := map[string]bool{}
	for _, rc := range receipts {
		have[rc.IUV] = true
	}
	var out []Receipt
	done := map[string]bool{}
	for _, l := range lines {
		p := plans[l.IUV]
		if have[l.IUV] || len(p) == 0 || p[0].Source != SourceImport || done[l.IUV+"|"+l.IUR] {
			continue
		}
		done[l.IUV+"|"+l.IUR] = true
		var amount int64
		for _, x := range p {
			amount += x.Amount
		}
		paid, err := time.ParseInLocation(time.DateOnly, l.PaidOn, calendar.Rome)
		if err != nil {
			paid = time.Time{}
		}
		out = append(out, Receipt{EnteCF: cf, IUV: l.IUV, IUR: l.IUR, Amount: amount, PaidAt: paid.Add(12 * time.Hour), Position: p[0].IUPD})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IUV < out[j].IUV })
	return out
}

// plannedReversale is the reversale of a payment of an accrued notice: the
// treasury's debit, and a credit to each component's receivable on its
// accounting line. A payment that differs from the split (it should not:
// the amount was matched) books the difference on the first component.
func (r *run) plannedReversale(rc Receipt, p []planned, on, what string) Entry {
	e := Entry{Ente: r.ente, SourceKey: ReversaleKey(r.cf, rc.IUV), Kind: Reversale, PostedOn: on, PraticaID: rc.PraticaID, IUV: rc.IUV,
		CampaignID: p[0].Campaign, Description: what + ", IUV " + rc.IUV,
		Lines: []Line{{Account: AccountTreasury, Debit: rc.Amount}}}
	var sum int64
	for _, x := range p {
		sum += x.Amount
	}
	for i, x := range p {
		amt := x.Amount
		if i == 0 {
			amt += rc.Amount - sum
		}
		if amt <= 0 {
			continue
		}
		e.Lines = append(e.Lines, Line{Account: AccountReceivable, Capitolo: x.Capitolo, Articolo: x.Articolo, Accertamento: x.Accertamento, Credit: amt})
	}
	if rc.Amount != sum {
		r.s.log().Warn("payment differs from its notice's split", "iuv", rc.IUV, "paid", rc.Amount, "split", sum)
	}
	return e
}
