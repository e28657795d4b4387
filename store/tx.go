package store

import (
	"context"

	"gorm.io/gorm"
)

// Tx runs f in a transaction: everything f writes lands, or nothing does.
func Tx(ctx context.Context, db *gorm.DB, f func(tx *gorm.DB) error) error {
	return db.WithContext(ctx).Transaction(f)
}
