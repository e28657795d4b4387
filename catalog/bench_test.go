package catalog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// regionWide seeds the demo and adds n comuni with the five regional services
// each, the size of the region (215 comuni) when n is about 210.
func regionWide(b *testing.B, n int) *catalog.Store {
	ctx := context.Background()
	db := storetest.SQLite(b)
	if err := catalog.Seed(ctx, db); err != nil {
		b.Fatal(err)
	}
	s := catalog.NewStore(db)
	const iban = "IT13X0306902230100000046001"
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("c_x%03d", i)
		// 11-digit codes with a valid check digit: try the ten endings.
		var e *catalog.Ente
		for d := 0; d < 10 && e == nil; d++ {
			cf := fmt.Sprintf("00%08d%d", 500000+i, d)
			if catalog.CheckLegalFiscalCode(cf) == nil {
				e = &catalog.Ente{ID: id, Name: "Comune " + id, Kind: catalog.KindComune, FiscalCode: cf, AuxDigit: "0",
					ApplicationCode: "01", Accounts: []catalog.Account{{IBAN: iban}}}
			}
		}
		if _, err := s.PutEnte(ctx, *e, catalog.Unconditional); err != nil {
			b.Fatal(err)
		}
		for _, base := range []string{"matrimonio", "tari", "mensa", "suolo-pubblico", "cie-scadenza"} {
			spec := `{}`
			if base != "cie-scadenza" {
				typ, _ := s.GetService(ctx, base)
				p := typ.Payments[0]
				p.IBAN, p.Rule, p.AmountCents = iban, "", 1000
				b2, _ := json.Marshal(map[string]any{"payments": []catalog.Payment{p}})
				spec = string(b2)
			}
			if _, err := s.PutService(ctx, catalog.Input{ID: id + "." + base, Ente: id, Base: base, Spec: json.RawMessage(spec)}, catalog.Unconditional, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}

// BenchmarkCatalog measures the merged reads against one GetService, the
// baseline: a region-wide list and the monitoring table.
func BenchmarkCatalog(b *testing.B) {
	s := regionWide(b, 210)
	ctx := context.Background()
	none := catalog.PaymentActivityFunc(func(context.Context, string) (map[string]bool, error) { return nil, nil })
	for _, bc := range []struct {
		name string
		f    func() error
	}{
		{"get-one", func() error { _, err := s.GetService(ctx, "c_l424.matrimonio"); return err }},
		{"list-region", func() error { _, err := s.ListServices(ctx, catalog.ServiceFilter{}); return err }},
		{"search-region", func() error { _, err := s.ListServices(ctx, catalog.ServiceFilter{Q: "matrimonio"}); return err }},
		{"monitor-region", func() error { _, err := s.Monitor(ctx, none, ""); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := bc.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
