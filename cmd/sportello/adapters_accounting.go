package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
)

// ledgerAccounting posts the accertamento of a campaign's issued positions in
// the ledger: issuance and the ledger never import each other.
type ledgerAccounting struct{ l *ledger.Service }

func (a ledgerAccounting) Accrue(ctx context.Context, in []issuance.Accrual) error {
	out := make([]ledger.Accrual, len(in))
	for i, x := range in {
		acc := ledger.Accrual{Ente: x.Ente, EnteCF: x.EnteCF, Campaign: x.Campaign, IUPD: x.IUPD, Intermediary: x.Intermediary, Source: ledger.SourceCampaign}
		for _, c := range x.Components {
			acc.Components = append(acc.Components, ledger.AccrualComponent{Code: c.Code, Capitolo: c.Account.Capitolo, Articolo: c.Account.Articolo,
				Accertamento: c.Account.Accertamento, Amount: c.Amount})
		}
		for _, n := range x.Notices {
			an := ledger.AccrualNotice{IUV: n.IUV, NoticeNumber: n.NoticeNumber}
			for _, t := range n.Transfers {
				an.Transfers = append(an.Transfers, ledger.AccrualTransfer{Index: t.Index, Component: t.Component, Amount: t.Amount})
			}
			acc.Notices = append(acc.Notices, an)
		}
		out[i] = acc
	}
	_, err := a.l.PostAccruals(ctx, out)
	return err
}

// mainIntermediary is the id the ledger gives an ente's own intermediary
// (FVG-Pay for the demo enti), the one of its catalog segregation code.
const mainIntermediary = "main"

// catalogIntermediaries tells the ledger each ente's intermediaries and
// their segregation codes: its own and the further ones of the catalog.
type catalogIntermediaries struct{ c *catalog.Store }

func (ci catalogIntermediaries) Intermediaries(ctx context.Context, ente string) ([]ledger.Intermediary, error) {
	e, err := ci.c.GetEnte(ctx, ente)
	if err != nil {
		return nil, err
	}
	var out []ledger.Intermediary
	if e.AuxDigit == "3" {
		name := "Intermediario dell'ente / the ente's intermediary"
		if e.Intermediary == "80014930327" {
			name = "FVG-Pay"
		}
		out = append(out, ledger.Intermediary{ID: mainIntermediary, Name: name, FiscalCode: e.Intermediary, SegregationCodes: []string{e.SegregationCode}})
	}
	for _, im := range e.Intermediaries {
		out = append(out, ledger.Intermediary{ID: im.ID, Name: im.Name, FiscalCode: im.FiscalCode, SegregationCodes: []string{im.SegregationCode}})
	}
	return out, nil
}

// secretEnv is the environment variable of a secret or address: prefix and
// the name in capitals, with / . - as _.
func secretEnv(prefix, name string) string {
	return prefix + strings.ToUpper(strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(name))
}

// intermediaryGPD sends each position to the GPD of the intermediary whose
// segregation code its IUVs carry, with that intermediary's credentials
// (SPORTELLO_PAGOPA_URL_<ID>, SPORTELLO_PAGOPA_KEY_<KEYREF>), one group after
// the other in the order of their ids (the ente's own first); positions of
// the ente's own code, and every position when the ente has no further
// intermediary, go to the main GPD.
type intermediaryGPD struct {
	main    issuance.GPD
	mainURL string
	enti    catalogEntes
	cat     *catalog.Store

	// further builds the GPD of a further intermediary, given its address
	// and key; nil: its single-position API.
	further func(im catalog.Intermediary, url, key string) issuance.GPD

	mu      sync.Mutex
	clients map[string]issuance.GPD // by intermediary id
}

func (g *intermediaryGPD) Send(ctx context.Context, org string, ps []pagopa.GPDPosition) []issuance.Outcome {
	ente, err := g.enti.ByFiscalCode(ctx, org)
	var e *catalog.Ente
	if err == nil {
		e, err = g.cat.GetEnte(ctx, ente)
	}
	if err != nil {
		out := make([]issuance.Outcome, len(ps))
		for i := range out {
			out[i].Err = fmt.Errorf("intermediary of %s: %w", org, err)
		}
		return out
	}
	if len(e.Intermediaries) == 0 {
		return g.main.Send(ctx, org, ps)
	}
	groups := map[string][]int{}
	for i, p := range ps {
		id := ""
		if len(p.PaymentOption) > 0 && len(p.PaymentOption[0].IUV) == 17 {
			for _, im := range e.Intermediaries {
				if p.PaymentOption[0].IUV[:2] == im.SegregationCode {
					id = im.ID
				}
			}
		}
		groups[id] = append(groups[id], i)
	}
	// Each group is its own massive upload file, heartbeated together so a
	// retried activity resumes every group's file.
	ctx = pagopa.WithBulkFiles(ctx)
	ids := slices.Sorted(maps.Keys(groups))
	out := make([]issuance.Outcome, len(ps))
	for _, id := range ids {
		idx := groups[id]
		part := make([]pagopa.GPDPosition, len(idx))
		for j, i := range idx {
			part[j] = ps[i]
		}
		gpd := g.main
		if id != "" {
			im, _ := e.IntermediaryByID(id)
			gpd = g.client(im)
		}
		for j, o := range gpd.Send(pagopa.WithBulkGroup(ctx, id), org, part) {
			out[idx[j]] = o
		}
	}
	return out
}

// client is the GPD of intermediary im: its address (the main one when not
// configured, as in sportello dev where one simulator plays both) and its key.
func (g *intermediaryGPD) client(im catalog.Intermediary) issuance.GPD {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.clients[im.ID]; ok {
		return c
	}
	url, key := intermediaryAddress(im, g.mainURL)
	if g.clients == nil {
		g.clients = map[string]issuance.GPD{}
	}
	var c issuance.GPD = issuance.SingleGPD{GPD: pagopa.NewClient(url, key)}
	if g.further != nil {
		c = g.further(im, url, key)
	}
	g.clients[im.ID] = c
	return c
}

// furtherIntermediary tells the reporting simulator, which reads one pagoPA
// simulator playing every intermediary, which further intermediary of the
// ente issued an IUV (by its segregation code), so each has its own flows;
// "" for the ente's own. The codes are read once per organisation every few
// seconds: a day's report asks for every payment.
func furtherIntermediary(cat *catalog.Store) func(org, iuv string) string {
	enti := catalogEntes{c: cat}
	type entry struct {
		codes map[string]string
		at    time.Time
	}
	var mu sync.Mutex
	cache := map[string]entry{}
	codes := func(org string) map[string]string {
		mu.Lock()
		defer mu.Unlock()
		if e, ok := cache[org]; ok && time.Since(e.at) < 5*time.Second {
			return e.codes
		}
		out := map[string]string{}
		ctx := context.Background()
		if ente, err := enti.ByFiscalCode(ctx, org); err == nil {
			if e, err := cat.GetEnte(ctx, ente); err == nil {
				for _, im := range e.Intermediaries {
					out[im.SegregationCode] = im.ID
				}
			}
		}
		cache[org] = entry{codes: out, at: time.Now()}
		return out
	}
	return func(org, iuv string) string {
		if len(iuv) != 17 {
			return ""
		}
		return codes(org)[iuv[:2]]
	}
}

// paymentIntermediary is the intermediary a service's payment mode names, if any.
func paymentIntermediary(sv *catalog.Service) string {
	if len(sv.Payments) > 0 {
		return sv.Payments[0].Intermediary
	}
	return ""
}

// Heartbeats tells IssueChunk that the massive upload clients record the
// activity's heartbeat (every group's file id) themselves.
func (g *intermediaryGPD) Heartbeats() bool {
	h, ok := g.main.(interface{ Heartbeats() bool })
	return ok && h.Heartbeats()
}
