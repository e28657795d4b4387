package ledger

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/errs"
)

// AccountingLineTotals are one accounting line's figures in a campaign, in cents.
type AccountingLineTotals struct {
	Capitolo     string `json:"capitolo"`
	Articolo     string `json:"articolo,omitempty"`
	Accertamento string `json:"accertamento,omitempty"`
	Positions    int    `json:"positions"`
	// Issued is what the issued positions owe on the line.
	Issued int64 `json:"issued"`
	// Reduced is what the riduzioni of positions invalidated after issue took
	// off the accertamento.
	Reduced int64 `json:"reduced"`
	// Accrued is the accertamento the ledger holds for it.
	Accrued int64 `json:"accrued"`
	// Collected is what the receipts seen by reconciliation paid on it.
	Collected int64 `json:"collected"`
	// Reconciled is what reached the treasury and was matched: the reversali.
	Reconciled int64 `json:"reconciled"`
	// Outstanding is what is accrued and not yet reconciled.
	Outstanding int64 `json:"outstanding"`
}

// AccountingCheck says whether a campaign's figures agree with the ledger and
// the treasury; every disagreement is a problem, Italian and English.
type AccountingCheck struct {
	OK       bool     `json:"ok"`
	Problems []string `json:"problems,omitempty"`
}

// CampaignAccounting is a campaign's accounting report: per accounting line
// issued, reduced, accrued, collected and reconciled, the totals, and the check
// against the ledger and the treasury.
type CampaignAccounting struct {
	Ente     string                 `json:"ente"`
	Campaign string                 `json:"campaign"`
	Lines    []AccountingLineTotals `json:"lines"`
	Total    AccountingLineTotals   `json:"total"`
	// LedgerTreasury is what the campaign's reversali put in the treasury
	// account; Treasury is what the matched FdR lines and direct credits of its
	// notices say reached the treasury. They must be equal.
	LedgerTreasury int64           `json:"ledgerTreasury"`
	Treasury       int64           `json:"treasury"`
	Check          AccountingCheck `json:"check"`
}

type lineKey struct{ Capitolo, Articolo, Accertamento string }

// CampaignAccounting builds the accounting report of campaign in ente. A
// report whose check fails is logged as an error: the ledger and the
// treasury disagree with what the campaign issued.
func (s *Service) CampaignAccounting(ctx context.Context, ente, campaign string) (*CampaignAccounting, error) {
	db := s.db.WithContext(ctx)
	byLine := map[lineKey]*AccountingLineTotals{}
	line := func(k lineKey) *AccountingLineTotals {
		if byLine[k] == nil {
			byLine[k] = &AccountingLineTotals{Capitolo: k.Capitolo, Articolo: k.Articolo, Accertamento: k.Accertamento}
		}
		return byLine[k]
	}
	var issued []struct {
		Capitolo, Articolo, Accertamento string
		Positions                        int
		Amount                           int64
	}
	if err := db.Model(&accrualRow{}).Select("capitolo, articolo, accertamento, COUNT(DISTINCT iupd) AS positions, SUM(amount) AS amount").
		Where("ente = ? AND campaign_id = ?", ente, campaign).Group("capitolo, articolo, accertamento").Scan(&issued).Error; err != nil {
		return nil, errs.Wrap(err, "read accruals of %s", campaign)
	}
	if len(issued) == 0 {
		return nil, errs.E(errs.NotFound, "campaign %s has no accounting in %s / la campagna non ha contabilità", campaign, ente)
	}
	for _, r := range issued {
		l := line(lineKey{r.Capitolo, r.Articolo, r.Accertamento})
		l.Positions, l.Issued = r.Positions, r.Amount
	}
	var booked []struct {
		Capitolo, Articolo, Accertamento string
		Account                          string
		Kind                             string
		Debit                            int64
		Credit                           int64
	}
	if err := db.Table("ledger_lines l").Select("l.capitolo, l.articolo, l.accertamento, l.account, e.kind, SUM(l.debit) AS debit, SUM(l.credit) AS credit").
		Joins("JOIN ledger_entries e ON e.id = l.entry_id").Where("e.ente = ? AND e.campaign_id = ?", ente, campaign).
		Group("l.capitolo, l.articolo, l.accertamento, l.account, e.kind").Scan(&booked).Error; err != nil {
		return nil, errs.Wrap(err, "read ledger of %s", campaign)
	}
	rep := &CampaignAccounting{Ente: ente, Campaign: campaign}
	for _, b := range booked {
		k := lineKey{b.Capitolo, b.Articolo, b.Accertamento}
		switch b.Account {
		case AccountIncome:
			line(k).Accrued += b.Credit - b.Debit
			if b.Kind == Riduzione {
				line(k).Reduced += b.Debit - b.Credit
			}
		case AccountReceivable:
			line(k).Outstanding += b.Debit - b.Credit
		case AccountTreasury:
			rep.LedgerTreasury += b.Debit - b.Credit
		}
	}
	var collected []struct {
		Capitolo, Articolo, Accertamento string
		Amount                           int64
	}
	if err := db.Table("ledger_matches m").Select("a.capitolo, a.articolo, a.accertamento, SUM(p.amount) AS amount").
		Joins("JOIN ledger_plan_lines p ON p.iuv = m.iuv").
		Joins("JOIN ledger_accruals a ON a.ente_cf = p.ente_cf AND a.iupd = p.iupd AND a.component = p.component").
		Where("m.ente = ? AND m.kind = ? AND a.ente = ? AND a.campaign_id = ?", ente, "receipt", ente, campaign).
		Group("a.capitolo, a.articolo, a.accertamento").Scan(&collected).Error; err != nil {
		return nil, errs.Wrap(err, "read receipts of %s", campaign)
	}
	for _, c := range collected {
		line(lineKey{c.Capitolo, c.Articolo, c.Accertamento}).Collected += c.Amount
	}
	treasury, err := s.campaignTreasury(ctx, ente, campaign)
	if err != nil {
		return nil, err
	}
	rep.Treasury = treasury
	for _, l := range byLine {
		l.Reconciled = l.Accrued - l.Outstanding
		rep.Lines = append(rep.Lines, *l)
	}
	sort.Slice(rep.Lines, func(i, j int) bool {
		a, b := rep.Lines[i], rep.Lines[j]
		return a.Capitolo+"/"+a.Articolo+"/"+a.Accertamento < b.Capitolo+"/"+b.Articolo+"/"+b.Accertamento
	})
	rep.check()
	if !rep.Check.OK {
		s.log().Error("campaign accounting does not reconcile", "ente", ente, "campaign", campaign, "problems", rep.Check.Problems)
	}
	return rep, nil
}

// campaignTreasury is what reached the treasury for the campaign's notices:
// their lines in flows matched to a treasury credit (each line once, however
// often a flow repeats it) and direct credits matched by IUV.
func (s *Service) campaignTreasury(ctx context.Context, ente, campaign string) (int64, error) {
	db := s.db.WithContext(ctx)
	notices := db.Table("ledger_plan_lines p").Select("p.iuv").
		Joins("JOIN ledger_accruals a ON a.ente_cf = p.ente_cf AND a.iupd = p.iupd AND a.component = p.component").
		Where("a.ente = ? AND a.campaign_id = ?", ente, campaign)
	var lines []struct {
		IUV           string
		IUR           string
		TransferIndex int
		Amount        int64
	}
	if err := db.Table("ledger_flow_lines fl").Select("fl.iuv, fl.iur, fl.transfer_index, MAX(fl.amount) AS amount").
		Joins("JOIN ledger_flows f ON f.id = fl.flow_id").
		Joins("JOIN ledger_matches m ON m.kind = ? AND m.ente = f.ente AND m.flow_id = f.flow_id AND m.outcome = ?", "fdr", Reconciled).
		Where("f.ente = ? AND fl.iuv IN (?)", ente, notices).Group("fl.iuv, fl.iur, fl.transfer_index").Scan(&lines).Error; err != nil {
		return 0, errs.Wrap(err, "read flows of %s", campaign)
	}
	var total int64
	for _, l := range lines {
		total += l.Amount
	}
	var direct struct{ Amount int64 }
	if err := db.Model(&matchRow{}).Select("COALESCE(SUM(amount), 0) AS amount").
		Where("ente = ? AND kind = ? AND outcome = ? AND iuv IN (?)", ente, "credit", Reconciled, notices).Scan(&direct).Error; err != nil {
		return 0, errs.Wrap(err, "read direct credits of %s", campaign)
	}
	return total + direct.Amount, nil
}

// check compares the campaign with the ledger and the treasury.
func (r *CampaignAccounting) check() {
	var p []string
	t := &r.Total
	for _, l := range r.Lines {
		name := l.Capitolo + "/" + l.Articolo + "/" + l.Accertamento
		if l.Issued-l.Reduced != l.Accrued && l.Reduced == 0 {
			p = append(p, fmt.Sprintf("%s: emesso %s, accertato %s / issued %s, accrued %s", name,
				safexml.Euro(l.Issued), safexml.Euro(l.Accrued), safexml.Euro(l.Issued), safexml.Euro(l.Accrued)))
		} else if l.Issued-l.Reduced != l.Accrued {
			p = append(p, fmt.Sprintf("%s: emesso %s meno ridotto %s, accertato %s / issued %s less reduced %s, accrued %s", name,
				safexml.Euro(l.Issued), safexml.Euro(l.Reduced), safexml.Euro(l.Accrued), safexml.Euro(l.Issued), safexml.Euro(l.Reduced), safexml.Euro(l.Accrued)))
		}
		if l.Reconciled > l.Collected || l.Reconciled < 0 {
			p = append(p, fmt.Sprintf("%s: riconciliato %s oltre il riscosso %s / reconciled %s beyond collected %s", name,
				safexml.Euro(l.Reconciled), safexml.Euro(l.Collected), safexml.Euro(l.Reconciled), safexml.Euro(l.Collected)))
		}
		t.Positions += l.Positions
		t.Issued, t.Reduced, t.Accrued, t.Collected = t.Issued+l.Issued, t.Reduced+l.Reduced, t.Accrued+l.Accrued, t.Collected+l.Collected
		t.Reconciled, t.Outstanding = t.Reconciled+l.Reconciled, t.Outstanding+l.Outstanding
	}
	if t.Reconciled != r.LedgerTreasury {
		p = append(p, fmt.Sprintf("reversali %s, tesoreria in contabilità %s / reversali %s, ledger treasury %s",
			safexml.Euro(t.Reconciled), safexml.Euro(r.LedgerTreasury), safexml.Euro(t.Reconciled), safexml.Euro(r.LedgerTreasury)))
	}
	if r.LedgerTreasury != r.Treasury {
		p = append(p, fmt.Sprintf("tesoreria in contabilità %s, accrediti riconciliati %s / ledger treasury %s, reconciled credits %s",
			safexml.Euro(r.LedgerTreasury), safexml.Euro(r.Treasury), safexml.Euro(r.LedgerTreasury), safexml.Euro(r.Treasury)))
	}
	r.Check = AccountingCheck{OK: len(p) == 0, Problems: p}
}

// CampaignAccountingCSVHeader is the header of the campaign accounting CSV:
// one row per accounting line, then TOTALE and VERIFICA (OK or KO and the problems).
var CampaignAccountingCSVHeader = []string{"capitolo", "articolo", "accertamento", "posizioni", "emesso", "ridotto", "accertato", "riscosso", "riconciliato", "da_riscuotere"}

// WriteCSV writes the report with semicolons, amounts in euro with a decimal point.
func (r *CampaignAccounting) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.Write(CampaignAccountingCSVHeader)
	row := func(l AccountingLineTotals, capitolo string) {
		cw.Write([]string{capitolo, l.Articolo, l.Accertamento, strconv.Itoa(l.Positions), safexml.Euro(l.Issued), safexml.Euro(l.Reduced),
			safexml.Euro(l.Accrued), safexml.Euro(l.Collected), safexml.Euro(l.Reconciled), safexml.Euro(l.Outstanding)})
	}
	for _, l := range r.Lines {
		row(l, l.Capitolo)
	}
	row(r.Total, "TOTALE")
	if r.Check.OK {
		cw.Write([]string{"VERIFICA", "OK"})
	} else {
		for _, p := range r.Check.Problems {
			cw.Write([]string{"VERIFICA", "KO", p})
		}
	}
	cw.Flush()
	return cw.Error()
}
