package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/store"
)

// auditRow is one row of auth_audit.
type auditRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	Seq       int64     `gorm:"column:seq"`
	At        time.Time `gorm:"column:at"`
	Subject   string    `gorm:"column:subject"`
	Role      string    `gorm:"column:role"`
	Ente      string    `gorm:"column:ente"`
	Domain    string    `gorm:"column:domain"`
	Action    string    `gorm:"column:action"`
	Object    string    `gorm:"column:object"`
	ObjectID  string    `gorm:"column:object_id"`
	Method    string    `gorm:"column:method"`
	Path      string    `gorm:"column:path"`
	RequestID string    `gorm:"column:request_id"`
	Address   string    `gorm:"column:address"`
	Outcome   string    `gorm:"column:outcome"`
	Status    int       `gorm:"column:status"`
	Reason    string    `gorm:"column:reason"`
	PrevHash  string    `gorm:"column:prev_hash"`
	Hash      string    `gorm:"column:hash"`
}

func (auditRow) TableName() string { return "auth_audit" }

// canonical is the hashed content of a row: every column but id, prev_hash and
// hash, in a fixed order, the time in UTC to the microsecond (PostgreSQL's precision).
func (r auditRow) canonical() []byte {
	b, _ := json.Marshal([]any{r.Seq, r.At.UTC().Format("2006-01-02T15:04:05.000000Z"), r.Subject, r.Role, r.Ente, r.Domain,
		r.Action, r.Object, r.ObjectID, r.Method, r.Path, r.RequestID, r.Address, r.Outcome, r.Status, r.Reason})
	return b
}

func chainHash(prev string, content []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

func (r auditRow) api() api.AuditEntry {
	return api.AuditEntry{Seq: r.Seq, At: r.At.UTC(), Subject: r.Subject, Role: r.Role, Ente: r.Ente, Domain: r.Domain,
		Action: r.Action, Object: r.Object, ObjectID: r.ObjectID, Method: r.Method, Path: r.Path,
		RequestID: r.RequestID, Address: r.Address, Outcome: r.Outcome, Status: r.Status, Reason: r.Reason, Hash: r.Hash}
}

// Audit is the append-only, hash-chained audit log.
type Audit struct {
	db  *gorm.DB
	now func() time.Time
}

// NewAudit returns the audit log over db.
func NewAudit(db *gorm.DB) *Audit {
	return &Audit{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// Append writes e at the end of the chain; Seq, At and Hash are filled in.
func (a *Audit) Append(ctx context.Context, e api.AuditEntry) (api.AuditEntry, error) {
	var out auditRow
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		out, err = a.append(ctx, e)
		if !errors.Is(err, gorm.ErrDuplicatedKey) {
			break
		}
	}
	if err != nil {
		return api.AuditEntry{}, fmt.Errorf("append audit: %w", err)
	}
	return out.api(), nil
}

func (a *Audit) append(ctx context.Context, e api.AuditEntry) (auditRow, error) {
	var row auditRow
	err := store.Tx(ctx, a.db, func(tx *gorm.DB) error {
		if store.Dialect(tx) == store.Postgres {
			// Serialise writers on the chain's tail; the unique seq catches the rest.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(400400)").Error; err != nil {
				return err
			}
		}
		var last auditRow
		err := tx.Select("seq, hash").Order("seq DESC").Limit(1).Take(&last).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		row = auditRow{ID: uuid.NewString(), Seq: last.Seq + 1, At: a.now().Truncate(time.Microsecond),
			Subject: e.Subject, Role: e.Role, Ente: e.Ente, Domain: e.Domain, Action: e.Action, Object: e.Object,
			ObjectID: e.ObjectID, Method: e.Method, Path: e.Path, RequestID: e.RequestID, Address: e.Address,
			Outcome: e.Outcome, Status: e.Status, Reason: e.Reason, PrevHash: last.Hash}
		row.Hash = chainHash(row.PrevHash, row.canonical())
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		head := auditHead{ID: 1, Seq: row.Seq, Hash: row.Hash}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "id"}}, DoUpdates: clause.AssignmentColumns([]string{"seq", "hash"})}).
			Create(&head).Error
	})
	return row, err
}

// auditHead is the last row of the chain as the appends left it.
type auditHead struct {
	ID   int    `gorm:"column:id;primaryKey"`
	Seq  int64  `gorm:"column:seq"`
	Hash string `gorm:"column:hash"`
}

// TableName is the one-row table of the chain's head.
func (auditHead) TableName() string { return "auth_audit_head" }

// Query returns rows in sequence order matching f; Limit defaults to 100, at most 1000.
func (a *Audit) Query(ctx context.Context, f api.AuditFilter) ([]api.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := a.db.WithContext(ctx).Where("seq > ?", f.After)
	if f.Domain != "" {
		q = q.Where("domain = ? OR ente = ?", f.Domain, f.Domain)
	}
	if f.Subject != "" {
		q = q.Where("subject = ?", f.Subject)
	}
	var rows []auditRow
	if err := q.Order("seq").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("query audit: %w", err)
	}
	out := make([]api.AuditEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.api())
	}
	return out, nil
}

// VerifyAudit walks the chain in order and returns the seq of the first row whose
// hash, link to the previous row or position does not match, or of the first
// missing row when the chain ends before its recorded head; 0 when the whole
// chain is intact. `sportello audit verify` prints it.
func VerifyAudit(ctx context.Context, db *gorm.DB) (int64, error) {
	var head auditHead
	if err := db.WithContext(ctx).Where("id = 1").Limit(1).Find(&head).Error; err != nil {
		return 0, fmt.Errorf("verify audit: %w", err)
	}
	prev, want := "", int64(1)
	const page = 500
	for {
		var rows []auditRow
		if err := db.WithContext(ctx).Where("seq >= ?", want).Order("seq").Limit(page).Find(&rows).Error; err != nil {
			return 0, fmt.Errorf("verify audit: %w", err)
		}
		for _, r := range rows {
			if r.Seq != want || r.PrevHash != prev || r.Hash != chainHash(prev, r.canonical()) {
				return want, nil
			}
			prev, want = r.Hash, want+1
		}
		if len(rows) < page {
			if head.Seq >= want || (head.Seq == want-1 && head.Seq > 0 && head.Hash != prev) {
				return want, nil // rows deleted from the tail (or the head rewound to hide it)
			}
			return 0, nil
		}
	}
}
