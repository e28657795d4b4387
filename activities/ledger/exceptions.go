package ledger

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Exception statuses.
const (
	Open     = "open"
	Resolved = "resolved"
)

// Exception is an item that did not match, waiting in the operators' queue.
type Exception struct {
	ID         string  `gorm:"column:id;primaryKey" json:"id"`
	Key        string  `gorm:"column:ex_key" json:"key"`
	Ente       string  `gorm:"column:ente" json:"ente"`
	Outcome    Outcome `gorm:"column:outcome" json:"outcome"`
	ReasonIT   string  `gorm:"column:reason_it" json:"reasonIt"`
	ReasonEN   string  `gorm:"column:reason_en" json:"reasonEn"`
	Day        string  `gorm:"column:day" json:"day"`
	PraticaID  string  `gorm:"column:pratica_id" json:"praticaId,omitempty"`
	Position   string  `gorm:"column:position" json:"position,omitempty"`
	IUV        string  `gorm:"column:iuv" json:"iuv,omitempty"`
	FlowID     string  `gorm:"column:flow_id" json:"flowId,omitempty"`
	MovementID string  `gorm:"column:movement_id" json:"movementId,omitempty"`
	Amount     int64   `gorm:"column:amount" json:"amount"`
	// Expected is what the item should have been, when something says so (a
	// receipt, a flow's total); absent when nothing does.
	Expected   int64      `gorm:"column:expected" json:"expected,omitempty"`
	Status     string     `gorm:"column:status" json:"status"`
	Resolution string     `gorm:"column:resolution" json:"resolution,omitempty"`
	ResolvedBy string     `gorm:"column:resolved_by" json:"resolvedBy,omitempty"`
	ResolvedAt *time.Time `gorm:"column:resolved_at" json:"resolvedAt,omitempty"`
	CreatedAt  time.Time  `gorm:"column:created_at" json:"createdAt"`
	UpdatedAt  time.Time  `gorm:"column:updated_at" json:"updatedAt"`
}

// TableName is the exceptions queue.
func (Exception) TableName() string { return "ledger_exceptions" }

// write records a run in one transaction: outcomes, exceptions, entries. Each
// is one set-based statement over a temporary table the run's rows are copied
// into (COPY on PostgreSQL), so a run of a million items makes a handful of
// round trips, not millions.
func (r *run) write(ctx context.Context) (*RunReport, error) {
	rep := r.tally()
	now := r.s.now()
	err := store.BulkTx(ctx, r.s.db, 200, func(tx *gorm.DB, insert store.Inserter) error {
		return r.writeSets(tx, insert, rep, now)
	})
	if err != nil {
		return nil, errs.Wrap(err, "record reconciliation of %s on %s", r.ente, r.day)
	}
	r.s.log().Info("reconciliation", "ente", r.ente, "day", r.day, "posted", rep.Posted, "opened", rep.Opened, "resolved", rep.Resolved)
	return rep, nil
}

// tally keeps the last decision of an item decided twice (a receipt in a flow
// and in a single credit) and counts the outcomes by kind.
func (r *run) tally() *RunReport {
	rep := &RunReport{Ente: r.ente, Day: r.day, Outcomes: map[string]map[Outcome]int{}}
	last := map[string]int{}
	for i, m := range r.matches {
		last[m.ItemKey] = i
	}
	uniq := r.matches[:0]
	for i, m := range r.matches {
		if last[m.ItemKey] == i {
			uniq = append(uniq, m)
		}
	}
	r.matches = uniq
	for _, m := range r.matches {
		if rep.Outcomes[m.Kind] == nil {
			rep.Outcomes[m.Kind] = map[Outcome]int{}
		}
		rep.Outcomes[m.Kind][m.Outcome]++
	}
	return rep
}

// ExceptionFilter selects queue items; Status "" means open.
type ExceptionFilter struct {
	Ente    string
	Status  string
	Outcome Outcome
	Day     string
	// SegregationCodes, when set, keeps the items whose IUV carries one of
	// them: one intermediary's queue (see IntermediaryCodes).
	SegregationCodes []string
	Limit            int
	Offset           int
}

// Exceptions lists an ente's queue, oldest day first.
func (s *Service) Exceptions(ctx context.Context, f ExceptionFilter) ([]Exception, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	out := []Exception{}
	err := s.exceptions(ctx, f).Order("day, created_at, id").Limit(f.Limit).Offset(max(f.Offset, 0)).Find(&out).Error
	return out, err
}

// CountExceptions counts the queue items f selects, paging aside.
func (s *Service) CountExceptions(ctx context.Context, f ExceptionFilter) (int64, error) {
	var n int64
	err := s.exceptions(ctx, f).Count(&n).Error
	return n, err
}

func (s *Service) exceptions(ctx context.Context, f ExceptionFilter) *gorm.DB {
	if f.Status == "" {
		f.Status = Open
	}
	q := s.db.WithContext(ctx).Model(&Exception{}).Where("ente = ? AND status = ?", f.Ente, f.Status)
	if f.Outcome != "" {
		q = q.Where("outcome = ?", f.Outcome)
	}
	if f.Day != "" {
		q = q.Where("day = ?", f.Day)
	}
	if len(f.SegregationCodes) > 0 {
		q = q.Where("LENGTH(iuv) = 17 AND SUBSTR(iuv, 1, 2) IN ?", f.SegregationCodes)
	}
	return q
}

// Resolve closes an open exception of ente with the operator's note.
func (s *Service) Resolve(ctx context.Context, ente, id, by, note string) (*Exception, error) {
	if len(note) < 3 {
		return nil, errs.Field("resolution", "must say how it was resolved")
	}
	now := s.now()
	res := s.db.WithContext(ctx).Model(&Exception{}).Where("id = ? AND ente = ? AND status = ?", id, ente, Open).
		Updates(map[string]any{"status": Resolved, "resolution": note, "resolved_by": by, "resolved_at": now, "updated_at": now})
	if res.Error != nil {
		return nil, res.Error
	}
	var x Exception
	err := s.db.WithContext(ctx).Where("id = ? AND ente = ?", id, ente).Take(&x).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "exception %s not found", id)
	}
	if err != nil {
		return nil, err
	}
	if res.RowsAffected == 0 {
		return nil, errs.E(errs.Conflict, "exception %s is already resolved", id)
	}
	return &x, nil
}

// DayReport is the reconciliation of one ente's day: how many items of each
// kind ended in each outcome, and the amounts.
type DayReport struct {
	Ente   string                       `json:"ente"`
	Day    string                       `json:"day"`
	Counts map[string]map[Outcome]int   `json:"counts"`
	Totals map[string]map[Outcome]int64 `json:"totals"`
	Open   int                          `json:"openExceptions"`
	// Intermediaries splits the items with an IUV by the intermediary that issued them.
	Intermediaries []IntermediaryTotals `json:"intermediaries,omitempty"`
}

// Report reads the outcomes of the items whose business day is day.
func (s *Service) Report(ctx context.Context, ente, day string) (*DayReport, error) {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return nil, errs.Field("day", "must be a date YYYY-MM-DD")
	}
	var rows []struct {
		Kind    string
		Outcome Outcome
		N       int
		Total   int64
	}
	db := s.db.WithContext(ctx)
	if err := db.Model(&matchRow{}).Select("kind, outcome, COUNT(*) AS n, SUM(amount) AS total").
		Where("ente = ? AND day = ?", ente, day).Group("kind, outcome").Scan(&rows).Error; err != nil {
		return nil, err
	}
	rep := &DayReport{Ente: ente, Day: day, Counts: map[string]map[Outcome]int{}, Totals: map[string]map[Outcome]int64{}}
	for _, r := range rows {
		if rep.Counts[r.Kind] == nil {
			rep.Counts[r.Kind], rep.Totals[r.Kind] = map[Outcome]int{}, map[Outcome]int64{}
		}
		rep.Counts[r.Kind][r.Outcome], rep.Totals[r.Kind][r.Outcome] = r.N, r.Total
	}
	var open int64
	if err := db.Model(&Exception{}).Where("ente = ? AND day = ? AND status = ?", ente, day, Open).Count(&open).Error; err != nil {
		return nil, err
	}
	rep.Open = int(open)
	var err error
	if rep.Intermediaries, err = s.byIntermediary(ctx, ente, day); err != nil {
		return nil, err
	}
	return rep, nil
}
