package pratica

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Store reads and writes the projection.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Create inserts a new pratica row before its workflow starts.
func (s *Store) Create(ctx context.Context, p *Pratica) error {
	now := time.Now().UTC()
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now
	}
	p.UpdatedAt = p.CreatedAt
	p.StatusCode = p.Status.Code()
	if err := s.db.WithContext(ctx).Create(p).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return errs.E(errs.Conflict, "pratica %s already exists", p.ID)
		}
		return errs.Wrap(err, "create pratica %s", p.ID)
	}
	return nil
}

// Delete removes a pratica whose workflow could not start, so nothing half-made stays.
func (s *Store) Delete(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Where("id = ?", id).Delete(&Pratica{}).Error
}

// Get returns one pratica.
func (s *Store) Get(ctx context.Context, id string) (*Pratica, error) {
	var p Pratica
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "pratica %s not found", id)
	}
	if err != nil {
		return nil, errs.Wrap(err, "get pratica %s", id)
	}
	return &p, nil
}

// Filter selects pratiche for a list.
type Filter struct {
	Owner  string
	Ente   string
	Office string
	Status Status
	Limit  int
	Offset int
}

// List returns pratiche matching f, newest first.
func (s *Store) List(ctx context.Context, f Filter) ([]Pratica, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = DefaultPage
	}
	var out []Pratica
	err := s.filter(ctx, f).Order("created_at DESC, id").Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, errs.Wrap(err, "list pratiche")
}

// Count counts the pratiche matching f, paging aside.
func (s *Store) Count(ctx context.Context, f Filter) (int64, error) {
	var n int64
	err := s.filter(ctx, f).Count(&n).Error
	return n, errs.Wrap(err, "count pratiche")
}

// Paging of lists: the default page and the largest one may ask for.
const (
	DefaultPage = 100
	MaxPage     = 500
)

func (s *Store) filter(ctx context.Context, f Filter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Pratica{})
	if f.Owner != "" {
		q = q.Where("owner = ?", f.Owner)
	}
	if f.Ente != "" {
		q = q.Where("ente = ?", f.Ente)
	}
	if f.Office != "" {
		q = q.Where("office = ?", f.Office)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return q
}

// CountStatus counts the pratiche in status s.
func (s *Store) CountStatus(ctx context.Context, st Status) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Pratica{}).Where("status = ?", st).Count(&n).Error
	return n, errs.Wrap(err, "count pratiche %s", st)
}

// Timeline returns the events of a pratica in the order the workflow made them.
func (s *Store) Timeline(ctx context.Context, id string) ([]Event, error) {
	var out []Event
	err := s.db.WithContext(ctx).Where("pratica_id = ?", id).Order("seq").Find(&out).Error
	return out, errs.Wrap(err, "timeline of %s", id)
}

// Record applies a transition exactly once: the event's (pratica, seq) key makes a
// retried or replayed write a no-op, and the row only moves forward in seq.
func (s *Store) Record(ctx context.Context, t Transition) (applied bool, err error) {
	if t.At.IsZero() {
		t.At = time.Now().UTC()
	}
	err = store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		ev := Event{
			PraticaID: t.PraticaID, Seq: t.Seq, At: t.At.UTC(), Kind: t.Kind,
			Status: t.Status, StatusCode: t.Status.Code(), Step: t.Step, Actor: t.Actor, Holder: t.Holder,
			MessageIT: t.MessageIT, MessageEN: t.MessageEN, Detail: MustJSON(t.Detail),
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ev)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil
		}
		applied = true
		upd := map[string]any{
			"status": t.Status, "status_code": t.Status.Code(), "step": t.Step, "holder": t.Holder,
			"office": t.Office, "deadline": t.Deadline, "suspended": t.Suspended, "days_remaining": t.Remaining, "outcome": t.Outcome,
			"actions": Strings(t.Actions), "last_seq": t.Seq, "updated_at": t.At.UTC(),
		}
		if t.Data != nil {
			upd["data"] = MustJSON(t.Data)
		}
		res = tx.Model(&Pratica{}).Where("id = ? AND last_seq < ?", t.PraticaID, t.Seq).Updates(upd)
		if res.Error != nil {
			return res.Error
		}
		if err := moveTasks(tx, t); err != nil {
			return err
		}
		if err := closeTasks(tx, t); err != nil {
			return err
		}
		if t.OpenTask != nil {
			task := *t.OpenTask
			task.ID = uuid.NewString()
			task.PraticaID, task.OpenedSeq, task.State = t.PraticaID, t.Seq, TaskOpen
			task.CreatedAt, task.UpdatedAt = t.At.UTC(), t.At.UTC()
			if err := inboxColumns(tx, &task); err != nil {
				return err
			}
			if err := tx.Create(&task).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return applied, errs.Wrap(err, "record transition %s/%d", t.PraticaID, t.Seq)
}

func closeTasks(tx *gorm.DB, t Transition) error {
	if t.CloseTask == "" && !t.CancelTasks {
		return nil
	}
	q := tx.Model(&Task{}).Where("pratica_id = ? AND state IN ?", t.PraticaID, []string{TaskOpen, TaskClaimed})
	state, outcome := TaskDone, t.Kind
	if t.CancelTasks {
		state = TaskCancelled
	} else {
		q = q.Where("step = ?", t.CloseTask)
	}
	if o, ok := t.Detail["outcome"].(string); ok {
		outcome = o
	}
	return q.Updates(map[string]any{"state": state, "closed_seq": t.Seq, "outcome": outcome, "updated_at": t.At.UTC()}).Error
}

// moveTasks applies the office and assignee changes of t to the open task rows.
func moveTasks(tx *gorm.DB, t Transition) error {
	for _, c := range t.Tasks {
		state := TaskOpen
		if c.ClaimedBy != "" {
			state = TaskClaimed
		}
		err := tx.Model(&Task{}).Where("pratica_id = ? AND step = ? AND state IN ?", t.PraticaID, c.Step, []string{TaskOpen, TaskClaimed}).
			Updates(map[string]any{"office": c.Office, "claimed_by": c.ClaimedBy, "state": state, "updated_at": t.At.UTC()}).Error
		if err != nil {
			return fmt.Errorf("move task %s of %s: %w", c.Step, t.PraticaID, err)
		}
	}
	return nil
}
