package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// activity is the payments area as a fixed set of services with a notice.
func activity(active ...string) catalog.PaymentActivity {
	return catalog.PaymentActivityFunc(func(_ context.Context, ente string) (map[string]bool, error) {
		out := map[string]bool{}
		for _, id := range active {
			if strings.HasPrefix(id, ente+".") {
				out[id] = true
			}
		}
		return out, nil
	})
}

func TestMonitoringMatchesIndependentFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		act := activity("c_l424.matrimonio", "c_l424.tari", "c_l424.mensa", "c_l424.suolo-pubblico",
			"c_l483.tari", "c_l483.mensa", "c_e098.tari", "c_f081.tari")
		m, err := s.Monitor(ctx, act, "")
		if err != nil {
			t.Fatal(err)
		}
		// Computed by hand from the seed: an incasso service has a payment mode
		// (cie-scadenza has none); App IO counts services with IO enabled.
		type row struct {
			ente                             string
			services, incasso, active, appIO int
			pct                              float64
			ok                               bool
		}
		want := []row{
			{"c_e098", 3, 3, 1, 1, 33.33, false},   // tari, mensa, matrimonio; tari on IO
			{"c_f081", 2, 2, 1, 0, 50, false},      // matrimonio at the desk still collects a fee
			{"c_g888", 2, 2, 0, 1, 0, false},       // tari, mensa
			{"c_l424", 5, 4, 4, 4, 100, true},      // matrimonio, tari, cie-scadenza, mensa on IO
			{"c_l483", 4, 3, 2, 2, 66.66, false},   // 2 of 3 is 66.66%, below 70
			{"totale", 16, 14, 8, 8, 57.14, false}, // 8/14
		}
		var got []row
		for _, f := range append(m.Enti, m.Totals) {
			got = append(got, row{f.Ente, f.Services, f.Incasso, f.ActivePagoPA, f.AppIO, f.Percent, f.PagoPATargetOK})
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
			t.Errorf("figures (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"c_l483.suolo-pubblico"}, m.Enti[4].Inactive); diff != "" {
			t.Errorf("inactive of Udine (-want +got):\n%s", diff)
		}

		one, err := s.Monitor(ctx, act, "c_l424")
		if err != nil || len(one.Enti) != 1 || !cmp.Equal(one.Enti[0], m.Enti[3]) {
			t.Errorf("Trieste alone = %+v, %v", one, err)
		}
		csv, err := m.CSV()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(csv), "\xef\xbb\xbf")), "\n")
		wantLines := []string{
			"ente;denominazione;servizi;servizi_incasso;attivi_pagopa;percentuale;obiettivo_70;servizi_app_io;obiettivo_10_io",
			"c_e098;Comune di Gorizia;3;3;1;33,33;no;1;no",
			"c_f081;Comune di Medea;2;2;1;50,00;no;0;no",
			"c_g888;Comune di Pordenone;2;2;0;0,00;no;1;no",
			"c_l424;Comune di Trieste;5;4;4;100,00;si;4;no",
			"c_l483;Comune di Udine;4;3;2;66,66;no;2;no",
			"totale;Totale regionale;16;14;8;57,14;no;8;no",
		}
		if diff := cmp.Diff(wantLines, lines); diff != "" {
			t.Errorf("csv (-want +got):\n%s", diff)
		}
	})
}
