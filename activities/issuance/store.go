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

// Store keeps campaigns, their rolls and refused rows (GORM, SQLite or PostgreSQL).
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a store on db; now defaults to time.Now.
func NewStore(db *gorm.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

type campaignRow struct {
	ID            string     `gorm:"column:id;primaryKey"`
	Ente          string     `gorm:"column:ente"`
	OrgFiscalCode string     `gorm:"column:org_fiscal_code"`
	Tax           string     `gorm:"column:tax"`
	TaxYear       int        `gorm:"column:tax_year"`
	Plan          string     `gorm:"column:plan"`
	Creditor      string     `gorm:"column:creditor"`
	Status        string     `gorm:"column:status"`
	DryRun        string     `gorm:"column:dry_run"`
	RowsTotal     int        `gorm:"column:rows_total"`
	RowsRefused   int        `gorm:"column:rows_refused"`
	Rate          float64    `gorm:"column:rate"`
	CreatedBy     string     `gorm:"column:created_by"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
	ConfirmedAt   *time.Time `gorm:"column:confirmed_at"`
	FinishedAt    *time.Time `gorm:"column:finished_at"`
}

// TableName is the campaigns table.
func (campaignRow) TableName() string { return "issuance_campaigns" }

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

// Create stores a new draft campaign.
func (s *Store) Create(ctx context.Context, c *Campaign) error {
	now := s.now()
	c.CreatedAt, c.UpdatedAt, c.Status = now, now, Draft
	plan, _ := json.Marshal(c.Plan)
	cred, _ := json.Marshal(c.Creditor)
	row := campaignRow{ID: c.ID, Ente: c.Ente, OrgFiscalCode: c.OrgFiscalCode, Tax: c.Plan.Tax, TaxYear: c.Plan.Year, Plan: string(plan),
		Creditor: string(cred), Status: string(c.Status), CreatedBy: c.CreatedBy, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return errs.Wrap(err, "create campaign")
	}
	return nil
}

// Get returns campaign id with its progress.
func (s *Store) Get(ctx context.Context, id string) (*Campaign, error) {
	var row campaignRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "campaign %s does not exist / campagna inesistente", id)
	}
	if err != nil {
		return nil, errs.Wrap(err, "read campaign %s", id)
	}
	c, err := fromRow(&row)
	if err != nil {
		return nil, err
	}
	if c.Progress, err = s.progress(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// List returns an ente's campaigns, newest first, and how many there are.
func (s *Store) List(ctx context.Context, ente string, limit, offset int) ([]*Campaign, int64, error) {
	q := s.db.WithContext(ctx).Model(&campaignRow{}).Where("ente = ?", ente)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, errs.Wrap(err, "count campaigns")
	}
	var rows []campaignRow
	if err := q.Order("created_at DESC, id").Limit(limit).Offset(offset).Find(&rows).Error; err != nil {
		return nil, 0, errs.Wrap(err, "list campaigns")
	}
	out := make([]*Campaign, 0, len(rows))
	for i := range rows {
		c, err := fromRow(&rows[i])
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, nil
}

// DryRunOf returns the stored dry run of campaign id.
func (s *Store) DryRunOf(ctx context.Context, id string) (*DryRun, error) {
	var raw string
	if err := s.db.WithContext(ctx).Model(&campaignRow{}).Where("id = ?", id).Pluck("dry_run", &raw).Error; err != nil {
		return nil, errs.Wrap(err, "read dry run")
	}
	if raw == "" {
		return nil, errs.E(errs.NotFound, "no roll uploaded yet / nessun ruolo caricato")
	}
	var d DryRun
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return nil, errs.Wrap(err, "decode dry run")
	}
	return &d, nil
}

func fromRow(r *campaignRow) (*Campaign, error) {
	c := &Campaign{ID: r.ID, Ente: r.Ente, OrgFiscalCode: r.OrgFiscalCode, Status: Status(r.Status), Rows: r.RowsTotal, Refused: r.RowsRefused,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), ConfirmedAt: r.ConfirmedAt, FinishedAt: r.FinishedAt, rate: r.Rate}
	if err := json.Unmarshal([]byte(r.Plan), &c.Plan); err != nil {
		return nil, errs.Wrap(err, "decode plan of %s", r.ID)
	}
	if err := json.Unmarshal([]byte(r.Creditor), &c.Creditor); err != nil {
		return nil, errs.Wrap(err, "decode creditor of %s", r.ID)
	}
	return c, nil
}

func (s *Store) progress(ctx context.Context, c *Campaign) (*Progress, error) {
	var counts []struct {
		Status string
		N      int
	}
	if err := s.db.WithContext(ctx).Model(&StoredRow{}).Select("status, COUNT(*) AS n").Where("campaign_id = ?", c.ID).
		Group("status").Scan(&counts).Error; err != nil {
		return nil, errs.Wrap(err, "progress of %s", c.ID)
	}
	p := &Progress{Refused: c.Refused, RatePerSec: c.rate}
	for _, x := range counts {
		p.Total += x.N
		switch RowStatus(x.Status) {
		case RowPending:
			p.Pending = x.N
		case RowIssued:
			p.Issued = x.N
		case RowFailed:
			p.Failed = x.N
		}
	}
	if p.Total > 0 {
		p.Percent = float64(p.Issued+p.Failed) * 100 / float64(p.Total)
	}
	if p.RatePerSec > 0 && (c.Status == Issuing) {
		p.ETASeconds = int(float64(p.Pending)/p.RatePerSec + 0.5)
	}
	return p, nil
}

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
	err := store.Tx(ctx, s.db, func(tx *gorm.DB) error {
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
		batch := make([]StoredRow, 0, 500)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := tx.Create(&batch).Error
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
		ref := make([]refusedRow, 0, 500)
		for _, e := range refused {
			seq[e.Line]++
			ref = append(ref, refusedRow{CampaignID: c.ID, Line: e.Line, Seq: seq[e.Line], Field: e.Field, Message: e.Message})
			if len(ref) == 500 {
				if err := tx.Create(&ref).Error; err != nil {
					return err
				}
				ref = ref[:0]
			}
		}
		if len(ref) > 0 {
			if err := tx.Create(&ref).Error; err != nil {
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

// SetStatus moves campaign id to status; confirming and ending stamp their time.
func (s *Store) SetStatus(ctx context.Context, id string, st Status) error {
	now := s.now()
	up := map[string]any{"status": string(st), "updated_at": now}
	q := s.db.WithContext(ctx).Model(&campaignRow{}).Where("id = ?", id)
	switch st {
	case Issuing:
		if err := s.db.WithContext(ctx).Model(&campaignRow{}).Where("id = ? AND confirmed_at IS NULL", id).Update("confirmed_at", now).Error; err != nil {
			return errs.Wrap(err, "confirm campaign %s", id)
		}
		up["finished_at"] = nil
	case Done, Cancelled:
		up["finished_at"] = now
	}
	if err := q.Updates(up).Error; err != nil {
		return errs.Wrap(err, "set campaign %s %s", id, st)
	}
	return nil
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
