package catalog_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestEnteIntermediaries: an ente's further intermediaries are checked (a
// segregation code already the ente's would make IUVs collide; a secret is
// named, never held) and kept through the store.
func TestEnteIntermediaries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		ts, err := s.GetEnte(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		next := *ts
		next.Intermediaries = []catalog.Intermediary{
			{ID: "Conc", Name: "", SegregationCode: "02", KeyRef: "my secret"},
			{ID: "conc2", Name: "Concessionario", SegregationCode: "4", FiscalCode: "123"},
		}
		_, err = s.PutEnte(ctx, next, ts.Revision)
		e, ok := errs.As(err)
		if !ok {
			t.Fatalf("err = %v", err)
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		want := []string{"intermediaries[0].id", "intermediaries[0].name", "intermediaries[0].segregationCode", "intermediaries[0].keyRef",
			"intermediaries[1].segregationCode", "intermediaries[1].fiscalCode"}
		if diff := cmp.Diff(want, fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		next.Intermediaries = []catalog.Intermediary{{ID: "conc", Name: "Concessionario tributi", SegregationCode: "47", KeyRef: "pagopa/conc"}}
		up, err := s.PutEnte(ctx, next, ts.Revision)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GetEnte(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(next.Intermediaries, got.Intermediaries); diff != "" || up.Revision != ts.Revision+1 {
			t.Errorf("stored intermediaries (-want +got):\n%s", diff)
		}
		if im, ok := got.IntermediaryByID("conc"); !ok || im.SegregationCode != "47" {
			t.Errorf("by id: %+v %v", im, ok)
		}
	})
}
