package ledger_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/store/storetest"
)

const trieste = "00210240321"

// receipts is the payments area as reconciliation sees it.
type receipts []ledger.Receipt

func (rs receipts) ReceiptsBetween(_ context.Context, cf string, from, to time.Time) ([]ledger.Receipt, error) {
	var out []ledger.Receipt
	for _, r := range rs {
		if r.EnteCF == cf && !r.PaidAt.Before(from) && r.PaidAt.Before(to) {
			out = append(out, r)
		}
	}
	return out, nil
}

var chart = ledger.StaticChart{Default: ledger.Capitolo{Capitolo: "3100", Articolo: "1"},
	ByService: map[string]ledger.Capitolo{"c_l424.matrimonio": {Capitolo: "3050", Articolo: "2"}}}

// dayOfPayments is what the pagoPA simulator lists for one day: three PSPs.
func dayOfPayments(day time.Time, n int) ([]sim.Payment, receipts) {
	var ps []sim.Payment
	var rs receipts
	psps := []string{"BCITITMM", "UNCRITMM", "60000000001"}
	for i := 0; i < n; i++ {
		p := sim.Payment{OrganizationFiscalCode: trieste, IUV: fmt.Sprintf("01%015d", 1000+i), IUR: fmt.Sprintf("IUR%010d", i),
			Amount: int64(1600 + 250*i), PSP: psps[i%len(psps)], PaymentDateTime: day.Add(time.Duration(9+i%8) * time.Hour).UTC(), ReceiptID: fmt.Sprintf("R%d", i)}
		ps = append(ps, p)
		service := "c_l424.matrimonio"
		if i%2 == 1 {
			service = "c_l424.mensa"
		}
		rs = append(rs, ledger.Receipt{EnteCF: trieste, IUV: p.IUV, IUR: p.IUR, ReceiptID: p.ReceiptID, Amount: p.Amount, PaidAt: p.PaymentDateTime,
			PSP: p.PSP, PraticaID: fmt.Sprintf("pratica-%d", i), Position: fmt.Sprintf("IUPD-%d", i), Service: service})
	}
	return ps, rs
}

func importDay(t *testing.T, svc *ledger.Service, d *sim.Day) (added, skipped int) {
	t.Helper()
	ctx := context.Background()
	for _, f := range d.Flows {
		x, err := f.XML()
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.ImportFDRXML(ctx, "", bytes.NewReader(x))
		if err != nil {
			t.Fatal(err)
		}
		added, skipped = added+res.Added, skipped+res.Skipped
	}
	for _, j := range d.Journals {
		x, err := j.XML()
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.ImportOPIXML(ctx, "c_l424", bytes.NewReader(x))
		if err != nil {
			t.Fatal(err)
		}
		added, skipped = added+res.Added, skipped+res.Skipped
	}
	return added, skipped
}

// TestDayOfPayments is the whole loop: a day of payments, the next day's FdR
// and giornale di cassa, every payment reconciled, the ledger balanced; doing
// it all again changes nothing.
func TestDayOfPayments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		day := time.Date(2026, 11, 26, 0, 0, 0, 0, calendar.Rome)
		payments, rs := dayOfPayments(day, 30)
		report, err := sim.Reporter{ABI: "02008", BankSpacing: true}.Report("2026-11-26", payments)
		if err != nil {
			t.Fatal(err)
		}
		svc := ledger.NewService(db, ledger.DemoEntes, rs, chart)
		svc.Now = func() time.Time { return time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC) }
		if added, _ := importDay(t, svc, report); added != 30+3 {
			t.Fatalf("imported %d lines and credits, want 33", added)
		}
		run, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[ledger.Outcome]int{"receipt": {ledger.Reconciled: 30}, "fdr": {ledger.Reconciled: 3}, "credit": {ledger.Reconciled: 3}}
		if diff := cmp.Diff(want, run.Outcomes); diff != "" {
			t.Errorf("outcomes (-want +got):\n%s", diff)
		}
		if run.Posted != 60 || run.Opened != 0 {
			t.Errorf("posted %d entries and opened %d exceptions, want 60 and 0", run.Posted, run.Opened)
		}
		var paid int64
		for _, p := range payments {
			paid += p.Amount
		}
		bal, err := svc.Balance(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		wantBal := ledger.Balance{Debit: 2 * paid, Credit: 2 * paid, ByAccount: map[string]int64{
			ledger.AccountTreasury: paid, ledger.AccountReceivable: 0, ledger.AccountIncome: -paid}}
		if diff := cmp.Diff(wantBal, bal); diff != "" {
			t.Errorf("balance (-want +got):\n%s", diff)
		}

		// The PSPs and the bank send everything again; the run repeats.
		if added, skipped := importDay(t, svc, report); added != 0 || skipped != 33 {
			t.Errorf("re-import added %d, skipped %d; want 0 and 33", added, skipped)
		}
		again, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if again.Posted != 0 || again.Opened != 0 {
			t.Errorf("second run posted %d and opened %d", again.Posted, again.Opened)
		}
		if bal2, _ := svc.Balance(ctx, "c_l424"); !cmp.Equal(bal, bal2) {
			t.Errorf("balance changed: %+v", bal2)
		}
		rep, err := svc.Report(ctx, "c_l424", "2026-11-26")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts["receipt"][ledger.Reconciled] != 30 || rep.Totals["receipt"][ledger.Reconciled] != paid {
			t.Errorf("day report = %+v", rep)
		}
	})
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
