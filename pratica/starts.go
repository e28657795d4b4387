package pratica

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Start is the intent to start a pratica's workflow, written in the same
// transaction as its row: a crash between the row and the workflow leaves the
// intent behind, and the engine's reconciler finishes the start.
type Start struct {
	PraticaID string `gorm:"column:pratica_id;primaryKey"`
	Owner     string `gorm:"column:owner"`
	// Key is the citizen's Idempotency-Key ("" when none was sent).
	Key string `gorm:"column:idem_key"`
	// RequestHash tells a retry of the same request from a new request reusing the key.
	RequestHash string `gorm:"column:request_hash"`
	Lang        string `gorm:"column:lang"`
	// OwnerName is the citizen's name from the sign-in, for the debtor on notices ("" if unknown).
	OwnerName string     `gorm:"column:owner_name"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	StartedAt *time.Time `gorm:"column:started_at"`
}

// TableName is the table of start intents.
func (Start) TableName() string { return "pratica_starts" }

// CreateStarting inserts a new pratica row and its start intent together. When
// the owner already used st.Key, nothing is written and the intent of the
// pratica that key started is returned instead (also when a concurrent retry
// won the race).
func (s *Store) CreateStarting(ctx context.Context, p *Pratica, st *Start) (existing *Start, err error) {
	now := time.Now().UTC()
	p.CreatedAt, p.UpdatedAt, p.StatusCode = now, now, p.Status.Code()
	st.PraticaID, st.CreatedAt = p.ID, now
	err = store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		if st.Key != "" {
			var prev Start
			if err := tx.Where("owner = ? AND idem_key = ?", st.Owner, st.Key).Limit(1).Find(&prev).Error; err != nil {
				return err
			}
			if prev.PraticaID != "" {
				existing = &prev
				return nil
			}
		}
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		return tx.Create(st).Error
	})
	if err != nil && st.Key != "" && errors.Is(err, gorm.ErrDuplicatedKey) {
		if prev, lerr := s.StartByKey(ctx, st.Owner, st.Key); lerr == nil {
			return prev, nil
		}
	}
	if err != nil {
		return nil, errs.Wrap(err, "create pratica %s", p.ID)
	}
	return existing, nil
}

// StartByKey returns the start intent an owner's Idempotency-Key made (not found when none).
func (s *Store) StartByKey(ctx context.Context, owner, key string) (*Start, error) {
	var st Start
	err := s.db.WithContext(ctx).Where("owner = ? AND idem_key = ?", owner, key).Take(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "no pratica for this key")
	}
	if err != nil {
		return nil, errs.Wrap(err, "find pratica by key")
	}
	return &st, nil
}

// MarkStarted records that the pratica's workflow exists.
func (s *Store) MarkStarted(ctx context.Context, id string) error {
	now := time.Now().UTC()
	err := s.db.WithContext(ctx).Model(&Start{}).Where("pratica_id = ? AND started_at IS NULL", id).Update("started_at", now).Error
	return errs.Wrap(err, "mark pratica %s started", id)
}

// PendingStarts lists up to limit intents made before before whose workflow
// is not known to have started, oldest first.
func (s *Store) PendingStarts(ctx context.Context, before time.Time, limit int) ([]Start, error) {
	var out []Start
	err := s.db.WithContext(ctx).Where("started_at IS NULL AND created_at < ?", before.UTC()).
		Order("created_at").Limit(limit).Find(&out).Error
	return out, errs.Wrap(err, "list pending starts")
}
