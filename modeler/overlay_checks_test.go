package modeler_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

// TestSaveOverlayChecksEnteAndValues: an overlay is stored only for an ente
// that exists, with values that fit the template's declared parameters; every
// refusal names its field and leaves the stored overlay as it was.
func TestSaveOverlayChecksEnteAndValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		refs := modeler.DefaultRefs()
		s := modeler.NewService(db, refs, nil, nil)
		s.Enti = refs
		overlay := func(ente, values string) *modeler.Overlay {
			o := &modeler.Overlay{Ente: ente, Template: "matrimonio", BaseVersion: 1}
			if values != "null" {
				if err := json.Unmarshal([]byte("{"+values+"}"), &o.Values); err != nil {
					t.Fatal(err)
				}
			}
			return o
		}
		cases := []struct {
			name, ente, values string
			code               errs.Code
			field              string
		}{
			{"unknown ente", "c_x999", `"tariffa":100`, errs.NotFound, "ente"},
			{"bad ente code", "C_L424 ", `"tariffa":100`, errs.Invalid, "ente"},
			{"no values", "c_l424", "null", errs.Invalid, "values"},
			{"unknown parameter", "c_l424", `"nonEsiste":1`, errs.Invalid, "/values/nonEsiste"},
			{"office of no ente", "c_l424", `"ufficio":"non-esiste"`, errs.Invalid, "/values/ufficio"},
			{"office of another kind", "c_f081", `"ufficio":"tributi"`, errs.Invalid, "/values/ufficio"},
			{"huge office", "c_l424", `"ufficio":"` + strings.Repeat("u", 1<<20) + `"`, errs.Invalid, "/values/ufficio"},
			{"nul", "c_l424", `"ufficio":"stato\u0000civile"`, errs.Invalid, "/values/ufficio"},
			{"lone surrogate", "c_l424", `"ufficio":"stato\ud800civile"`, errs.Invalid, "/values/ufficio"},
			{"1e308", "c_l424", `"campiAggiuntivi":{"testimoni":{"type":"integer","maximum":1e308}}`, errs.Invalid, "/values/campiAggiuntivi"},
			{"not a schema", "c_l424", `"campiAggiuntivi":{"testimoni":{"type":"numero"}}`, errs.Invalid, "/values/campiAggiuntivi"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.SaveOverlay(ctx, overlay(tc.ente, tc.values))
				e, ok := errs.As(err)
				if !ok || e.Code != tc.code || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
					t.Fatalf("err = %v (%+v), want %s naming %s", err, e, tc.code, tc.field)
				}
			})
		}
		o, err := s.Overlay(ctx, "c_l424", "matrimonio")
		if err != nil || string(o.Values["tariffa"]) != "15000" {
			t.Fatalf("stored overlay changed: %+v %v", o, err)
		}
		if _, err := s.SaveOverlay(ctx, overlay("c_f081", `"tariffa":9000,"ufficio":"protocollo"`)); err != nil {
			t.Fatalf("a good overlay: %v", err)
		}
		if _, err := s.PublishOverlay(ctx, "c_x999", "matrimonio"); !errs.Is(err, errs.NotFound) {
			t.Errorf("publish for an ente that does not exist = %v, want not_found", err)
		}
		if err := s.DeleteOverlay(ctx, "c_f081", "matrimonio"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteOverlay(ctx, "c_f081", "matrimonio"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("second delete = %v, want not_found", err)
		}
	})
}
