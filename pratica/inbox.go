package pratica

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// TaskFilter selects the tasks of an operator inbox.
type TaskFilter struct {
	Ente   string
	Office string // empty: every office of the ente
	Role   string
	States []string // default: open and claimed
	// Service keeps the tasks of one catalog service.
	Service string
	// OverdueAt, when set, keeps the tasks whose legal deadline is before it.
	OverdueAt *time.Time
	// Search matches the start of the pratica id or any part of the applicant's name, ignoring case.
	Search string
	// Sort is one of TaskSorts, "-" before it for descending; default "deadline".
	Sort   string
	Limit  int
	Offset int
}

// Tasks returns one page of the inbox in f.Sort order; by default by legal
// deadline, the most urgent first, tasks without a deadline last, oldest first.
func (s *Store) Tasks(ctx context.Context, f TaskFilter) ([]Task, error) {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = DefaultPage
	}
	order, err := taskOrder(f.Sort)
	if err != nil {
		return nil, err
	}
	var out []Task
	err = s.taskFilter(ctx, f).Order(order).Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, errs.Wrap(err, "list tasks")
}

// CountTasks counts the tasks matching f, paging aside.
func (s *Store) CountTasks(ctx context.Context, f TaskFilter) (int64, error) {
	var n int64
	err := s.taskFilter(ctx, f).Count(&n).Error
	return n, errs.Wrap(err, "count tasks")
}

// CountTasksUpTo counts the tasks matching f, paging aside, but stops at
// limit: a count reads every matching row, so an inbox of a large ente
// counted in full on every page. capped is true when more than limit match
// (n is then limit).
func (s *Store) CountTasksUpTo(ctx context.Context, f TaskFilter, limit int) (n int64, capped bool, err error) {
	sub := s.taskFilter(ctx, f).Select("1").Limit(limit + 1)
	err = s.db.WithContext(ctx).Table("(?) AS capped", sub).Count(&n).Error
	if err != nil {
		return 0, false, errs.Wrap(err, "count tasks")
	}
	if n > int64(limit) {
		return int64(limit), true, nil
	}
	return n, false, nil
}

func (s *Store) taskFilter(ctx context.Context, f TaskFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Task{}).Where("ente = ?", f.Ente)
	if f.Office != "" {
		// IN rather than OR: an index condition, so counts stay index-only.
		q = q.Where("office IN ?", []string{f.Office, ""})
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.Service != "" {
		q = q.Where("service = ?", f.Service)
	}
	if f.OverdueAt != nil {
		q = q.Where("deadline < ?", f.OverdueAt.UTC())
	}
	if f.Search != "" {
		// Both sides in lower case: SQLite's LIKE ignores ASCII case, PostgreSQL's
		// does not; the expressions are those of migration 00771's indexes.
		q = q.Where("(LOWER(pratica_id) LIKE ? ESCAPE '\\' OR LOWER(applicant) LIKE ? ESCAPE '\\')",
			likeEscape(strings.ToLower(f.Search))+"%", "%"+likeEscape(strings.ToLower(f.Search))+"%")
	}
	if len(f.States) == 0 || (len(f.States) == 2 && slices.Contains(f.States, TaskOpen) && slices.Contains(f.States, TaskClaimed)) {
		// Written as the partial indexes' predicate, so the planner uses them.
		return q.Where("state IN ('open', 'claimed')")
	}
	return q.Where("state IN ?", f.States)
}

// TaskSorts are the columns the inbox sorts by.
var TaskSorts = []string{"deadline", "created", "service", "applicant", "office", "state"}

// TaskStates are the states a task can be in.
var TaskStates = []string{TaskOpen, TaskClaimed, TaskDone, TaskCancelled}

// taskOrder is the ORDER BY of a sort; ties break by creation and id, so pages never overlap.
func taskOrder(sort string) (string, error) {
	col, dir := strings.TrimPrefix(sort, "-"), "ASC"
	if strings.HasPrefix(sort, "-") {
		dir = "DESC"
	}
	switch col {
	case "", "deadline":
		// Tasks without a deadline last either way; ascending matches the
		// indexes' order (NULLS LAST is PostgreSQL's default for ASC).
		return "deadline " + dir + " NULLS LAST, created_at " + dir + ", id " + dir, nil
	case "created":
		return "created_at " + dir + ", id " + dir, nil
	case "service", "applicant", "office", "state":
		return col + " " + dir + ", deadline ASC NULLS LAST, created_at, id", nil
	}
	return "", errs.Field("sort", "must be one of %s, with - for descending / deve essere uno di %s, con - per l'ordine decrescente",
		strings.Join(TaskSorts, ", "), strings.Join(TaskSorts, ", "))
}

// likeEscape escapes the LIKE wildcards of s with a backslash.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// inboxColumns copies the pratica's service and applicant's name onto a task about to open.
func inboxColumns(tx *gorm.DB, t *Task) error {
	var row struct {
		Service   string
		OwnerName string
	}
	err := tx.Raw(`SELECT p.service AS service, COALESCE(s.owner_name, '') AS owner_name
		FROM pratiche p LEFT JOIN pratica_starts s ON s.pratica_id = p.id WHERE p.id = ?`, t.PraticaID).Scan(&row).Error
	if err != nil {
		return fmt.Errorf("inbox columns of %s: %w", t.PraticaID, err)
	}
	t.Service, t.Applicant = row.Service, row.OwnerName
	return nil
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
