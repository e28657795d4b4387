package ledger

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/store"
)

// writeSets writes a run's outcomes, exceptions and entries with a few
// statements over temporary tables: the same rows the item-by-item upserts
// and posts wrote, in the same order of effects.
func (r *run) writeSets(tx *gorm.DB, insert store.Inserter, rep *RunReport, now time.Time) error {
	var drops []func() error
	// temp copies rows into a temporary table shaped like table, indexed on
	// key when given: the queue is small and its statistics old in the middle
	// of a run, so without the index the planner may scan the whole run once
	// per queue item (a nested loop) when updating the queue from it.
	temp := func(name, like, key string, rows any) error {
		drop, err := store.TempLike(tx, name, like)
		if err != nil {
			return fmt.Errorf("temporary %s: %w", name, err)
		}
		drops = append(drops, drop)
		if err := insert(name, rows); err != nil {
			return err
		}
		if key != "" {
			if err := tx.Exec("CREATE INDEX " + name + "_key ON " + name + " (" + key + ")").Error; err != nil {
				return fmt.Errorf("index %s: %w", name, err)
			}
		}
		if tx.Dialector.Name() == store.Postgres {
			return tx.Exec("ANALYZE " + name).Error
		}
		return nil
	}
	if len(r.matches) > 0 {
		if err := temp("run_matches", "ledger_matches", "", r.matches); err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO ledger_matches (item_key, ente, kind, outcome, day, iuv, flow_id, movement_id, amount, expected, updated_at)
			SELECT item_key, ente, kind, outcome, day, iuv, flow_id, movement_id, amount, expected, updated_at FROM run_matches WHERE true
			ON CONFLICT (item_key) DO UPDATE SET outcome = excluded.outcome, day = excluded.day, iuv = excluded.iuv, flow_id = excluded.flow_id,
			movement_id = excluded.movement_id, amount = excluded.amount, expected = excluded.expected, updated_at = excluded.updated_at`).Error; err != nil {
			return fmt.Errorf("upsert outcomes: %w", err)
		}
	}
	if issues := r.uniqueIssues(now); len(issues) > 0 {
		if err := temp("run_issues", "ledger_exceptions", "ex_key", issues); err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO ledger_exceptions SELECT * FROM run_issues WHERE true ON CONFLICT (ex_key) DO NOTHING`)
		if res.Error != nil {
			return fmt.Errorf("queue exceptions: %w", res.Error)
		}
		rep.Opened = int(res.RowsAffected)
		// Already queued: follow the item's current outcome while it is open.
		if err := tx.Exec(`UPDATE ledger_exceptions SET outcome = i.outcome, reason_it = i.reason_it, reason_en = i.reason_en,
			amount = i.amount, expected = i.expected, updated_at = i.updated_at
			FROM run_issues i WHERE ledger_exceptions.ex_key = i.ex_key AND ledger_exceptions.status = ? AND ledger_exceptions.id <> i.id`, Open).Error; err != nil {
			return fmt.Errorf("update exceptions: %w", err)
		}
	}
	if len(r.settled) > 0 {
		seen := make(map[string]bool, len(r.settled))
		keys := make([]matchRow, 0, len(r.settled))
		for _, k := range r.settled {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, matchRow{ItemKey: k, UpdatedAt: now})
			}
		}
		if err := temp("run_settled", "ledger_matches", "item_key", keys); err != nil {
			return err
		}
		res := tx.Exec(`UPDATE ledger_exceptions SET status = ?, resolution = 'auto', resolved_by = 'reconciliation', resolved_at = ?, updated_at = ?
			WHERE status = ? AND ex_key IN (SELECT item_key FROM run_settled)`, Resolved, now, now, Open)
		if res.Error != nil {
			return fmt.Errorf("resolve exceptions: %w", res.Error)
		}
		rep.Resolved = int(res.RowsAffected)
	}
	entries, lines, err := r.uniqueEntries(now)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		if err := temp("run_entries", "ledger_entries", "", entries); err != nil {
			return err
		}
		if err := temp("run_lines", "ledger_lines", "", lines); err != nil {
			return err
		}
		// An entry whose source key is posted already is skipped, its lines with it.
		res := tx.Exec(`INSERT INTO ledger_entries SELECT * FROM run_entries WHERE true ON CONFLICT (source_key) DO NOTHING`)
		if res.Error != nil {
			return fmt.Errorf("post entries: %w", res.Error)
		}
		rep.Posted = int(res.RowsAffected)
		if err := tx.Exec(`INSERT INTO ledger_lines SELECT l.* FROM run_lines l JOIN ledger_entries e ON e.id = l.entry_id`).Error; err != nil {
			return fmt.Errorf("post entry lines: %w", err)
		}
	}
	for i := len(drops) - 1; i >= 0; i-- {
		if err := drops[i](); err != nil {
			return fmt.Errorf("drop temporary table: %w", err)
		}
	}
	return nil
}

// uniqueIssues is one exception per key: queued as the first decision of the
// run made it, showing the outcome of the last.
func (r *run) uniqueIssues(now time.Time) []Exception {
	at := map[string]int{}
	var out []Exception
	for _, x := range r.issues {
		if i, ok := at[x.Key]; ok {
			o := &out[i]
			o.Outcome, o.ReasonIT, o.ReasonEN, o.Amount, o.Expected = x.Outcome, x.ReasonIT, x.ReasonEN, x.Amount, x.Expected
			continue
		}
		x.ID, x.Status, x.CreatedAt, x.UpdatedAt = uuid.NewString(), Open, now, now
		at[x.Key] = len(out)
		out = append(out, x)
	}
	return out
}

// uniqueEntries checks every entry and keeps the first of each source key, as
// posting them one by one did, with their lines numbered.
func (r *run) uniqueEntries(now time.Time) ([]Entry, []Line, error) {
	seen := map[string]bool{}
	var es []Entry
	var ls []Line
	for _, e := range r.entries {
		if err := e.check(); err != nil {
			return nil, nil, err
		}
		if seen[e.SourceKey] {
			continue
		}
		seen[e.SourceKey] = true
		e.ID, e.CreatedAt = uuid.NewString(), now
		for i, l := range e.Lines {
			l.EntryID, l.N = e.ID, i+1
			ls = append(ls, l)
		}
		e.Lines = nil
		es = append(es, e)
	}
	return es, ls, nil
}
