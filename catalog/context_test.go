package catalog_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestServiceContext resolves what a pratica of the demo marriage needs: the
// service's own account and accounting line, the term of its procedimento and
// the office of the potere sostitutivo, found in Trieste's organisation chart
// by its head's title.
func TestServiceContext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := catalog.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		st := catalog.NewStore(db)
		sc, err := st.ServiceContext(ctx, "c_l424.matrimonio")
		if err != nil {
			t.Fatal(err)
		}
		if sc.IBAN != "IT89V0103012134000063221334" || sc.Capitolo != "30100" || sc.Taxonomy == "" || sc.TermDays == 0 || sc.SubstituteOffice == "" {
			t.Fatalf("context = %+v", sc)
		}
		units, err := st.Units(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		var inChart bool
		for _, u := range units {
			inChart = inChart || u.Code == sc.SubstituteOffice
		}
		t.Logf("potere sostitutivo of c_l424.matrimonio: %q (a unit of the chart: %v)", sc.SubstituteOffice, inChart)
		// A service without a payment mode of its own takes the ente's first account.
		tari, err := st.ServiceContext(ctx, "c_l424.cie-scadenza")
		if err != nil || tari.Ente.ID != "c_l424" {
			t.Fatalf("cie context = %+v %v", tari, err)
		}
	})
}
