package pagopa_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/store/storetest"
)

type waitingList []string

func (w waitingList) WaitingPayment(_ context.Context, limit, offset int) ([]string, error) {
	if offset >= len(w) {
		return nil, nil
	}
	return w[offset:min(len(w), offset+limit)], nil
}

// TestSweepResignalsStoredReceipts pays two pratiche's notices at the simulated
// PSP; the sweep re-signals the stored receipts of the one still waiting only.
func TestSweepResignalsStoredReceipts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{})
		adapter := &pagopa.PraticaPayments{Payments: w.acts.Payments, Positions: w.store}
		ctx := context.Background()
		due := time.Now().AddDate(0, 1, 0).UTC().Truncate(time.Second)
		var receipts []string
		for _, iupd := range []string{"waiting", "done"} {
			issued, err := adapter.Issue(ctx, installmentRequest(iupd, due))
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range issued.Installments[:2] {
				pay, err := w.sim.Pay(ctx, "00210240321", in.NoticeNumber, "")
				if err != nil {
					t.Fatal(err)
				}
				receipts = append(receipts, pay.ReceiptID)
			}
		}
		got, err := w.store.PaidOf(ctx, "pr-waiting")
		if err != nil || len(got) != 2 || got[0].ReceiptID != receipts[0] || got[1].Amount != 10000 || got[0].PaymentDateTime == nil {
			t.Fatalf("paid of pr-waiting = %+v, %v", got, err)
		}
		n := &notifier{}
		sw := &pagopa.Sweeper{Receipts: w.store, Waiting: waitingList{"pr-waiting", "pr-unpaid"}, Notifier: n}
		sent, err := sw.SweepPaid(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"pr-waiting " + receipts[0], "pr-waiting " + receipts[1]}, n.calls); diff != "" || sent != 2 {
			t.Errorf("sent %d (-want +got):\n%s", sent, diff)
		}
	})
}
