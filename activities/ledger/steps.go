package ledger

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// AccertamentoKey and ReversaleKey are the source keys of a payment's entries:
// an IUV is paid once within an ente, so whoever posts first (a ledger step of
// the pratica or the reconciliation) posts, and the other finds it done.
func AccertamentoKey(enteCF, iuv string) string { return "accertamento:" + enteCF + ":" + iuv }

// ReversaleKey is the source key of the reversale of a payment.
func ReversaleKey(enteCF, iuv string) string { return "reversale:" + enteCF + ":" + iuv }

// Poster posts the entries of a pratica's ledger step; it implements
// activities.Ledger for the interpreter's PostLedger activity.
type Poster struct {
	Service *Service
}

// Post writes the step's entry once and returns its id, also when it already
// existed (posted by an earlier attempt or by the reconciliation).
func (p *Poster) Post(ctx context.Context, req activities.LedgerRequest) (*activities.LedgerPosted, error) {
	s := p.Service
	if req.AmountCents <= 0 {
		return nil, errs.Field("amountCents", "must be positive: the ledger step needs a paid payment before it")
	}
	e := Entry{Ente: req.Service.Ente, Kind: req.Kind, PostedOn: s.now().In(calendar.Rome).Format(time.DateOnly), PraticaID: req.PraticaID, IUV: req.IUV,
		SourceKey: "step:" + req.Key}
	switch req.Kind {
	case Accertamento:
		if req.IUV != "" {
			e.SourceKey = AccertamentoKey(req.Service.EnteFiscalCode, req.IUV)
		}
		e.Description = "Accertamento " + req.Service.ID + " pratica " + req.PraticaID
		e.Lines = []Line{{Account: AccountReceivable, Capitolo: req.Capitolo, Articolo: req.Articolo, Debit: req.AmountCents},
			{Account: AccountIncome, Capitolo: req.Capitolo, Articolo: req.Articolo, Credit: req.AmountCents}}
	case Reversale:
		if req.IUV != "" {
			e.SourceKey = ReversaleKey(req.Service.EnteFiscalCode, req.IUV)
		}
		e.Description = "Reversale " + req.Service.ID + " pratica " + req.PraticaID
		e.Lines = []Line{{Account: AccountTreasury, Debit: req.AmountCents},
			{Account: AccountReceivable, Capitolo: req.Capitolo, Articolo: req.Articolo, Credit: req.AmountCents}}
	default:
		return nil, errs.Field("kind", "must be accertamento or reversale")
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, err := post(tx, e, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := s.db.WithContext(ctx).Model(&Entry{}).Where("source_key = ?", e.SourceKey).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errs.E(errs.Internal, "entry %s vanished after posting", e.SourceKey)
	}
	return &activities.LedgerPosted{EntryID: ids[0]}, nil
}
