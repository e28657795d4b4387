package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/errs"
)

type flowRow struct {
	ID             string    `gorm:"column:id;primaryKey"`
	Ente           string    `gorm:"column:ente"`
	EnteCF         string    `gorm:"column:ente_cf"`
	FlowID         string    `gorm:"column:flow_id"`
	Revision       int       `gorm:"column:revision"`
	PSP            string    `gorm:"column:psp"`
	PSPName        string    `gorm:"column:psp_name"`
	FlowDate       time.Time `gorm:"column:flow_date"`
	Regulation     string    `gorm:"column:regulation"`
	RegulationDate string    `gorm:"column:regulation_date"`
	Payments       int       `gorm:"column:payments"`
	Total          int64     `gorm:"column:total"`
	Digest         string    `gorm:"column:digest"`
	Source         string    `gorm:"column:source"`
	ImportedAt     time.Time `gorm:"column:imported_at"`
}

// TableName is the table of flows.
func (flowRow) TableName() string { return "ledger_flows" }

type flowLineRow struct {
	FlowID        string `gorm:"column:flow_id;primaryKey"`
	Idx           int    `gorm:"column:idx;primaryKey"`
	IUV           string `gorm:"column:iuv"`
	IUR           string `gorm:"column:iur"`
	TransferIndex int    `gorm:"column:transfer_index"`
	Amount        int64  `gorm:"column:amount"`
	Outcome       string `gorm:"column:outcome"`
	PaidOn        string `gorm:"column:paid_on"`
}

// TableName is the table of flow lines.
func (flowLineRow) TableName() string { return "ledger_flow_lines" }

type movementRow struct {
	ID         string    `gorm:"column:id;primaryKey"`
	Ente       string    `gorm:"column:ente"`
	EnteCF     string    `gorm:"column:ente_cf"`
	JournalID  string    `gorm:"column:journal_id"`
	MoveKey    string    `gorm:"column:move_key"`
	Account    string    `gorm:"column:account"`
	Direction  string    `gorm:"column:direction"`
	DocType    string    `gorm:"column:doc_type"`
	Operation  string    `gorm:"column:operation"`
	Number     int64     `gorm:"column:number"`
	Amount     int64     `gorm:"column:amount"`
	BookedOn   string    `gorm:"column:booked_on"`
	Customer   string    `gorm:"column:customer"`
	Causale    string    `gorm:"column:causale"`
	FlowRef    string    `gorm:"column:flow_ref"`
	IUVRef     string    `gorm:"column:iuv_ref"`
	ImportedAt time.Time `gorm:"column:imported_at"`
}

// TableName is the table of treasury movements.
func (movementRow) TableName() string { return "ledger_movements" }

type matchRow struct {
	ItemKey    string    `gorm:"column:item_key;primaryKey"`
	Ente       string    `gorm:"column:ente"`
	Kind       string    `gorm:"column:kind"`
	Outcome    Outcome   `gorm:"column:outcome"`
	Day        string    `gorm:"column:day"`
	IUV        string    `gorm:"column:iuv"`
	FlowID     string    `gorm:"column:flow_id"`
	MovementID string    `gorm:"column:movement_id"`
	Amount     int64     `gorm:"column:amount"`
	Expected   int64     `gorm:"column:expected"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

// TableName is the table of matching outcomes.
func (matchRow) TableName() string { return "ledger_matches" }

// Service imports flows and journals, reconciles them with receipts and keeps
// the ledger. It is what the API handlers and the activities call.
type Service struct {
	db       *gorm.DB
	Entes    Entes
	Receipts Receipts
	Chart    Chart
	// Positions is optional: without it, items with no receipt show no pratica.
	Positions Positions
	// Intermediaries is optional: without it, the day report has no split by intermediary.
	Intermediaries Intermediaries
	Config         Config
	Now            func() time.Time
	Log            *slog.Logger
}

// NewService returns a service on db with the default grace periods.
func NewService(db *gorm.DB, entes Entes, receipts Receipts, chart Chart) *Service {
	return &Service{db: db, Entes: entes, Receipts: receipts, Chart: chart, Config: DefaultConfig}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// digest fingerprints a flow's content, so a resent flow is told apart from a
// different flow reusing the same id.
// FlowRevision tells the last imported revision of flow id of the creditor
// orgCF and the digest of its content; found is false when it was never imported.
func (s *Service) FlowRevision(ctx context.Context, orgCF, id string) (revision int, digest string, found bool, err error) {
	var row flowRow
	err = s.db.WithContext(ctx).Where("ente_cf = ? AND flow_id = ?", orgCF, id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, errs.Wrap(err, "flow %s", id)
	}
	return row.Revision, row.Digest, true, nil
}

// Digest is the digest of a flow's content, revision and creation time aside:
// the same content delivered again is the same flow.
func Digest(f *fdr.Flow) string { return digest(f) }

func digest(f *fdr.Flow) string {
	c := *f
	c.Revision, c.Date = 0, time.Time{}
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
