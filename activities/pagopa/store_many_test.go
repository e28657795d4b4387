package pagopa

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store/storetest"
)

// TestCreateManyRetryStoresOnlyNew: a chunk sent again after a crash returns
// the positions already stored as they were (same IUVs) and stores only the
// new ones, also when an iupd holds characters an array literal must escape.
func TestCreateManyRetryStoresOnlyNew(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		odd := []string{`TARI-1`, `TARI,"2"`, `TARI\3{}`}
		first, err := st.CreateMany(ctx, []*Position{installmentPosition(odd[0]), installmentPosition(odd[1])})
		if err != nil {
			t.Fatal(err)
		}
		again, err := st.CreateMany(ctx, []*Position{installmentPosition(odd[0]), installmentPosition(odd[1]), installmentPosition(odd[2])})
		if err != nil {
			t.Fatal(err)
		}
		for i := range first {
			if again[i].ID != first[i].ID || again[i].Options[0].IUV != first[i].Options[0].IUV {
				t.Errorf("%s stored again: %s/%s, was %s/%s", odd[i], again[i].ID, again[i].Options[0].IUV, first[i].ID, first[i].Options[0].IUV)
			}
		}
		var n int64
		db.Model(&positionRow{}).Count(&n)
		if n != 3 {
			t.Fatalf("%d positions stored, want 3", n)
		}
		if got, err := st.ByIUPD(ctx, trieste, odd[2]); err != nil || got.Options[0].IUV == "" {
			t.Fatalf("the new position: %v, %v", got, err)
		}
	})
}
