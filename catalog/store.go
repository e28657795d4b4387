package catalog

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store"
)

// Store is the catalog's persistence: every read and write of the catalog goes
// through it, inside a transaction when it writes more than one row.
type Store struct {
	db  *gorm.DB
	now func() time.Time
	log *slog.Logger
}

// NewStore returns a catalog store on db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, now: func() time.Time { return time.Now().UTC() }, log: slog.Default()}
}

// WithClock returns a copy of s whose clock is now; tests pin dates with it.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// tx runs f with a store bound to one transaction, so validation reads and
// writes see the same data and nothing half-written stays behind.
func (s *Store) tx(ctx context.Context, f func(ts *Store) error) error {
	return store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		c := *s
		c.db = tx
		return f(&c)
	})
}

func (s *Store) conn(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }
