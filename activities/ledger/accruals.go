package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Sources of an accrual: a position issued by a campaign, or a notice issued
// elsewhere and imported so that its payments reconcile here too.
const (
	SourceCampaign = "campaign"
	SourceImport   = "import"
)

// Accrual is a debt position the ente accrues when it is issued: one
// accertamento per component owed to the ente, and the split of each of its
// notices (single payment, installments) into those components, which the
// reversale of a reconciled payment follows.
type Accrual struct {
	Ente     string `json:"ente"`
	EnteCF   string `json:"enteFiscalCode"`
	Campaign string `json:"campaign,omitempty"`
	IUPD     string `json:"iupd"`
	// Intermediary is the pagoPA intermediary that issued the position (its id).
	Intermediary string             `json:"intermediary,omitempty"`
	Source       string             `json:"source"`
	Components   []AccrualComponent `json:"components"`
	Notices      []AccrualNotice    `json:"notices"`
}

// AccrualComponent is what one component of a position books: its accounting
// line and the amount owed (the whole debt, whichever option is paid).
type AccrualComponent struct {
	Code         string `json:"code"`
	Capitolo     string `json:"capitolo"`
	Articolo     string `json:"articolo,omitempty"`
	Accertamento string `json:"accertamento,omitempty"`
	Amount       int64  `json:"amount"`
}

// AccrualNotice is one payable notice of a position and its share per component.
type AccrualNotice struct {
	IUV          string            `json:"iuv"`
	NoticeNumber string            `json:"noticeNumber,omitempty"`
	Transfers    []AccrualTransfer `json:"transfers"`
}

// AccrualTransfer is the part of a notice that goes to one component.
type AccrualTransfer struct {
	Index     int    `json:"index"`
	Component string `json:"component"`
	Amount    int64  `json:"amount"`
}

type accrualRow struct {
	EnteCF       string    `gorm:"column:ente_cf;primaryKey"`
	IUPD         string    `gorm:"column:iupd;primaryKey"`
	Component    string    `gorm:"column:component;primaryKey"`
	Ente         string    `gorm:"column:ente"`
	CampaignID   string    `gorm:"column:campaign_id"`
	Intermediary string    `gorm:"column:intermediary"`
	Capitolo     string    `gorm:"column:capitolo"`
	Articolo     string    `gorm:"column:articolo"`
	Accertamento string    `gorm:"column:accertamento"`
	Amount       int64     `gorm:"column:amount"`
	Source       string    `gorm:"column:source"`
	CreatedAt    time.Time `gorm:"column:created_at"`
}

// TableName is the accruals table.
func (accrualRow) TableName() string { return "ledger_accruals" }

type planLineRow struct {
	EnteCF        string `gorm:"column:ente_cf;primaryKey"`
	IUV           string `gorm:"column:iuv;primaryKey"`
	TransferIndex int    `gorm:"column:transfer_index;primaryKey"`
	IUPD          string `gorm:"column:iupd"`
	Component     string `gorm:"column:component"`
	Amount        int64  `gorm:"column:amount"`
	NoticeNumber  string `gorm:"column:notice_number"`
	Source        string `gorm:"column:source"`
}

// TableName is the notices' split table.
func (planLineRow) TableName() string { return "ledger_plan_lines" }

// AccrualKey is the source key of the accertamento of one component of a position.
func AccrualKey(enteCF, iupd, component string) string {
	return "accrual:" + enteCF + ":" + iupd + ":" + component
}

// check names what is wrong with an accrual; i is its index in a batch.
func (a *Accrual) check(i int) error {
	f := fmt.Sprintf("accruals[%d]", i)
	switch {
	case a.Ente == "" || a.EnteCF == "":
		return errs.Field(f+".ente", "ente and its fiscal code are required")
	case a.IUPD == "":
		return errs.Field(f+".iupd", "is required")
	case a.Source != SourceCampaign && a.Source != SourceImport:
		return errs.Field(f+".source", "must be campaign or import")
	}
	comps := map[string]int64{}
	for j, c := range a.Components {
		if c.Code == "" || c.Capitolo == "" || c.Amount <= 0 {
			return errs.Field(fmt.Sprintf("%s.components[%d]", f, j), "needs a code, a capitolo and a positive amount")
		}
		comps[c.Code] = c.Amount
	}
	for j, n := range a.Notices {
		for k, t := range n.Transfers {
			if _, ok := comps[t.Component]; !ok || t.Amount <= 0 {
				return errs.Field(fmt.Sprintf("%s.notices[%d].transfers[%d]", f, j, k), "must name a component of the position with a positive amount")
			}
		}
	}
	return nil
}

// PostAccruals posts the accertamento of every component of the positions,
// and records how their notices split, in one transaction. It is idempotent:
// a position accrued before (issuing retried, an import repeated) posts nothing.
// posted counts the new entries.
func (s *Service) PostAccruals(ctx context.Context, accruals []Accrual) (posted int, err error) {
	for i := range accruals {
		if err := accruals[i].check(i); err != nil {
			return 0, err
		}
	}
	if len(accruals) == 0 {
		return 0, nil
	}
	now := s.now()
	day := now.In(calendar.Rome).Format(time.DateOnly)
	var rows []accrualRow
	var plan []planLineRow
	var entries []Entry
	for _, a := range accruals {
		for _, c := range a.Components {
			rows = append(rows, accrualRow{EnteCF: a.EnteCF, IUPD: a.IUPD, Component: c.Code, Ente: a.Ente, CampaignID: a.Campaign,
				Intermediary: a.Intermediary, Capitolo: c.Capitolo, Articolo: c.Articolo, Accertamento: c.Accertamento, Amount: c.Amount,
				Source: a.Source, CreatedAt: now})
			what := "campagna " + a.Campaign
			if a.Source == SourceImport {
				what = "avviso importato"
			}
			entries = append(entries, Entry{ID: uuid.NewString(), Ente: a.Ente, SourceKey: AccrualKey(a.EnteCF, a.IUPD, c.Code), Kind: Accertamento,
				PostedOn: day, CampaignID: a.Campaign, CreatedAt: now,
				Description: strings.TrimSpace(fmt.Sprintf("Accertamento %s posizione %s, %s", c.Code, a.IUPD, what)),
				Lines: []Line{
					{Account: AccountReceivable, Capitolo: c.Capitolo, Articolo: c.Articolo, Accertamento: c.Accertamento, Debit: c.Amount},
					{Account: AccountIncome, Capitolo: c.Capitolo, Articolo: c.Articolo, Accertamento: c.Accertamento, Credit: c.Amount},
				}})
		}
		for _, n := range a.Notices {
			for _, t := range n.Transfers {
				plan = append(plan, planLineRow{EnteCF: a.EnteCF, IUV: n.IUV, TransferIndex: t.Index, IUPD: a.IUPD, Component: t.Component,
					Amount: t.Amount, NoticeNumber: n.NoticeNumber, Source: a.Source})
			}
		}
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		nothing := clause.OnConflict{DoNothing: true}
		if err := tx.Clauses(nothing).CreateInBatches(rows, 200).Error; err != nil {
			return fmt.Errorf("store accruals: %w", err)
		}
		if len(plan) > 0 {
			if err := tx.Clauses(nothing).CreateInBatches(plan, 200).Error; err != nil {
				return fmt.Errorf("store notice splits: %w", err)
			}
		}
		n, err := postMany(tx, entries)
		posted = n
		return err
	})
	if err != nil {
		return 0, errs.Wrap(err, "post accruals")
	}
	return posted, nil
}

// postMany posts entries whose source keys are new, in batches: the entries
// first (a source key posted before is skipped), then the lines of those
// actually written.
func postMany(tx *gorm.DB, entries []Entry) (int, error) {
	posted := 0
	for start := 0; start < len(entries); start += 200 {
		part := entries[start:min(start+200, len(entries))]
		ids := make([]string, len(part))
		for i := range part {
			if err := part[i].check(); err != nil {
				return posted, err
			}
			ids[i] = part[i].ID
		}
		ins := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "source_key"}}, DoNothing: true}).Omit("Lines").Create(&part)
		if ins.Error != nil {
			return posted, ins.Error
		}
		if ins.RowsAffected == 0 {
			continue
		}
		var written []string
		if err := tx.Model(&Entry{}).Where("id IN ?", ids).Pluck("id", &written).Error; err != nil {
			return posted, err
		}
		ok := map[string]bool{}
		for _, id := range written {
			ok[id] = true
		}
		var lines []Line
		for _, e := range part {
			if !ok[e.ID] {
				continue
			}
			for i, l := range e.Lines {
				l.EntryID, l.N = e.ID, i+1
				lines = append(lines, l)
			}
		}
		if err := tx.CreateInBatches(lines, 500).Error; err != nil {
			return posted, err
		}
		posted += len(written)
	}
	return posted, nil
}
