package catalog_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestExportImportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		src := seeded(t, db)
		b, err := src.Export(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var back catalog.Bundle
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		dst := catalog.NewStore(storetest.SQLite(t))
		if _, err := dst.ImportTaxonomy(ctx, catalog.Taxonomy); err != nil {
			t.Fatal(err)
		}
		res, err := dst.Import(ctx, &back, "test")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&catalog.BundleResult{Enti: 6, Units: 49, Procedimenti: 5, Services: 21, Concepts: 9}, res); diff != "" {
			t.Errorf("import (-want +got):\n%s", diff)
		}
		want, _ := src.ListServices(ctx, catalog.ServiceFilter{})
		got, err := dst.ListServices(ctx, catalog.ServiceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		ignore := cmpopts.IgnoreFields(catalog.Header{}, "UpdatedAt")
		if diff := cmp.Diff(want, got, ignore); diff != "" {
			t.Errorf("services after a round trip (-source +imported):\n%s", diff)
		}
		wantC, _ := src.Concepts(ctx, "", true)
		gotC, err := dst.Concepts(ctx, "", true)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantC, gotC, cmpopts.IgnoreFields(catalog.Concept{}, "CreatedAt")); diff != "" {
			t.Errorf("concepts after a round trip (-source +imported):\n%s", diff)
		}
		// Importing the same bundle again writes no new revision.
		if _, err := dst.Import(ctx, &back, "test"); err != nil {
			t.Fatal(err)
		}
		again, _ := dst.ListServices(ctx, catalog.ServiceFilter{})
		if diff := cmp.Diff(got, again, ignore); diff != "" {
			t.Errorf("second import changed (-first +second):\n%s", diff)
		}
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		b := &catalog.Bundle{Format: catalog.BundleFormat,
			Concepts: []catalog.Concept{{ID: catalog.ConceptID("email", 1), Name: "email", Version: 1, Schema: json.RawMessage(`{"type":"string"}`)}},
			Enti:     []catalog.Ente{{ID: "c_a001", Name: "Comune nuovo", Kind: "comune", FiscalCode: "00210240322", AuxDigit: "0", ApplicationCode: "01"}},
			Units:    map[string][]catalog.Unit{"c_l424": {{Code: "a", Parent: "b", Name: "A"}, {Code: "b", Parent: "a", Name: "B"}}},
			Services: []catalog.Input{
				{ID: "c_l424.ok", Ente: "c_l424", Base: "cie-scadenza", Spec: json.RawMessage(`{}`)},
				{ID: "c_l424.bad", Ente: "c_l424", Base: "cie-scadenza", Spec: json.RawMessage(`{"taxonomy":["9/0199999TS/"]}`)},
			}}
		_, err := s.Import(ctx, b, "test")
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		want := []errs.FieldError{
			{Field: "enti[0].fiscalCode", Message: "check digit is wrong"},
			{Field: "units.c_l424[0].parent", Message: "cycle in the organisation: a → b → a"},
			{Field: "concepts[0].schema", Message: "https://sportello.regione.fvg.it/concepts/email/v1 exists with a different schema: concepts are immutable, publish a new version"},
			{Field: "services[1].spec.taxonomy[0]", Message: "taxonomy code 9/0199999TS/ is unknown"},
		}
		if diff := cmp.Diff(want, e.Fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		if _, err := s.GetService(ctx, "c_l424.ok"); !errs.Is(err, errs.NotFound) {
			t.Errorf("the good service of a refused bundle was written: %v", err)
		}
	})
}
