package catalog_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// seeded returns a store on a database holding the demo seed.
func seeded(t *testing.T, db *gorm.DB) *catalog.Store {
	t.Helper()
	if err := catalog.Seed(context.Background(), db); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return catalog.NewStore(db)
}

func TestSeedIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		before, err := s.ListServices(ctx, catalog.ServiceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if err := catalog.Seed(ctx, db); err != nil {
			t.Fatalf("second seed: %v", err)
		}
		after, err := s.ListServices(ctx, catalog.ServiceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(before, after); d != "" {
			t.Errorf("second seed changed the services (-before +after):\n%s", d)
		}
		if len(after) != 21 {
			t.Errorf("services = %d, want 21 (5 types, 16 ente services)", len(after))
		}
	})
}
