package ledger_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestLedgerStepAndReconciliation: a pratica's ledger step posts the
// accertamento of its payment; the reconciliation later finds it posted and
// adds only the reversale.
func TestLedgerStepAndReconciliation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		rc := ledger.Receipt{EnteCF: trieste, IUV: "47000000000000124", IUR: "iur1", Amount: 16000, PaidAt: at("2026-11-26", 11), PraticaID: "p1"}
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{rc}, chart)
		svc.Now = func() time.Time { return at("2026-11-27", 20) }
		poster := &ledger.Poster{Service: svc}
		req := activities.LedgerRequest{Key: "p1/contabilita/5", PraticaID: "p1", Kind: "accertamento", Capitolo: "3050", Articolo: "2",
			AmountCents: 16000, IUV: rc.IUV, Service: activities.ServiceInfo{ID: "c_l424.matrimonio", Ente: "c_l424", EnteFiscalCode: trieste}}
		first, err := poster.Post(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := poster.Post(ctx, req)
		if err != nil || again.EntryID != first.EntryID {
			t.Errorf("retried step: %+v, %v; want entry %s", again, err, first.EntryID)
		}
		bad := req
		bad.Kind = "impegno"
		if _, err := poster.Post(ctx, bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown kind: %v", err)
		}
		f := flow("2026-11-27BCITITMM-S5", "2026-11-27", fdr.Line{IUV: rc.IUV, IUR: "iur1", Amount: 16000, Outcome: "0", Date: "2026-11-26"})
		if _, err := svc.ImportFlow(ctx, "c_l424", f, "xml"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportJournal(ctx, "c_l424", journalWith(credit(1, 16000, "2026-11-27", "/PUR/LGPE-RIVERSAMENTO/URI/"+f.ID))); err != nil {
			t.Fatal(err)
		}
		run, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if run.Posted != 1 {
			t.Errorf("reconciliation posted %d entries, want only the reversale", run.Posted)
		}
		bal, _ := svc.Balance(ctx, "c_l424")
		if bal.ByAccount[ledger.AccountReceivable] != 0 || bal.ByAccount[ledger.AccountTreasury] != 16000 {
			t.Errorf("balance %+v", bal)
		}
	})
}

// TestReceiptsWithoutIUR: the payments area may know a receipt by its id only;
// the FdR line is found by IUV, and by the receipt id when it is the IUR.
func TestReceiptsWithoutIUR(t *testing.T) {
	db := storetest.SQLite(t)
	rs := receipts{
		{EnteCF: trieste, IUV: "P1", ReceiptID: "r1", Amount: 100, PaidAt: at("2026-11-26", 9)},
		{EnteCF: trieste, IUV: "P2", ReceiptID: "tok2", Amount: 200, PaidAt: at("2026-11-26", 9)},
	}
	svc := ledger.NewService(db, ledger.DemoEntes, rs, chart)
	svc.Now = func() time.Time { return at("2026-11-27", 20) }
	ctx := context.Background()
	f := flow("2026-11-27BCITITMM-S6", "2026-11-27",
		fdr.Line{IUV: "P1", IUR: "iur-of-p1", Amount: 100, Outcome: "0", Date: "2026-11-26"},
		fdr.Line{IUV: "P2", IUR: "tok2", Amount: 200, Outcome: "0", Date: "2026-11-26"})
	if _, err := svc.ImportFlow(ctx, "c_l424", f, "xml"); err != nil {
		t.Fatal(err)
	}
	run, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	if run.Outcomes["receipt"][ledger.Reconciled] != 2 || run.Opened != 0 {
		t.Errorf("outcomes %+v, opened %d", run.Outcomes, run.Opened)
	}
}
