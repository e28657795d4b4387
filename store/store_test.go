package store_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

func TestMigrateTwiceIsANoOp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		before, err := store.Version(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if before == 0 {
			t.Fatal("no migration recorded")
		}
		if err := store.Migrate(ctx, db, nil); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		after, err := store.Version(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("version moved from %d to %d on a second run", before, after)
		}
	})
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ dsn, in, want string }{
		{"postgres://u:s3cret@h/db", "dial postgres://u:s3cret@h/db failed", "dial postgres://u:xxxxx@h/db failed"},
		{"host=h user=u password=s3cret dbname=d", "auth s3cret", "auth xxxxx"},
	} {
		if got := store.Redact(tc.in, tc.dsn); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
