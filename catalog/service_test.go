package catalog_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestTriesteAndMedeaSideBySide(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		ts, err := s.GetService(ctx, "c_l424.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		md, err := s.GetService(ctx, "c_f081.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		type side struct {
			Name, Interactivity, Procedimento, Template string
			Channels                                    []string
			Fee                                         int64
			Online                                      bool
			Origins                                     map[string]catalog.Origin
		}
		get := func(sv *catalog.Service) side {
			ok, _ := sv.OnlineAt(time.Now())
			return side{sv.Name.It, sv.Interactivity, sv.Procedimento, sv.Template.ID, sv.Channels, sv.Payments[0].AmountCents, ok, sv.Origins}
		}
		r, e := catalog.FromRegion, catalog.FromEnte
		want := []side{
			{"Celebrazione matrimonio", catalog.Transactional, "c_l424.matrimonio", "matrimonio", []string{"web", "app"}, 15000, true,
				map[string]catalog.Origin{"name": r, "description": r, "channels": r, "interactivity": r, "availability": r, "taxonomy": r,
					"payments": e, "appIO": e, "procedimento": e, "template": r, "contacts": e, "info": e}},
			{"Celebrazione matrimonio", catalog.InfoOnly, "c_f081.matrimonio", "matrimonio", []string{"sportello"}, 5000, false,
				map[string]catalog.Origin{"name": r, "description": r, "channels": e, "interactivity": e, "availability": r, "taxonomy": r,
					"payments": e, "procedimento": e, "template": r, "contacts": e, "info": e}},
		}
		if diff := cmp.Diff(want, []side{get(ts), get(md)}); diff != "" {
			t.Errorf("Trieste and Medea (-want +got):\n%s", diff)
		}
		// The pratiche engine asks through Resolve: Medea is refused with a reason.
		got, err := s.Resolve(ctx, "c_f081.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		wantR := catalog.Resolved{ID: "c_f081.matrimonio", Ente: "c_f081", Template: "matrimonio",
			Reason: "il servizio è offerto solo allo sportello: rivolgersi agli uffici dell'ente / the service is offered at the front desk only: please contact the ente's offices"}
		if diff := cmp.Diff(wantR, got); diff != "" {
			t.Errorf("Resolve Medea (-want +got):\n%s", diff)
		}
		if err := s.CheckOnline(ctx, "c_f081.matrimonio"); !errs.Is(err, errs.Conflict) {
			t.Errorf("CheckOnline(Medea) = %v, want conflict", err)
		}
		if err := s.CheckOnline(ctx, "c_l424.matrimonio"); err != nil {
			t.Errorf("CheckOnline(Trieste) = %v", err)
		}
		p, err := s.GetProcedimento(ctx, "c_l424.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		if p.Term.Days != 3 || p.Start != catalog.IstanzaDiParte || p.Office != "stato-civile" || p.Substitute.It != "Segretario comunale" ||
			p.Origins["term"] != r || p.Origins["substitute"] != r || p.Origins["transparency"] != e || p.LegalBasis[0].Title != "D.P.R. 396/2000" {
			t.Errorf("Trieste procedimento = %+v", p)
		}
	})
}

func TestRegionalChangeSeenByEnte(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		typ, err := s.GetService(ctx, "matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		// The region renames the service and adds PEC; it also changes payments,
		// which Trieste overrides.
		sp := typ.ServiceSpec
		sp.Name = &catalog.Text{It: "Celebrazione del matrimonio civile", En: "Civil wedding"}
		sp.Channels = []string{"web", "app", "pec"}
		sp.Payments[0].Rule = "tariffario 2027"
		b, _ := json.Marshal(sp)
		if _, err := s.PutService(ctx, catalog.Input{ID: "matrimonio", Spec: b}, typ.Revision, "regione"); err != nil {
			t.Fatal(err)
		}
		ts, err := s.GetService(ctx, "c_l424.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		if !ts.Outdated || ts.BaseVersion != 1 || ts.RegionalVersion != 2 || ts.Name.It != "Celebrazione del matrimonio civile" || ts.Payments[0].AmountCents != 15000 {
			t.Errorf("Trieste after the regional change: outdated=%v base=%d regional=%d name=%q fee=%d",
				ts.Outdated, ts.BaseVersion, ts.RegionalVersion, ts.Name.It, ts.Payments[0].AmountCents)
		}
		changes, err := s.ServiceChanges(ctx, "c_l424.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range changes {
			o := ""
			if c.Overridden {
				o = " (overridden)"
			}
			got = append(got, c.Field+o)
		}
		if diff := cmp.Diff([]string{"channels", "name", "payments (overridden)"}, got); diff != "" {
			t.Errorf("changes (-want +got):\n%s", diff)
		}
		// A channel filter sees the new regional channel in the merged view.
		pec, err := s.ListServices(ctx, catalog.ServiceFilter{Channel: "pec", Ente: "c_l424"})
		if err != nil {
			t.Fatal(err)
		}
		if len(pec) != 1 || pec[0].ID != "c_l424.matrimonio" {
			t.Errorf("pec services of Trieste = %v", ids(pec))
		}
		_, err = s.RebaseService(ctx, "c_l424.matrimonio", ts.Revision+5)
		if e, _ := errs.As(err); e == nil || e.Reason != catalog.ReasonStale {
			t.Errorf("rebase with a stale If-Match = %v, want conflict %s", err, catalog.ReasonStale)
		}
		ts, err = s.RebaseService(ctx, "c_l424.matrimonio", ts.Revision)
		if err != nil {
			t.Fatal(err)
		}
		if ts.Outdated {
			t.Error("still outdated after rebase")
		}
		if c, _ := s.ServiceChanges(ctx, "c_l424.matrimonio"); len(c) != 0 {
			t.Errorf("changes after rebase = %v", c)
		}
	})
}

func ids(l []catalog.Service) []string {
	var out []string
	for _, s := range l {
		out = append(out, s.ID)
	}
	return out
}

func TestServiceFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		for _, tc := range []struct {
			name string
			f    catalog.ServiceFilter
			want []string
		}{
			{"ente", catalog.ServiceFilter{Ente: "c_f081"}, []string{"c_f081.matrimonio", "c_f081.tari"}},
			{"types", catalog.ServiceFilter{Ente: catalog.Region}, []string{"cie-scadenza", "matrimonio", "mensa", "suolo-pubblico", "tari"}},
			{"taxonomy", catalog.ServiceFilter{Taxonomy: "9/0104102TS/", Ente: "c_l424"}, []string{"c_l424.matrimonio"}},
			{"front desk", catalog.ServiceFilter{Channel: "sportello"}, []string{"c_f081.matrimonio"}},
			{"interactivity", catalog.ServiceFilter{Interactivity: catalog.InfoOnly, Ente: "c_l424"}, []string{"c_l424.cie-scadenza"}},
			{"italian search, accents folded", catalog.ServiceFilter{Q: "CARTA IDENTITÀ", Ente: "c_l424"}, []string{"c_l424.cie-scadenza"}},
			{"search in ente info", catalog.ServiceFilter{Q: "miramare"}, []string{"c_l424.matrimonio"}},
			{"online only", catalog.ServiceFilter{Online: true, Base: "matrimonio"}, []string{"c_e098.matrimonio", "c_l424.matrimonio"}},
			{"no wildcard injection", catalog.ServiceFilter{Q: "%"}, ids(nil)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.ListServices(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if tc.name == "no wildcard injection" {
					if len(got) != 21 {
						t.Errorf("%%: %d services, want all 21 (the word is dropped)", len(got))
					}
					return
				}
				if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}
	})
}
