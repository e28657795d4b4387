package appio

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

// Intent statuses. Sending means the call went out and its outcome is unknown:
// a retry that finds it does not call again (at most once, never twice).
const (
	Pending Status = "pending"
	Sending Status = "sending"
	Sent    Status = "sent"
	NotOnIO Status = "not_on_io"
	Refused Status = "refused" // the citizen disabled the service (sender_allowed false)
	Failed  Status = "failed"  // IO refused the message for good
	Unknown Status = "unknown" // a previous call may or may not have delivered it
)

// Intent is one message we mean to send, written before IO is called.
type Intent struct {
	ID          string    `gorm:"column:id;primaryKey" json:"id"`
	Key         string    `gorm:"column:idem_key" json:"key"`
	Ente        string    `gorm:"column:ente" json:"ente"`
	Service     string    `gorm:"column:service" json:"service"`
	PraticaID   string    `gorm:"column:pratica_id" json:"praticaId,omitempty"`
	Step        string    `gorm:"column:step" json:"step,omitempty"`
	Campaign    string    `gorm:"column:campaign" json:"campaign,omitempty"`
	FiscalCode  string    `gorm:"column:fiscal_code" json:"fiscalCode"`
	Subject     string    `gorm:"column:subject" json:"subject"`
	Status      Status    `gorm:"column:status" json:"status"`
	IOMessageID string    `gorm:"column:io_message_id" json:"ioMessageId,omitempty"`
	Error       string    `gorm:"column:error" json:"error,omitempty"`
	Attempts    int       `gorm:"column:attempts" json:"attempts"`
	CreatedAt   time.Time `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt   time.Time `gorm:"column:updated_at" json:"updatedAt"`
}

// TableName is the table of message intents.
func (Intent) TableName() string { return "appio_messages" }

// Store keeps message intents and the identity card registry.
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
		return nil, false, errs.Wrap(err, "record message intent")
	}
	return &got, created, nil
}

// Settled returns, of keys, those whose message has had its outcome (sent, or
// a final answer of IO): a run would not send them again.
func (s *Store) Settled(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(keys); start += 500 {
		var done []string
		err := s.db.WithContext(ctx).Model(&Intent{}).Where("idem_key IN ? AND status <> ?", keys[start:min(start+500, len(keys))], Pending).
			Pluck("idem_key", &done).Error
		if err != nil {
			return nil, errs.Wrap(err, "settled messages")
		}
		for _, k := range done {
			out[k] = true
		}
	}
	return out, nil
}

// ByKey returns the intent of an idempotency key.
func (s *Store) ByKey(ctx context.Context, key string) (*Intent, error) {
	var it Intent
	found, err := store.IntentByKey(ctx, s.db, key, &it)
	if err == nil && !found {
		return nil, errs.E(errs.NotFound, "message %s not found", key)
	}
	return &it, err
}

// Mark moves an intent from one status to another; it fails with conflict when
// the intent is no longer in from, so two racing attempts cannot both call IO.
func (s *Store) Mark(ctx context.Context, id string, from, to Status, ioID, reason string) error {
	upd := map[string]any{"updated_at": s.now().UTC()}
	if ioID != "" {
		upd["io_message_id"] = ioID
	}
	if reason != "" {
		upd["error"] = reason
	}
	moved, err := store.MoveIntent(ctx, s.db, &Intent{}, id, string(from), string(to), upd)
	if err != nil {
		return errs.Wrap(err, "mark message %s", id)
	}
	if !moved {
		return errs.E(errs.Conflict, "message %s is no longer %s", id, from)
	}
	return nil
}

// MessageFilter selects intents; empty fields match everything.
type MessageFilter struct {
	Ente      string
	PraticaID string
	Campaign  string
	Limit     int
}

// List returns intents, newest first.
func (s *Store) List(ctx context.Context, f MessageFilter) ([]Intent, error) {
	q := s.db.WithContext(ctx).Order("created_at DESC, id")
	if f.Ente != "" {
		q = q.Where("ente = ?", f.Ente)
	}
	if f.PraticaID != "" {
		q = q.Where("pratica_id = ?", f.PraticaID)
	}
	if f.Campaign != "" {
		q = q.Where("campaign = ?", f.Campaign)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	var out []Intent
	err := q.Limit(f.Limit).Find(&out).Error
	return out, err
}
