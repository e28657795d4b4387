package catalog_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestSlovenianNames: the demo services carry their name in Slovenian through
// the store, and a service that cannot start online says why in Slovenian too.
func TestSlovenianNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := catalog.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := catalog.NewStore(db)
		for id, want := range map[string]string{"c_l424.matrimonio": "Poročni obred", "c_f081.matrimonio": "Poročni obred"} {
			sv, err := s.GetService(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if sv.Name == nil || sv.Name.Sl != want || sv.Name.It != "Celebrazione matrimonio" {
				t.Errorf("%s name = %+v, want Slovenian %q", id, sv.Name, want)
			}
			if id == "c_f081.matrimonio" {
				ok, why := sv.OnlineAt(time.Now())
				if ok || why.Sl == "" || why.Sl == why.It {
					t.Errorf("Medea's marriage online = %v, reason %+v: want a Slovenian reason", ok, why)
				}
			}
		}
	})
}
