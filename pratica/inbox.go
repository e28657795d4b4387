package pratica

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// TaskFilter selects the tasks of an operator inbox.
type TaskFilter struct {
	Ente   string
	Office string // empty: every office of the ente
	Role   string
	States []string // default: open and claimed
	Limit  int
	Offset int
}

// Tasks returns the inbox sorted by legal deadline, the most urgent first; tasks
// without a deadline come last, oldest first.
func (s *Store) Tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = DefaultPage
	}
	var out []Task
	err := s.taskFilter(ctx, f).
		Order("CASE WHEN deadline IS NULL THEN 1 ELSE 0 END, deadline, created_at, id").
		Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, errs.Wrap(err, "list tasks")
}

// CountTasks counts the tasks matching f, paging aside.
func (s *Store) CountTasks(ctx context.Context, f TaskFilter) (int64, error) {
	var n int64
	err := s.taskFilter(ctx, f).Count(&n).Error
	return n, errs.Wrap(err, "count tasks")
}

func (s *Store) taskFilter(ctx context.Context, f TaskFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Task{}).Where("ente = ?", f.Ente)
	if f.Office != "" {
		q = q.Where("(office = ? OR office = '')", f.Office)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if len(f.States) == 0 {
		f.States = []string{TaskOpen, TaskClaimed}
	}
	return q.Where("state IN ?", f.States)
}

// Task returns one task.
func (s *Store) Task(ctx context.Context, id string) (*Task, error) {
	var t Task
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "task %s not found", id)
	}
	return &t, errs.Wrap(err, "get task %s", id)
}

// OpenTasks returns the open or claimed tasks of a pratica.
func (s *Store) OpenTasks(ctx context.Context, praticaID string) ([]Task, error) {
	var out []Task
	err := s.db.WithContext(ctx).Where("pratica_id = ? AND state IN ?", praticaID, []string{TaskOpen, TaskClaimed}).
		Order("opened_seq").Find(&out).Error
	return out, errs.Wrap(err, "open tasks of %s", praticaID)
}
