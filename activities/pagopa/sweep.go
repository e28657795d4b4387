package pagopa

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/errs"
)

// SweepPaidName is the registered name of Sweeper.SweepPaid.
const SweepPaidName = "pagopa.SweepPaid"

// sweepPage is how many waiting pratiche one query reads; sweepMax bounds a run.
const (
	sweepPage = 200
	sweepMax  = 20_000
)

// PaidOf lists the receipts that paid the options of a pratica's positions.
func (s *Store) PaidOf(ctx context.Context, praticaID string) ([]Receipt, error) {
	var rows []receiptRow
	err := s.db.WithContext(ctx).Raw(`
SELECT r.* FROM pagopa_options o
  JOIN pagopa_positions p ON p.id = o.position_id
  JOIN pagopa_receipts r ON r.receipt_id = o.receipt_id
 WHERE p.pratica_id = ? AND o.status = ?
 ORDER BY o.position_id, o.seq`, praticaID, string(OptionPaid)).Scan(&rows).Error
	if err != nil {
		return nil, errs.Wrap(err, "paid options of pratica %s", praticaID)
	}
	out := make([]Receipt, 0, len(rows))
	for _, r := range rows {
		paid := r.ReceivedAt.UTC()
		if r.PaymentDateTime != nil {
			paid = r.PaymentDateTime.UTC()
		}
		out = append(out, Receipt{ReceiptID: r.ReceiptID, NoticeNumber: r.NoticeNumber, FiscalCode: r.OrgFiscalCode, Outcome: r.Outcome,
			CreditorReferenceID: r.IUV, Amount: r.Amount, PSPID: r.PSPID, PSPName: r.PSPName, PaymentDateTime: &paid})
	}
	return out, nil
}

// Sweeper finds the pratiche still waiting for a payment that our database
// shows as paid, and tells them again: the safety net for a receipt whose
// signal was lost after it was stored (a restart, the node giving up retries).
type Sweeper struct {
	Receipts interface {
		PaidOf(ctx context.Context, praticaID string) ([]Receipt, error)
	}
	// Waiting lists the pratiche waiting for a payment (status payment_pending), a page at a time.
	Waiting interface {
		WaitingPayment(ctx context.Context, limit, offset int) ([]string, error)
	}
	Notifier ReceiptNotifier
}

// SweepPaid signals every stored receipt of every pratica waiting for a
// payment and returns how many it sent. A pratica dedups receipts it already
// has, so sending one twice is harmless.
func (s *Sweeper) SweepPaid(ctx context.Context) (int, error) {
	sent := 0
	for offset := 0; offset < sweepMax; offset += sweepPage {
		ids, err := s.Waiting.WaitingPayment(ctx, sweepPage, offset)
		if err != nil {
			return sent, fmt.Errorf("list pratiche waiting for a payment: %w", err)
		}
		for _, id := range ids {
			rs, err := s.Receipts.PaidOf(ctx, id)
			if err != nil {
				return sent, err
			}
			for _, r := range rs {
				if err := s.Notifier.ReceiptArrived(ctx, id, r); err != nil {
					return sent, fmt.Errorf("re-signal receipt %s: %w", r.ReceiptID, err)
				}
				sent++
			}
		}
		if len(ids) < sweepPage {
			break
		}
	}
	return sent, nil
}

// SweepEvery is how often the sweep runs.
const SweepEvery = time.Hour
