package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// paymentsGPD is the GPD of pratiche and spontaneous payments: each position
// goes to the GPD of the intermediary whose segregation code its IUVs carry.
func (a *app) paymentsGPD(cat *catalog.Store, pos *pagopa.Store) pagopa.GPD {
	return &routedGPD{main: pagopa.NewClient(a.gpdURL(), a.cfg.PagoPAKey), mainURL: a.gpdURL(),
		enti: catalogEntes{c: cat}, cat: cat, positions: pos}
}

// intermediaryAddress is the GPD address of a further intermediary
// (SPORTELLO_PAGOPA_URL_<ID>, default mainURL: in sportello dev one simulator
// plays every intermediary) and its key (SPORTELLO_PAGOPA_KEY_<KEYREF>).
func intermediaryAddress(im catalog.Intermediary, mainURL string) (url, key string) {
	url = os.Getenv(secretEnv("SPORTELLO_PAGOPA_URL_", im.ID))
	if url == "" {
		url = mainURL
	}
	if im.KeyRef != "" {
		key = os.Getenv(secretEnv("SPORTELLO_PAGOPA_KEY_", im.KeyRef))
	}
	return url, key
}

// routedGPD sends each single-position call to the GPD of the intermediary
// that issued the position: by the segregation code of its first IUV, read
// from the position itself when it is created and from the stored position
// afterwards. The ente's own code, an ente without further intermediaries
// and a position not stored here go to the main GPD.
type routedGPD struct {
	main      pagopa.GPD
	mainURL   string
	enti      catalogEntes
	cat       *catalog.Store
	positions *pagopa.Store

	mu      sync.Mutex
	clients map[string]pagopa.GPD // by intermediary id
}

func (g *routedGPD) CreatePosition(ctx context.Context, org string, p pagopa.GPDPosition, publish bool) (*pagopa.GPDPosition, error) {
	iuv := ""
	if len(p.PaymentOption) > 0 {
		iuv = p.PaymentOption[0].IUV
	}
	c, err := g.byIUV(ctx, org, iuv)
	if err != nil {
		return nil, err
	}
	return c.CreatePosition(ctx, org, p, publish)
}

func (g *routedGPD) GetPosition(ctx context.Context, org, iupd string) (*pagopa.GPDPosition, error) {
	c, err := g.byIUPD(ctx, org, iupd)
	if err != nil {
		return nil, err
	}
	return c.GetPosition(ctx, org, iupd)
}

func (g *routedGPD) PublishPosition(ctx context.Context, org, iupd string) (*pagopa.GPDPosition, error) {
	c, err := g.byIUPD(ctx, org, iupd)
	if err != nil {
		return nil, err
	}
	return c.PublishPosition(ctx, org, iupd)
}

func (g *routedGPD) InvalidatePosition(ctx context.Context, org, iupd string) (*pagopa.GPDPosition, error) {
	c, err := g.byIUPD(ctx, org, iupd)
	if err != nil {
		return nil, err
	}
	return c.InvalidatePosition(ctx, org, iupd)
}

// byIUPD is the GPD of the stored position iupd of org.
func (g *routedGPD) byIUPD(ctx context.Context, org, iupd string) (pagopa.GPD, error) {
	p, err := g.positions.ByIUPD(ctx, org, iupd)
	switch {
	case errs.Is(err, errs.NotFound):
		return g.main, nil
	case err != nil:
		return nil, fmt.Errorf("intermediary of position %s: %w", iupd, err)
	case len(p.Options) == 0:
		return g.main, nil
	}
	return g.byIUV(ctx, org, p.Options[0].IUV)
}

// byIUV is the GPD of the intermediary whose segregation code iuv carries.
func (g *routedGPD) byIUV(ctx context.Context, org, iuv string) (pagopa.GPD, error) {
	if len(iuv) != 17 {
		return g.main, nil
	}
	ente, err := g.enti.ByFiscalCode(ctx, org)
	if errs.Is(err, errs.NotFound) {
		return g.main, nil
	}
	if err != nil {
		return nil, fmt.Errorf("intermediary of %s: %w", org, err)
	}
	e, err := g.cat.GetEnte(ctx, ente)
	if err != nil {
		return nil, fmt.Errorf("intermediary of %s: %w", org, err)
	}
	for _, im := range e.Intermediaries {
		if im.SegregationCode == iuv[:2] {
			return g.client(im), nil
		}
	}
	return g.main, nil
}

// client is the single-position GPD client of intermediary im.
func (g *routedGPD) client(im catalog.Intermediary) pagopa.GPD {
	g.mu.Lock()
	defer g.mu.Unlock()
	if c, ok := g.clients[im.ID]; ok {
		return c
	}
	if g.clients == nil {
		g.clients = map[string]pagopa.GPD{}
	}
	c := pagopa.NewClient(intermediaryAddress(im, g.mainURL))
	g.clients[im.ID] = c
	return c
}
