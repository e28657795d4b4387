// Package sim is the reporting simulator: from the payments the pagoPA
// simulator collected in a day it writes what the PSPs and the treasury would
// send the next day, the FdR of each PSP and the giornale di cassa with the
// matching credits, so the whole reconciliation loop runs on one machine.
package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/calendar"
)

// Payment is one paid payment as GET /sim/pagopa/payments?date=YYYY-MM-DD lists it.
type Payment struct {
	OrganizationFiscalCode string    `json:"organizationFiscalCode"`
	IUV                    string    `json:"iuv"`
	IUR                    string    `json:"iur"`
	Amount                 int64     `json:"amount"` // cents
	PSP                    string    `json:"psp"`
	PaymentDateTime        time.Time `json:"paymentDateTime"`
	ReceiptID              string    `json:"receiptId"`
	// Transfers split the payment among entes (multi-beneficiary); without
	// them the whole amount goes to OrganizationFiscalCode.
	Transfers []Transfer `json:"transfers,omitempty"`
	// Intermediary is the pagoPA intermediary the position was issued
	// through, when an ente has several: each has its own flows.
	Intermediary string `json:"intermediary,omitempty"`
}

// Transfer is one ente's share of a payment.
type Transfer struct {
	IDTransfer             int    `json:"idTransfer"`
	Amount                 int64  `json:"amount"`
	OrganizationFiscalCode string `json:"organizationFiscalCode"`
}

// share is what one ente receives of one payment: one FdR line.
type share struct {
	org, psp, iuv, iur, date string
	intermediary             string
	index                    int
	amount                   int64
}

func shares(payments []Payment) []share {
	var out []share
	for _, p := range payments {
		date := p.PaymentDateTime.In(calendar.Rome).Format(time.DateOnly)
		if len(p.Transfers) == 0 {
			out = append(out, share{p.OrganizationFiscalCode, p.PSP, p.IUV, p.IUR, date, p.Intermediary, 1, p.Amount})
			continue
		}
		for _, t := range p.Transfers {
			out = append(out, share{t.OrganizationFiscalCode, p.PSP, p.IUV, p.IUR, date, p.Intermediary, t.IDTransfer, t.Amount})
		}
	}
	return out
}

// Day is what arrives the day after the payments: flows and journals.
type Day struct {
	Flows    []*fdr.Flow    `json:"flows"`
	Journals []*opi.Journal `json:"journals"` // one per ente
}

// Reporter writes flows and journals. BankSpacing makes the treasury copy the
// causale of every other credit the way some banks do ("LGPE- RIVERSAMENTO",
// a blank inside the flow id), so matching meets the variants.
type Reporter struct {
	ABI         string // the treasury bank, 5 digits
	BankSpacing bool
	// IntermediaryOf, when set, tells the intermediary of a payment that does
	// not say it (one simulator playing several), e.g. by segregation code.
	IntermediaryOf func(org, iuv string) string
}

// Report builds the flows of day's payments (one per ente, PSP and
// intermediary, settled the next day) and each ente's giornale di cassa with
// one credit per flow: one treasury, however many intermediaries.
func (r Reporter) Report(day string, payments []Payment) (*Day, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return nil, fmt.Errorf("day: %w", err)
	}
	next := d.AddDate(0, 0, 1).Format(time.DateOnly)
	type k struct{ org, psp, im string }
	groups := map[k][]share{}
	for _, p := range shares(payments) {
		if p.intermediary == "" && r.IntermediaryOf != nil {
			p.intermediary = r.IntermediaryOf(p.org, p.iuv)
		}
		groups[k{p.org, p.psp, p.intermediary}] = append(groups[k{p.org, p.psp, p.intermediary}], p)
	}
	keys := make([]k, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].org+keys[i].psp+"|"+keys[i].im < keys[j].org+keys[j].psp+"|"+keys[j].im
	})
	out := &Day{}
	journals := map[string]*opi.Journal{}
	for n, g := range keys {
		ps := groups[g]
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].iuv != ps[j].iuv {
				return ps[i].iuv < ps[j].iuv
			}
			return ps[i].index < ps[j].index
		})
		psp := sanitize(g.psp)
		id := truncate(next+psp, 21) + fmt.Sprintf("-S%s%02d", strings.ReplaceAll(next, "-", ""), n%100)
		f := &fdr.Flow{ID: id, Date: d.AddDate(0, 0, 1).Add(2 * time.Hour).UTC(), Regulation: truncate("SCT "+id, 35), RegulationDate: next,
			SenderType: "B", PSP: g.psp, PSPName: "PSP " + g.psp, Receiver: g.org, ReceiverName: "Ente " + g.org}
		for _, p := range ps {
			f.Lines = append(f.Lines, fdr.Line{IUV: p.iuv, IUR: p.iur, Index: p.index, Amount: p.amount, Outcome: "0", Date: p.date})
			f.Total += p.amount
		}
		f.Count = len(f.Lines)
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("flow of %s: %w", g.psp, err)
		}
		out.Flows = append(out.Flows, f)
		j := journals[g.org]
		if j == nil {
			j = &opi.Journal{FlowID: "GDC-" + strings.ReplaceAll(next, "-", "") + "-" + g.org, ABI: r.ABI, CreatedAt: d.AddDate(0, 0, 2).UTC(),
				EnteCF: g.org, EnteName: "Ente " + g.org, Year: d.AddDate(0, 0, 1).Year()}
			journals[g.org] = j
			out.Journals = append(out.Journals, j)
		}
		causale := "/PUR/LGPE-RIVERSAMENTO/URI/" + f.ID
		if r.BankSpacing && len(j.Movements)%2 == 1 {
			causale = ":RI3:/PUR/LGPE- RIVERSAMENTO/URI/" + f.ID[:10] + " " + f.ID[10:] + " BONIFICO"
		}
		j.Movements = append(j.Movements, opi.Movement{Account: "0000001", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA",
			Operation: "ESEGUITO", Number: int64(len(j.Movements) + 1), Receipt: int64(len(j.Movements) + 1), Amount: f.Total, BookedOn: next,
			ValueDate: next, Execution: "ACCREDITO BANCA D'ITALIA", Customer: f.PSPName, Causale: causale})
	}
	for _, j := range out.Journals {
		if err := j.Validate(); err != nil {
			return nil, fmt.Errorf("journal of %s: %w", j.EnteCF, err)
		}
	}
	return out, nil
}

// Fetch reads the paid payments of day from the pagoPA simulator at baseURL.
func Fetch(ctx context.Context, hc *http.Client, baseURL, day string) ([]Payment, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/payments?date="+url.QueryEscape(day), nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("pagopa simulator payments: status %d", resp.StatusCode)
	}
	var out []Payment
	err = json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&out)
	return out, err
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
