package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Riduzione is the kind of the entry that reduces a campaign position's
// accertamento when the position is cancelled or invalidated after issue.
const Riduzione = "riduzione"

// ReductionKey is the source key of the riduzione di accertamento of one
// component of a position: a position is reduced once, however often it is
// invalidated.
func ReductionKey(enteCF, iupd, component string) string {
	return "riduzione:" + enteCF + ":" + iupd + ":" + component
}

// ReduceAccrual posts the riduzione di accertamento of a campaign position
// that was invalidated: for each component owed to the ente (those it
// accrued), what the paid notices paidIUVs did not cover leaves the
// receivable and the income. A position the ledger never accrued (not a
// campaign's, or another ente's component) posts nothing; a second call posts
// nothing more. posted counts the new entries.
func (s *Service) ReduceAccrual(ctx context.Context, enteCF, iupd string, paidIUVs []string) (posted int, err error) {
	if enteCF == "" || iupd == "" {
		return 0, errs.Field("iupd", "the position's ente and IUPD are required")
	}
	db := s.db.WithContext(ctx)
	var accs []accrualRow
	if err := db.Where("ente_cf = ? AND iupd = ? AND source = ?", enteCF, iupd, SourceCampaign).Order("component").Find(&accs).Error; err != nil {
		return 0, errs.Wrap(err, "read accruals of %s", iupd)
	}
	if len(accs) == 0 {
		return 0, nil
	}
	paid := map[string]int64{}
	if len(paidIUVs) > 0 {
		var lines []planLineRow
		if err := db.Where("ente_cf = ? AND iupd = ? AND iuv IN ?", enteCF, iupd, paidIUVs).Find(&lines).Error; err != nil {
			return 0, errs.Wrap(err, "read notices of %s", iupd)
		}
		for _, l := range lines {
			paid[l.Component] += l.Amount
		}
	}
	now := s.now()
	day := now.In(calendar.Rome).Format(time.DateOnly)
	var entries []Entry
	for _, a := range accs {
		rest := a.Amount - paid[a.Component]
		if rest <= 0 {
			continue
		}
		entries = append(entries, Entry{ID: uuid.NewString(), Ente: a.Ente, SourceKey: ReductionKey(enteCF, iupd, a.Component), Kind: Riduzione,
			PostedOn: day, CampaignID: a.CampaignID, CreatedAt: now,
			Description: fmt.Sprintf("Riduzione accertamento %s posizione %s annullata, campagna %s", a.Component, iupd, a.CampaignID),
			Lines: []Line{
				{Account: AccountIncome, Capitolo: a.Capitolo, Articolo: a.Articolo, Accertamento: a.Accertamento, Debit: rest},
				{Account: AccountReceivable, Capitolo: a.Capitolo, Articolo: a.Articolo, Accertamento: a.Accertamento, Credit: rest},
			}})
	}
	if len(entries) == 0 {
		return 0, nil
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		posted, err = postMany(tx, entries)
		return err
	})
	if err != nil {
		return 0, errs.Wrap(err, "reduce accruals of %s", iupd)
	}
	if posted > 0 {
		s.log().Info("accertamento reduced", "ente", accs[0].Ente, "iupd", iupd, "entries", posted)
	}
	return posted, nil
}
