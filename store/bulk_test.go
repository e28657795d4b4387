package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

type bulkMatch struct {
	Key     string    `gorm:"column:item_key;primaryKey"`
	Ente    string    `gorm:"column:ente"`
	Kind    string    `gorm:"column:kind"`
	Outcome string    `gorm:"column:outcome"`
	Day     string    `gorm:"column:day"`
	Amount  int64     `gorm:"column:amount"`
	At      time.Time `gorm:"column:updated_at"`
	Note    *string   `gorm:"-"`
}

func (bulkMatch) TableName() string { return "ledger_matches" }

// BulkTx writes every row (COPY on PostgreSQL), mixes with GORM statements in
// the same transaction, and a duplicate key rolls everything back with
// gorm.ErrDuplicatedKey.
func TestBulkTxWritesAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		rows := make([]bulkMatch, 1000)
		for i := range rows {
			rows[i] = bulkMatch{Key: fmt.Sprintf("k%d", i), Ente: "p", Kind: "receipt", Outcome: "reconciled", Day: "2026-11-26", Amount: int64(i), At: time.Now()}
		}
		err := store.BulkTx(ctx, db, 200, func(tx *gorm.DB, insert store.Inserter) error {
			if err := insert("", &rows); err != nil {
				return err
			}
			// The rows are visible to the transaction's own statements.
			var n int64
			if err := tx.Model(&bulkMatch{}).Where("ente = ?", "p").Count(&n).Error; err != nil {
				return err
			}
			if n != 1000 {
				t.Errorf("inside the transaction: %d rows, want 1000", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		db.Model(&bulkMatch{}).Select("SUM(amount)").Where("ente = ?", "p").Scan(&sum)
		if sum != 999*1000/2 {
			t.Fatalf("sum of amounts %d, want %d", sum, 999*1000/2)
		}
		again := []bulkMatch{{Key: "q", Ente: "q", Kind: "receipt", Outcome: "pending", Day: "2026-11-26", At: time.Now()}, rows[500]}
		err = store.BulkTx(ctx, db, 200, func(tx *gorm.DB, insert store.Inserter) error { return insert("", again) })
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			t.Fatalf("duplicate key: got %v, want gorm.ErrDuplicatedKey", err)
		}
		var q int64
		db.Model(&bulkMatch{}).Where("ente = ?", "q").Count(&q)
		if q != 0 {
			t.Fatalf("the failed transaction left %d rows", q)
		}
	})
}
