package ledger_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/store/storetest"
)

// TestRepeatedFlowLine: a PSP's flow that lists one payment twice (same IUV,
// IUR and index) is imported, not refused whole: every other payment of the
// flow reconciles, the repeated line waits in the finance office's queue, and
// the repeat is not counted twice against its receipt.
func TestRepeatedFlowLine(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		rs := receipts{
			{EnteCF: trieste, IUV: "A", IUR: "ia", Amount: 1000, PaidAt: at("2026-11-26", 10)},
			{EnteCF: trieste, IUV: "B", IUR: "ib", Amount: 500, PaidAt: at("2026-11-26", 11)},
		}
		svc := ledger.NewService(db, ledger.DemoEntes, rs, chart)
		svc.Now = func() time.Time { return at("2026-11-27", 20) }
		line := fdr.Line{IUV: "A", IUR: "ia", Index: 1, Amount: 1000, Outcome: "0", Date: "2026-11-26"}
		f := flow("2026-11-27BCITITMM-R1", "2026-11-27", line, fdr.Line{IUV: "B", IUR: "ib", Index: 1, Amount: 500, Outcome: "0", Date: "2026-11-26"}, line)
		if err := f.Validate(); err != nil {
			t.Fatalf("a flow repeating a line is refused: %v", err)
		}
		res, err := svc.ImportFlow(ctx, "c_l424", f, "xml")
		if err != nil || res.Added != 3 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		j := &opi.Journal{FlowID: "GDC-R1", ABI: "02008", EnteCF: trieste, Year: 2026, Movements: []opi.Movement{
			credit(1, 2500, "2026-11-27", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-27BCITITMM-R1")}}
		if _, err := svc.ImportJournal(ctx, "c_l424", j); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Outcomes["receipt"][ledger.Reconciled]; got != 2 {
			t.Errorf("receipts reconciled = %d, want both: %+v", got, rep.Outcomes)
		}
		ex, err := svc.Exceptions(ctx, ledger.ExceptionFilter{Ente: "c_l424"})
		if err != nil {
			t.Fatal(err)
		}
		var repeated int
		for _, x := range ex {
			if x.Outcome == ledger.RepeatedLine {
				repeated++
				if x.IUV != "A" || x.Amount != 1000 || x.FlowID != "2026-11-27BCITITMM-R1" || x.ReasonEN == "" {
					t.Errorf("repeated line exception = %+v", x)
				}
			}
		}
		if repeated != 1 {
			t.Fatalf("repeated-line exceptions = %d, want 1: %+v", repeated, ex)
		}
		// A second run finds the same, and queues it once.
		if _, err := svc.Reconcile(ctx, "c_l424", "2026-11-27"); err != nil {
			t.Fatal(err)
		}
		again, _ := svc.Exceptions(ctx, ledger.ExceptionFilter{Ente: "c_l424", Outcome: ledger.RepeatedLine})
		if len(again) != 1 {
			t.Fatalf("after a second run: %d repeated-line exceptions", len(again))
		}
	})
}
