package issuance

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
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
	c, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Progress, err = s.progress(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// load returns campaign id without counting its rows.
func (s *Store) load(ctx context.Context, id string) (*Campaign, error) {
	var row campaignRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "campaign %s does not exist / campagna inesistente", id)
	}
	if err != nil {
		return nil, errs.Wrap(err, "read campaign %s", id)
	}
	return fromRow(&row)
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
