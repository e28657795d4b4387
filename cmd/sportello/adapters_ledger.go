package main

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// catalogEntes resolves the fiscal codes that flows carry to enti and back.
type catalogEntes struct{ c *catalog.Store }

func (e catalogEntes) ByFiscalCode(ctx context.Context, cf string) (string, error) {
	enti, err := e.c.ListEnti(ctx)
	if err != nil {
		return "", err
	}
	for _, x := range enti {
		if x.FiscalCode == cf {
			return x.ID, nil
		}
	}
	return "", errs.E(errs.NotFound, "no ente has fiscal code %s", cf)
}

func (e catalogEntes) FiscalCode(ctx context.Context, ente string) (string, error) {
	x, err := e.c.GetEnte(ctx, ente)
	if err != nil {
		return "", err
	}
	return x.FiscalCode, nil
}

// catalogChart books a service's income on the capitolo of its payment mode.
type catalogChart struct{ c *catalog.Store }

func (ch catalogChart) Capitolo(ctx context.Context, ente, service string) (ledger.Capitolo, error) {
	sv, err := ch.c.GetService(ctx, service)
	if err != nil {
		return ledger.Capitolo{}, err
	}
	for _, p := range sv.Payments {
		if p.Capitolo != "" {
			return ledger.Capitolo{Capitolo: p.Capitolo, Articolo: p.Articolo}, nil
		}
	}
	return ledger.Capitolo{}, errs.E(errs.NotFound, "service %s has no capitolo", service)
}

// paidReceipts gives reconciliation the receipts the payments area stored.
func paidReceipts(st *pagopa.Store) ledger.ReceiptsFunc {
	return func(ctx context.Context, enteCF string, from, to time.Time) ([]ledger.Receipt, error) {
		paid, err := st.PaidBetween(ctx, enteCF, from, to)
		if err != nil {
			return nil, err
		}
		out := make([]ledger.Receipt, 0, len(paid))
		for _, p := range paid {
			out = append(out, ledger.Receipt{EnteCF: p.OrgFiscalCode, IUV: p.IUV, ReceiptID: p.ReceiptID, Amount: p.Share,
				PaidAt: p.PaidAt, PSP: p.PSP, PraticaID: p.PraticaID, Position: p.IUPD, Service: p.ServiceID})
		}
		return out, nil
	}
}

// ioKeys finds the API key of a service's App IO service. The catalog names the
// secret (keyRef, e.g. appio/c_l424/matrimonio); the key itself lives in the
// environment as SPORTELLO_APPIO_KEY_<KEYREF in capitals, / and . as _>. The
// simulator of sportello dev accepts any key.
type ioKeys struct {
	c   *catalog.Store
	dev bool
}

func (k ioKeys) APIKey(ctx context.Context, service string) (string, error) {
	sv, err := k.c.GetService(ctx, service)
	if err != nil {
		return "", err
	}
	if sv.AppIO == nil || sv.AppIO.KeyRef == "" {
		return "", errs.E(errs.NotFound, "service %s has no App IO key", service)
	}
	name := "SPORTELLO_APPIO_KEY_" + strings.ToUpper(strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(sv.AppIO.KeyRef))
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	if k.dev {
		return "sim-" + sv.AppIO.KeyRef, nil
	}
	return "", errs.E(errs.NotFound, "App IO key of %s: %s is not set", service, name)
}
