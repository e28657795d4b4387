package ledger

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Accounts of the double entries.
const (
	AccountReceivable = "crediti-da-riscuotere" // accertato, not yet in the treasury
	AccountIncome     = "entrate"               // the service's chapter of income
	AccountTreasury   = "tesoreria"             // cash at the treasury bank
)

// Entry kinds.
const (
	Accertamento = "accertamento" // the income is certain: the receipt is reported
	Reversale    = "reversale"    // the cash reached the treasury
	Storno       = "storno"       // reversal of an earlier entry
)

// Entry is one immutable accounting entry; its lines balance.
type Entry struct {
	ID          string `gorm:"column:id;primaryKey" json:"id"`
	Ente        string `gorm:"column:ente" json:"ente"`
	SourceKey   string `gorm:"column:source_key" json:"sourceKey"`
	Kind        string `gorm:"column:kind" json:"kind"`
	Reverses    string `gorm:"column:reverses" json:"reverses,omitempty"`
	PostedOn    string `gorm:"column:posted_on" json:"postedOn"`
	Description string `gorm:"column:description" json:"description"`
	PraticaID   string `gorm:"column:pratica_id" json:"praticaId,omitempty"`
	IUV         string `gorm:"column:iuv" json:"iuv,omitempty"`
	// CampaignID is the campaign of a position's accertamento and reversale.
	CampaignID string    `gorm:"column:campaign_id" json:"campaignId,omitempty"`
	CreatedAt  time.Time `gorm:"column:created_at" json:"createdAt"`
	Lines      []Line    `gorm:"-" json:"lines"`
}

// TableName is the entries table.
func (Entry) TableName() string { return "ledger_entries" }

// Line is one side of an entry; exactly one of Debit and Credit is positive.
type Line struct {
	EntryID  string `gorm:"column:entry_id;primaryKey" json:"-"`
	N        int    `gorm:"column:line;primaryKey" json:"line"`
	Account  string `gorm:"column:account" json:"account"`
	Capitolo string `gorm:"column:capitolo" json:"capitolo,omitempty"`
	Articolo string `gorm:"column:articolo" json:"articolo,omitempty"`
	// Accertamento is the number of the accertamento a campaign's line books on.
	Accertamento string `gorm:"column:accertamento" json:"accertamento,omitempty"`
	Debit        int64  `gorm:"column:debit" json:"debit"`
	Credit       int64  `gorm:"column:credit" json:"credit"`
}

// TableName is the lines table.
func (Line) TableName() string { return "ledger_lines" }

// check refuses an unbalanced entry or a line with both or no sides.
func (e *Entry) check() error {
	var d, c int64
	for i, l := range e.Lines {
		if (l.Debit > 0) == (l.Credit > 0) || l.Debit < 0 || l.Credit < 0 {
			return errs.Field(fmt.Sprintf("lines[%d]", i), "must have exactly one positive side")
		}
		d, c = d+l.Debit, c+l.Credit
	}
	if d != c || d == 0 {
		return errs.Field("lines", "debits %s and credits %s do not balance", safexml.Euro(d), safexml.Euro(c))
	}
	return nil
}

// post writes e unless its source key was posted already; created says which.
func post(tx *gorm.DB, e Entry, now time.Time) (bool, error) {
	if err := e.check(); err != nil {
		return false, err
	}
	e.ID, e.CreatedAt = uuid.NewString(), now
	ins := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "source_key"}}, DoNothing: true}).Create(&e)
	if ins.Error != nil || ins.RowsAffected == 0 {
		return false, ins.Error
	}
	for i := range e.Lines {
		e.Lines[i].EntryID, e.Lines[i].N = e.ID, i+1
	}
	return true, tx.Create(&e.Lines).Error
}

// Reverse posts the storno of an entry: the same lines with sides swapped. An
// entry is reversed once; entries themselves never change.
func (s *Service) Reverse(ctx context.Context, ente, entryID, reason string) (*Entry, error) {
	var orig Entry
	err := s.db.WithContext(ctx).Where("id = ? AND ente = ?", entryID, ente).Take(&orig).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "entry %s not found", entryID)
	}
	if err != nil {
		return nil, err
	}
	if orig.Kind == Storno {
		return nil, errs.E(errs.Conflict, "entry %s is itself a reversal", entryID)
	}
	if err := s.db.WithContext(ctx).Where("entry_id = ?", orig.ID).Order("line").Find(&orig.Lines).Error; err != nil {
		return nil, err
	}
	rev := Entry{Ente: ente, SourceKey: "storno:" + orig.ID, Kind: Storno, Reverses: orig.ID, PostedOn: s.now().In(calendar.Rome).Format(time.DateOnly),
		Description: "Storno: " + reason, PraticaID: orig.PraticaID, IUV: orig.IUV, CampaignID: orig.CampaignID}
	for _, l := range orig.Lines {
		rev.Lines = append(rev.Lines, Line{Account: l.Account, Capitolo: l.Capitolo, Articolo: l.Articolo, Accertamento: l.Accertamento, Debit: l.Credit, Credit: l.Debit})
	}
	var created bool
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		created, err = post(tx, rev, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, errs.E(errs.Conflict, "entry %s was already reversed", entryID)
	}
	return &rev, nil
}

// Balance is the trial balance of an ente: total debits and credits, and the
// balance (debits minus credits) of each account.
type Balance struct {
	Debit     int64            `json:"debit"`
	Credit    int64            `json:"credit"`
	ByAccount map[string]int64 `json:"byAccount"`
}

// Balance sums every line of the ente's entries.
func (s *Service) Balance(ctx context.Context, ente string) (Balance, error) {
	var rows []struct {
		Account string
		Debit   int64
		Credit  int64
	}
	err := s.db.WithContext(ctx).Table("ledger_lines l").Select("l.account AS account, SUM(l.debit) AS debit, SUM(l.credit) AS credit").
		Joins("JOIN ledger_entries e ON e.id = l.entry_id").Where("e.ente = ?", ente).Group("l.account").Scan(&rows).Error
	b := Balance{ByAccount: map[string]int64{}}
	for _, r := range rows {
		b.Debit, b.Credit = b.Debit+r.Debit, b.Credit+r.Credit
		b.ByAccount[r.Account] = r.Debit - r.Credit
	}
	return b, err
}

// Entries lists an ente's entries posted between from and to (YYYY-MM-DD, inclusive), with their lines.
func (s *Service) Entries(ctx context.Context, ente, from, to string) ([]Entry, error) {
	var out []Entry
	q := s.db.WithContext(ctx).Where("ente = ?", ente)
	if from != "" {
		q = q.Where("posted_on >= ?", from)
	}
	if to != "" {
		q = q.Where("posted_on <= ?", to)
	}
	if err := q.Order("posted_on, created_at, id").Find(&out).Error; err != nil {
		return nil, err
	}
	ids := make([]string, len(out))
	for i, e := range out {
		ids[i] = e.ID
	}
	var lines []Line
	for start := 0; start < len(ids); start += 500 {
		var part []Line
		if err := s.db.WithContext(ctx).Where("entry_id IN ?", ids[start:min(start+500, len(ids))]).Order("entry_id, line").Find(&part).Error; err != nil {
			return nil, err
		}
		lines = append(lines, part...)
	}
	byID := map[string]int{}
	for i, e := range out {
		byID[e.ID] = i
	}
	for _, l := range lines {
		out[byID[l.EntryID]].Lines = append(out[byID[l.EntryID]].Lines, l)
	}
	return out, nil
}

// CSVHeader is the header of the ledger export, one row per line.
var CSVHeader = []string{"registrazione", "data", "tipo", "storna", "chiave_origine", "pratica", "iuv", "riga", "conto", "capitolo", "articolo", "dare", "avere", "descrizione"}

// ExportCSV writes the entries for the ente's accounting system: semicolons,
// amounts in euro with a decimal point.
func (s *Service) ExportCSV(ctx context.Context, ente, from, to string, w io.Writer) error {
	entries, err := s.Entries(ctx, ente, from, to)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.Write(CSVHeader)
	for _, e := range entries {
		for _, l := range e.Lines {
			cw.Write([]string{e.ID, e.PostedOn, e.Kind, e.Reverses, e.SourceKey, e.PraticaID, e.IUV, strconv.Itoa(l.N), l.Account,
				l.Capitolo, l.Articolo, safexml.Euro(l.Debit), safexml.Euro(l.Credit), e.Description})
		}
	}
	cw.Flush()
	return cw.Error()
}
