package issuance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// StoredRow is a row of the roll as kept: the debtor, the amounts and where
// its position stands.
type StoredRow struct {
	CampaignID string    `gorm:"column:campaign_id;primaryKey" json:"-"`
	Line       int       `gorm:"column:line;primaryKey" json:"line"`
	Ente       string    `gorm:"column:ente" json:"-"`
	Tax        string    `gorm:"column:tax" json:"tax"`
	TaxYear    int       `gorm:"column:tax_year" json:"taxYear"`
	FiscalCode string    `gorm:"column:fiscal_code" json:"fiscalCode"`
	DebtorType string    `gorm:"column:debtor_type" json:"debtorType"`
	Name       string    `gorm:"column:name" json:"name"`
	Address    string    `gorm:"column:address" json:"address,omitempty"`
	Components string    `gorm:"column:components" json:"-"`
	Amount     int64     `gorm:"column:amount" json:"amount"`
	IUPD       string    `gorm:"column:iupd" json:"iupd"`
	Status     string    `gorm:"column:status" json:"status"`
	PositionID *string   `gorm:"column:position_id" json:"positionId,omitempty"`
	Error      string    `gorm:"column:error" json:"error,omitempty"`
	UpdatedAt  time.Time `gorm:"column:updated_at" json:"updatedAt"`
}

// TableName is the rows table.
func (StoredRow) TableName() string { return "issuance_rows" }

// Row rebuilds the roll row.
func (r *StoredRow) Row() (Row, error) {
	out := Row{Line: r.Line, TaxYear: r.TaxYear, Debtor: Debtor{Type: r.DebtorType, FiscalCode: r.FiscalCode, Name: r.Name, Address: r.Address}}
	if err := json.Unmarshal([]byte(r.Components), &out.Components); err != nil {
		return out, fmt.Errorf("components of line %d: %w", r.Line, err)
	}
	return out, nil
}

type refusedRow struct {
	CampaignID string `gorm:"column:campaign_id;primaryKey"`
	Line       int    `gorm:"column:line;primaryKey"`
	Seq        int    `gorm:"column:seq;primaryKey"`
	Field      string `gorm:"column:field"`
	Message    string `gorm:"column:message"`
}

// TableName is the refused rows table.
func (refusedRow) TableName() string { return "issuance_refused" }

// Taken finds which of codes already have a row for tax and year in the
// ente, in another campaign than except: code → "campaign/line".
func (s *Store) Taken(ctx context.Context, ente, tax string, year int, codes []string, except string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(codes); start += 500 {
		var rows []StoredRow
		err := s.db.WithContext(ctx).Select("campaign_id, line, fiscal_code").
			Where("ente = ? AND tax = ? AND tax_year = ? AND campaign_id <> ? AND fiscal_code IN ?", ente, tax, year, except, codes[start:min(start+500, len(codes))]).
			Find(&rows).Error
		if err != nil {
			return nil, errs.Wrap(err, "look up debtors already issued")
		}
		for _, r := range rows {
			out[r.FiscalCode] = fmt.Sprintf("%s/%d", r.CampaignID, r.Line)
		}
	}
	return out, nil
}

// ReplaceRoll stores the roll of a draft campaign in one transaction: the
// valid rows, the refused ones and the dry run, in place of any earlier roll.
func (s *Store) ReplaceRoll(ctx context.Context, c *Campaign, rows []Row, refused []RowError, dry DryRun) error {
	now := s.now()
	dr, _ := json.Marshal(dry)
	// Rows go by COPY on PostgreSQL, by multi-row INSERTs of 500 on SQLite.
	err := store.BulkTx(ctx, s.db, 500, func(tx *gorm.DB, insert store.Inserter) error {
		var status string
		if err := tx.Model(&campaignRow{}).Where("id = ?", c.ID).Pluck("status", &status).Error; err != nil {
			return err
		}
		if Status(status) != Draft {
			return errs.E(errs.Conflict, "campaign %s is %s: a roll can be uploaded only to a draft / ruolo caricabile solo in bozza", c.ID, status)
		}
		// A row already issued (or tried) pins the roll, whatever the status says.
		var started int64
		if err := tx.Model(&StoredRow{}).Where("campaign_id = ? AND status <> ?", c.ID, RowPending).Count(&started).Error; err != nil {
			return err
		}
		if started > 0 {
			return errs.E(errs.Conflict, "campaign %s has issued rows: its roll cannot change / righe già emesse", c.ID)
		}
		for _, m := range []any{&StoredRow{}, &refusedRow{}} {
			if err := tx.Where("campaign_id = ?", c.ID).Delete(m).Error; err != nil {
				return err
			}
		}
		batch := make([]StoredRow, 0, 5000)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := insert("", &batch)
			batch = batch[:0]
			return err
		}
		for i := range rows {
			r := &rows[i]
			comp, _ := json.Marshal(r.Components)
			batch = append(batch, StoredRow{CampaignID: c.ID, Line: r.Line, Ente: c.Ente, Tax: c.Plan.Tax, TaxYear: c.Plan.Year,
				FiscalCode: r.Debtor.FiscalCode, DebtorType: r.Debtor.Type, Name: r.Debtor.Name, Address: r.Debtor.Address,
				Components: string(comp), Amount: r.Total(), IUPD: IUPD(c.Ente, c.Plan.Tax, c.Plan.Year, r.Debtor.FiscalCode),
				Status: string(RowPending), UpdatedAt: now})
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		seq := map[int]int{}
		ref := make([]refusedRow, 0, 5000)
		for _, e := range refused {
			seq[e.Line]++
			ref = append(ref, refusedRow{CampaignID: c.ID, Line: e.Line, Seq: seq[e.Line], Field: e.Field, Message: e.Message})
			if len(ref) == cap(ref) {
				if err := insert("", &ref); err != nil {
					return err
				}
				ref = ref[:0]
			}
		}
		if len(ref) > 0 {
			if err := insert("", &ref); err != nil {
				return err
			}
		}
		return tx.Model(&campaignRow{}).Where("id = ?", c.ID).Updates(map[string]any{"dry_run": string(dr), "rows_total": len(rows),
			"rows_refused": dry.Refused, "updated_at": now}).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errs.E(errs.Conflict, "another roll took some of these debtors meanwhile: upload again / ruolo concorrente, ricaricare")
	}
	if err != nil && !errs.Is(err, errs.Conflict) {
		return errs.Wrap(err, "store roll of %s", c.ID)
	}
	return err
}

// Pending returns up to limit pending rows of campaign id, in line order.
func (s *Store) Pending(ctx context.Context, id string, limit int) ([]StoredRow, error) {
	var rows []StoredRow
	err := s.db.WithContext(ctx).Where("campaign_id = ? AND status = ?", id, RowPending).Order("line").Limit(limit).Find(&rows).Error
	return rows, errs.Wrap(err, "pending rows of %s", id)
}

// RowResult is what became of one row.
type RowResult struct {
	Line       int
	PositionID string
	Error      string // empty when issued
}

// Mark records the outcome of a chunk's rows and its pace, in one
// transaction: the issued rows in one statement (each finds its position by
// its iupd), the failed ones each with its reason.
func (s *Store) Mark(ctx context.Context, id, org string, res []RowResult, rate float64) error {
	now := s.now()
	var issued []int
	err := store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		for _, r := range res {
			if r.Error == "" {
				issued = append(issued, r.Line)
				continue
			}
			up := map[string]any{"status": string(RowFailed), "error": r.Error, "updated_at": now}
			if r.PositionID != "" {
				up["position_id"] = r.PositionID
			}
			if err := tx.Model(&StoredRow{}).Where("campaign_id = ? AND line = ?", id, r.Line).Updates(up).Error; err != nil {
				return err
			}
		}
		for start := 0; start < len(issued); start += 500 {
			err := tx.Exec(`UPDATE issuance_rows SET status = ?, error = '', updated_at = ?,
				position_id = (SELECT p.id FROM pagopa_positions p WHERE p.org_fiscal_code = ? AND p.iupd = issuance_rows.iupd)
				WHERE campaign_id = ? AND line IN ?`, RowIssued, now, org, id, issued[start:min(start+500, len(issued))]).Error
			if err != nil {
				return err
			}
		}
		if rate > 0 {
			return tx.Model(&campaignRow{}).Where("id = ?", id).Updates(map[string]any{"rate": rate, "updated_at": now}).Error
		}
		return nil
	})
	return errs.Wrap(err, "mark rows of %s", id)
}

// CountPending counts the rows of campaign id still to issue.
func (s *Store) CountPending(ctx context.Context, id string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&StoredRow{}).Where("campaign_id = ? AND status = ?", id, RowPending).Count(&n).Error
	return int(n), errs.Wrap(err, "count pending rows of %s", id)
}

// RetryFailed puts the failed rows of campaign id back to pending and says how many.
func (s *Store) RetryFailed(ctx context.Context, id string) (int, error) {
	res := s.db.WithContext(ctx).Model(&StoredRow{}).Where("campaign_id = ? AND status = ?", id, RowFailed).
		Updates(map[string]any{"status": string(RowPending), "error": "", "updated_at": s.now()})
	return int(res.RowsAffected), errs.Wrap(res.Error, "retry failed rows of %s", id)
}

// Problem is one entry of a campaign's error list: a row refused by
// validation, or a row whose position was refused when issued.
type Problem struct {
	Line    int    `json:"line" gorm:"column:line"`
	Kind    string `json:"kind" gorm:"column:kind"` // validation or issue
	Field   string `json:"field" gorm:"column:field"`
	Message string `json:"message" gorm:"column:message"`
}

// Problems pages through the error list of campaign id, by line.
func (s *Store) Problems(ctx context.Context, id string, limit, offset int) ([]Problem, int64, error) {
	const q = `SELECT line, 'validation' AS kind, field, message FROM issuance_refused WHERE campaign_id = ?
		UNION ALL SELECT line, 'issue' AS kind, 'position' AS field, error AS message FROM issuance_rows WHERE campaign_id = ? AND status = 'failed'`
	var total int64
	if err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM ("+q+") p", id, id).Scan(&total).Error; err != nil {
		return nil, 0, errs.Wrap(err, "count problems of %s", id)
	}
	var out []Problem
	if err := s.db.WithContext(ctx).Raw("SELECT * FROM ("+q+") p ORDER BY line, kind LIMIT ? OFFSET ?", id, id, limit, offset).Scan(&out).Error; err != nil {
		return nil, 0, errs.Wrap(err, "list problems of %s", id)
	}
	return out, total, nil
}
