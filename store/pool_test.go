package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

// TestPostgresPoolKeepsItsConnections sends concurrent queries, as a busy
// status API does, and checks the pool keeps the connections it opened:
// database/sql keeps only two idle ones by default, so every burst beyond two
// closed connections and the next opened new PostgreSQL backends (a process
// each) at several milliseconds apiece.
func TestPostgresPoolKeepsItsConnections(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	db, err := store.Open(store.Postgres, dsn)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	for range 5 {
		var wg sync.WaitGroup
		for range 12 {
			wg.Go(func() {
				if err := db.WithContext(context.Background()).Exec("SELECT pg_sleep(0.02)").Error; err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	st := sqlDB.Stats()
	if st.MaxIdleClosed > 0 || st.OpenConnections < 12 {
		t.Fatalf("pool closed %d idle connections and keeps %d open after bursts of 12, want 0 closed and ≥ 12 kept", st.MaxIdleClosed, st.OpenConnections)
	}
}
