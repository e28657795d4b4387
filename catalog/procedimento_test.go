package catalog_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestRegionalProcedimentoChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		reg, err := s.GetProcedimento(ctx, "matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		sp := reg.ProcedimentoSpec
		sp.Term = &catalog.Term{Days: 5, Working: true}
		b, _ := json.Marshal(sp)
		if _, err := s.PutProcedimento(ctx, catalog.Input{ID: "matrimonio", Spec: b}, reg.Revision, "regione"); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"c_l424.matrimonio", "c_f081.matrimonio"} {
			p, err := s.GetProcedimento(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if *p.Term != (catalog.Term{Days: 5, Working: true}) || !p.Outdated || p.Origins["term"] != catalog.FromRegion {
				t.Errorf("%s: term %+v outdated %v", id, p.Term, p.Outdated)
			}
			changes, err := s.ProcedimentoChanges(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := []catalog.Change{{Field: "term", Before: json.RawMessage(`{"days":3}`), After: json.RawMessage(`{"days":5,"working":true}`)}}
			if diff := cmp.Diff(want, changes); diff != "" {
				t.Errorf("%s changes (-want +got):\n%s", id, diff)
			}
		}
		list, err := s.ListProcedimenti(ctx, catalog.ProcedimentoFilter{Base: "matrimonio", Q: "MATRIMONIO"})
		if err != nil || len(list) != 2 {
			t.Errorf("specialisations of matrimonio: %d, %v", len(list), err)
		}
		if _, err := s.ProcedimentoChanges(ctx, "matrimonio"); !errs.Is(err, errs.Invalid) {
			t.Errorf("changes of a regional procedimento = %v, want invalid", err)
		}
	})
}

func TestBadProcedimenti(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		for _, tc := range []struct {
			name string
			in   catalog.Input
			want []errs.FieldError
		}{
			{"empty regional", catalog.Input{ID: "vuoto", Spec: json.RawMessage(`{"iter":[{"name":{"it":""},"days":-1}]}`)},
				[]errs.FieldError{
					{Field: "spec.name.it", Message: "is required"},
					{Field: "spec.legalBasis", Message: "at least one act is required (e.g. D.P.R. 396/2000)"},
					{Field: "spec.iter[0].name.it", Message: "is required"},
					{Field: "spec.iter[0].days", Message: "cannot be negative"},
					{Field: "spec.term", Message: "is required: 30 days unless a law says otherwise (L. 241/1990 art. 2)"},
					{Field: "spec.start", Message: "must be one of istanza-di-parte, d-ufficio"},
					{Field: "spec.end", Message: "must be one of provvedimento-espresso, silenzio-assenso, silenzio-rigetto, scia, comunicazione"},
					{Field: "spec.office", Message: "the responsible office is required"}}},
			{"office not in the ente's organisation", catalog.Input{ID: "c_l424.suolo", Ente: "c_l424", Base: "occupazione-suolo-pubblico",
				Spec: json.RawMessage(`{"office":"ufficio-inesistente"}`)},
				[]errs.FieldError{{Field: "spec.office", Message: "ufficio-inesistente is not an organisation unit of c_l424"}}},
			{"specialising a specialisation", catalog.Input{ID: "c_l424.m2", Ente: "c_l424", Base: "c_f081.matrimonio", Spec: json.RawMessage(`{}`)},
				[]errs.FieldError{{Field: "base", Message: "c_f081.matrimonio is an ente's procedimento: only regional or national ones are specialised"}}},
			{"regional with a base", catalog.Input{ID: "m3", Base: "matrimonio", Level: "comunale", Spec: json.RawMessage(`{}`)},
				[]errs.FieldError{{Field: "level", Message: "must be regional or national for a definition without ente"},
					{Field: "base", Message: "only an ente's procedimento specialises another"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.PutProcedimento(ctx, tc.in, 0, "t")
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				if diff := cmp.Diff(tc.want, e.Fields); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestSetTemplate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		if _, err := s.SetTemplate(ctx, "c_l424.matrimonio", catalog.TemplateRef{ID: "c_l424.matrimonio", Version: 2, Hash: "sha256:ab12"}, "modeller"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Resolve(ctx, "c_l424.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		want := catalog.Resolved{ID: "c_l424.matrimonio", Ente: "c_l424", Template: "c_l424.matrimonio", Version: 2, Hash: "sha256:ab12", Online: true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Resolve (-want +got):\n%s", diff)
		}
		sv, _ := s.GetService(ctx, "c_l424.matrimonio")
		if sv.Origins["template"] != catalog.FromEnte || sv.Origins["payments"] != catalog.FromEnte {
			t.Errorf("origins after SetTemplate: %v", sv.Origins)
		}
		if _, err := s.Resolve(ctx, "matrimonio"); !errs.Is(err, errs.Invalid) {
			t.Errorf("Resolve of a type = %v, want invalid", err)
		}
		if _, err := s.Resolve(ctx, "c_l424.nessuno"); !errs.Is(err, errs.Invalid) {
			t.Errorf("Resolve of a missing service = %v, want invalid", err)
		}
	})
}
