package ledger_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/store/storetest"
)

// TestReduceAccrualOfInvalidatedPosition: a campaign position invalidated
// after issue posts one riduzione di accertamento per own component for what
// was not paid; a second invalidation posts nothing more; the report shows it
// as reduced and its check stays ok. A position never accrued posts nothing.
func TestReduceAccrualOfInvalidatedPosition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{}, chart)
		svc.Log = quiet
		svc.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
		comp := []ledger.AccrualComponent{{Code: "TARI", Capitolo: "1010", Articolo: "1", Accertamento: "2026/101", Amount: 12000}}
		whole := ledger.AccrualNotice{IUV: "02000000000000201", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 12000}}}
		inst1 := ledger.AccrualNotice{IUV: "02000000000000202", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 6000}}}
		inst2 := ledger.AccrualNotice{IUV: "02000000000000203", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 6000}}}
		accs := []ledger.Accrual{
			{Ente: "c_l424", EnteCF: trieste, Campaign: "c1", IUPD: "TARI-A", Source: ledger.SourceCampaign, Components: comp,
				Notices: []ledger.AccrualNotice{whole, inst1, inst2}},
			{Ente: "c_l424", EnteCF: trieste, Campaign: "c1", IUPD: "TARI-B", Source: ledger.SourceCampaign, Components: comp,
				Notices: []ledger.AccrualNotice{{IUV: "02000000000000301", Transfers: whole.Transfers}}},
		}
		if _, err := svc.PostAccruals(ctx, accs); err != nil {
			t.Fatal(err)
		}
		// A: unpaid, invalidated twice; B: paid in full by its single notice.
		for range 2 {
			if n, err := svc.ReduceAccrual(ctx, trieste, "TARI-A", nil); err != nil {
				t.Fatal(err)
			} else if n > 1 {
				t.Fatalf("posted %d", n)
			}
		}
		if n, err := svc.ReduceAccrual(ctx, trieste, "TARI-B", []string{"02000000000000301"}); err != nil || n != 0 {
			t.Fatalf("a position paid in full reduces nothing: %d, %v", n, err)
		}
		if n, err := svc.ReduceAccrual(ctx, trieste, "NEVER-ACCRUED", nil); err != nil || n != 0 {
			t.Fatalf("unknown position: %d, %v", n, err)
		}
		rep, err := svc.CampaignAccounting(ctx, "c_l424", "c1")
		if err != nil {
			t.Fatal(err)
		}
		l := rep.Lines[0]
		if !rep.Check.OK || len(rep.Lines) != 1 || l.Issued != 24000 || l.Reduced != 12000 || l.Accrued != 12000 || l.Outstanding != 12000 {
			t.Fatalf("report = %+v", rep)
		}
		var csv strings.Builder
		if err := rep.WriteCSV(&csv); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(csv.String(), ";ridotto;") || !strings.Contains(csv.String(), "1010;1;2026/101;2;240.00;120.00;120.00;") || !strings.Contains(csv.String(), "VERIFICA;OK") {
			t.Errorf("CSV = %s", csv.String())
		}
		entries, _ := svc.Entries(ctx, "c_l424", "", "")
		red := 0
		for _, e := range entries {
			if e.Kind == ledger.Riduzione {
				red++
				if e.CampaignID != "c1" || e.Lines[0].Account != ledger.AccountIncome || e.Lines[0].Debit != 12000 {
					t.Errorf("riduzione = %+v", e)
				}
			}
		}
		if red != 1 {
			t.Errorf("%d riduzioni, want 1", red)
		}
	})
}

// TestReduceAccrualOfPartlyPaidPosition: a position whose first installment
// was paid reduces only the unpaid rest.
func TestReduceAccrualOfPartlyPaidPosition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{}, chart)
		svc.Log = quiet
		acc := ledger.Accrual{Ente: "c_l424", EnteCF: trieste, Campaign: "c2", IUPD: "TARI-C", Source: ledger.SourceCampaign,
			Components: []ledger.AccrualComponent{{Code: "TARI", Capitolo: "1010", Amount: 10001}},
			Notices: []ledger.AccrualNotice{
				{IUV: "02000000000000401", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 5001}}},
				{IUV: "02000000000000402", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 5000}}}}}
		if _, err := svc.PostAccruals(ctx, []ledger.Accrual{acc}); err != nil {
			t.Fatal(err)
		}
		if n, err := svc.ReduceAccrual(ctx, trieste, "TARI-C", []string{"02000000000000401"}); err != nil || n != 1 {
			t.Fatalf("posted %d, %v", n, err)
		}
		rep, err := svc.CampaignAccounting(ctx, "c_l424", "c2")
		if err != nil || !rep.Check.OK || rep.Total.Reduced != 5000 || rep.Total.Accrued != 5001 {
			t.Fatalf("report = %+v, %v", rep, err)
		}
	})
}
