package pagopa_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/store/storetest"
)

// TestInvalidateReducesAccrual: a campaign position accrued in the ledger and
// then invalidated (unpaid: all of it; partially paid: its unpaid rest) posts
// its riduzione di accertamento once, however often it is closed again, and
// the campaign's accounting report still checks.
func TestInvalidateReducesAccrual(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{})
		svc := w.acts.Payments.(*pagopa.Service)
		led := ledger.NewService(db, ledger.DemoEntes, ledger.ReceiptsFunc(func(context.Context, string, time.Time, time.Time) ([]ledger.Receipt, error) {
			return nil, nil
		}), ledger.StaticChart{})
		svc.Reductions = led
		adapter := &pagopa.PraticaPayments{Payments: svc, Positions: w.store}
		ctx := context.Background()
		due := time.Now().AddDate(0, 1, 0).UTC().Truncate(time.Second)
		org := "00210240321"
		accrue := func(iupd string) *pagopa.Position {
			t.Helper()
			if _, err := adapter.Issue(ctx, installmentRequest(iupd, due)); err != nil {
				t.Fatal(err)
			}
			p, err := w.store.ByIUPD(ctx, org, iupd)
			if err != nil {
				t.Fatal(err)
			}
			acc := ledger.Accrual{Ente: "c_l424", EnteCF: org, Campaign: "tari-2030", IUPD: iupd, Source: ledger.SourceCampaign,
				Components: []ledger.AccrualComponent{{Code: "TARI", Capitolo: "1010", Articolo: "1", Amount: 30000}}}
			for _, o := range p.Options {
				acc.Notices = append(acc.Notices, ledger.AccrualNotice{IUV: o.IUV, NoticeNumber: o.NoticeNumber,
					Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: o.Amount}}})
			}
			if _, err := led.PostAccruals(ctx, []ledger.Accrual{acc}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		partial := accrue("tari-partial")
		accrue("tari-unpaid")
		for _, o := range partial.Options {
			if o.Installment {
				if _, err := w.sim.Pay(ctx, org, o.NoticeNumber, ""); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		for range 2 {
			if st, err := adapter.Close(ctx, activities.PositionRef{Ente: "c_l424", IUPD: "tari-partial"}); err != nil || st.Outcome != activities.ClosedPartial {
				t.Fatalf("close partial = %+v, %v", st, err)
			}
			if _, err := svc.Invalidate(ctx, org, "tari-unpaid"); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := led.CampaignAccounting(ctx, "c_l424", "tari-2030")
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Check.OK || rep.Total.Issued != 60000 || rep.Total.Reduced != 50000 || rep.Total.Accrued != 10000 || rep.Total.Outstanding != 10000 {
			t.Fatalf("report = %+v", rep)
		}
		entries, _ := led.Entries(ctx, "c_l424", "", "")
		n := 0
		for _, e := range entries {
			if e.Kind == ledger.Riduzione {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d riduzioni, want one per position", n)
		}
	})
}
