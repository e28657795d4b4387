package email

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Status is where a message intent stands.
type Status string

// Intent statuses. Sending means the message went out and the server's answer
// is unknown: a retry that finds it does not send again (at most once).
const (
	Pending Status = "pending"
	Sending Status = "sending"
	Sent    Status = "sent"
	Failed  Status = "failed"  // the server refused it for good
	Unknown Status = "unknown" // an earlier attempt may or may not have delivered it
)

// Intent is one e-mail we mean to send, written before the server is called.
type Intent struct {
	ID        string    `gorm:"column:id;primaryKey" json:"id"`
	Key       string    `gorm:"column:idem_key" json:"key"`
	Ente      string    `gorm:"column:ente" json:"ente"`
	Service   string    `gorm:"column:service" json:"service"`
	PraticaID string    `gorm:"column:pratica_id" json:"praticaId,omitempty"`
	Recipient string    `gorm:"column:recipient" json:"recipient"`
	Subject   string    `gorm:"column:subject" json:"subject"`
	Status    Status    `gorm:"column:status" json:"status"`
	Error     string    `gorm:"column:error" json:"error,omitempty"`
	Attempts  int       `gorm:"column:attempts" json:"attempts"`
	CreatedAt time.Time `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt time.Time `gorm:"column:updated_at" json:"updatedAt"`
}

// TableName is the table of e-mail intents.
func (Intent) TableName() string { return "email_messages" }

// Store keeps e-mail intents.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db; now may be nil.
func NewStore(db *gorm.DB, now func() time.Time) *Store {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	return &Store{db: db, now: now}
}

// Begin records the intent unless its key exists, and returns the stored row
// (the new one, or the one a previous attempt wrote) with created true when new.
func (s *Store) Begin(ctx context.Context, in Intent) (*Intent, bool, error) {
	now := s.now().UTC()
	in.ID, in.Status, in.CreatedAt, in.UpdatedAt = uuid.NewString(), Pending, now, now
	var got Intent
	created, err := store.BeginIntent(ctx, s.db, &in, in.Key, &got)
	if err != nil {
		return nil, false, errs.Wrap(err, "record e-mail intent")
	}
	return &got, created, nil
}

// ByKey returns the intent of an idempotency key.
func (s *Store) ByKey(ctx context.Context, key string) (*Intent, error) {
	var it Intent
	found, err := store.IntentByKey(ctx, s.db, key, &it)
	if err == nil && !found {
		return nil, errs.E(errs.NotFound, "e-mail %s not found", key)
	}
	return &it, err
}

// Mark moves an intent from one status to another; it fails with conflict when
// the intent is no longer in from, so two racing attempts cannot both send.
func (s *Store) Mark(ctx context.Context, id string, from, to Status, reason string) error {
	upd := map[string]any{"updated_at": s.now().UTC()}
	if reason != "" {
		upd["error"] = reason
	}
	moved, err := store.MoveIntent(ctx, s.db, &Intent{}, id, string(from), string(to), upd)
	if err != nil {
		return errs.Wrap(err, "mark e-mail %s", id)
	}
	if !moved {
		return errs.E(errs.Conflict, "e-mail %s is no longer %s", id, from)
	}
	return nil
}

// ByPratica lists a pratica's e-mails, oldest first.
func (s *Store) ByPratica(ctx context.Context, praticaID string) ([]Intent, error) {
	var out []Intent
	err := s.db.WithContext(ctx).Where("pratica_id = ?", praticaID).Order("created_at, id").Find(&out).Error
	return out, err
}
