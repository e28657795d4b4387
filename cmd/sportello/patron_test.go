package main

import (
	"context"
	"testing"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestServiceInfoPatronFromCatalog: the patron day a pratica's legal clock
// skips is the ente's master data, so an edit reaches the next pratica.
func TestServiceInfoPatronFromCatalog(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	c := catalog.NewStore(db)
	src := planSource{c: c}
	for _, tc := range []struct{ service, want string }{{"c_l424.matrimonio", "11-03"}, {"c_f081.matrimonio", "11-11"}} {
		info, err := src.ServiceInfo(ctx, tc.service)
		if err != nil {
			t.Fatal(err)
		}
		if info.Patron != tc.want {
			t.Errorf("%s: patron %q, want %q", tc.service, info.Patron, tc.want)
		}
	}
	e, err := c.GetEnte(ctx, "c_l424")
	if err != nil {
		t.Fatal(err)
	}
	e.PatronDay = "06-24"
	if _, err := c.PutEnte(ctx, *e, e.Revision); err != nil {
		t.Fatal(err)
	}
	info, err := src.ServiceInfo(ctx, "c_l424.matrimonio")
	if err != nil || info.Patron != "06-24" {
		t.Errorf("after the edit: patron %q (%v), want 06-24", info.Patron, err)
	}
}
