package ledger_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestImportNoticesErrors: a CSV of notices issued elsewhere names every bad
// row by line and field and writes nothing; a good one imports once (comma or
// semicolon); the same notice with another amount is refused.
func TestImportNoticesErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{}, ledger.StaticChart{})
		bad := "numero_avviso;importo;capitolo\n" +
			"347000000000000101;10.00;3200\n" +
			"34700000000000010;10.00;3200\n" + // 17 digits
			"947000000000000102;10.00;3200\n" + // aux digit 9
			"347000000000000103;-1;3200\n" +
			"347000000000000104;10.00;\n" + // no capitolo and no default chapter
			"347000000000000101;10.00;3200\n" // repeats line 2
		_, err := svc.ImportNotices(ctx, "c_l424", strings.NewReader(bad))
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			t.Fatalf("bad file: %v", err)
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		want := []string{"line 3.numero_avviso", "line 4.numero_avviso", "line 5.importo", "line 6.capitolo", "line 7.numero_avviso"}
		if diff := cmp.Diff(want, fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		if bal, _ := svc.Balance(ctx, "c_l424"); bal.Debit != 0 {
			t.Errorf("a refused file posted %+v", bal)
		}
		if _, err := svc.ImportNotices(ctx, "c_l424", strings.NewReader("importo\n10.00\n")); !strings.Contains(errText(err), "header.numero_avviso") {
			t.Errorf("missing column: %v", err)
		}
		good := "numero_avviso,importo,capitolo,articolo\n347000000000000101,10.00,3200,4\n347000000000000105,\"7,50\",3200,4\n"
		for i, want := range []ledger.NoticesImport{{Ente: "c_l424", Rows: 2, Added: 2}, {Ente: "c_l424", Rows: 2, Skipped: 2}} {
			got, err := svc.ImportNotices(ctx, "c_l424", strings.NewReader(good))
			if err != nil || got != want {
				t.Errorf("import %d = %+v, %v; want %+v", i+1, got, err, want)
			}
		}
		bal, _ := svc.Balance(ctx, "c_l424")
		if bal.ByAccount[ledger.AccountReceivable] != 1750 {
			t.Errorf("accrued %+v, want 17.50 receivable", bal)
		}
		_, err = svc.ImportNotices(ctx, "c_l424", strings.NewReader("numero_avviso;importo;capitolo\n347000000000000101;11.00;3200\n"))
		if e, ok := errs.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "line 2.importo" {
			t.Errorf("another amount: %v", err)
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestCampaignAccountingFailsLoudly: a campaign whose ledger no longer says
// what it issued (an accertamento reversed by hand) fails its check, naming
// the accounting line; a campaign nobody accrued is not found.
func TestCampaignAccountingFailsLoudly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{}, chart)
		svc.Log = quiet
		svc.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
		acc := ledger.Accrual{Ente: "c_l424", EnteCF: trieste, Campaign: "c1", IUPD: "TARI-1", Source: ledger.SourceCampaign,
			Components: []ledger.AccrualComponent{{Code: "TARI", Capitolo: "1010", Articolo: "1", Accertamento: "2026/101", Amount: 12000}},
			Notices:    []ledger.AccrualNotice{{IUV: "02000000000000101", Transfers: []ledger.AccrualTransfer{{Index: 1, Component: "TARI", Amount: 12000}}}}}
		if _, err := svc.PostAccruals(ctx, []ledger.Accrual{acc}); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.CampaignAccounting(ctx, "c_l424", "c1")
		if err != nil || !rep.Check.OK || rep.Total.Issued != 12000 || rep.Total.Outstanding != 12000 {
			t.Fatalf("report = %+v, %v", rep, err)
		}
		entries, _ := svc.Entries(ctx, "c_l424", "", "")
		if len(entries) != 1 || entries[0].CampaignID != "c1" || entries[0].Lines[0].Accertamento != "2026/101" {
			t.Fatalf("entries = %+v", entries)
		}
		if _, err := svc.Reverse(ctx, "c_l424", entries[0].ID, "capitolo errato"); err != nil {
			t.Fatal(err)
		}
		rep, err = svc.CampaignAccounting(ctx, "c_l424", "c1")
		if err != nil || rep.Check.OK || len(rep.Check.Problems) != 1 || !strings.Contains(rep.Check.Problems[0], "1010/1/2026/101: emesso 120.00, accertato 0.00") {
			t.Errorf("after a storno: %+v, %v", rep, err)
		}
		var csv strings.Builder
		rep.WriteCSV(&csv)
		if !strings.Contains(csv.String(), "VERIFICA;KO;") {
			t.Errorf("CSV = %s", csv.String())
		}
		if _, err := svc.CampaignAccounting(ctx, "c_l424", "nope"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown campaign: %v", err)
		}
		bad := acc
		bad.Components = []ledger.AccrualComponent{{Code: "TARI", Amount: 100}}
		if _, err := svc.PostAccruals(ctx, []ledger.Accrual{bad}); !errs.Is(err, errs.Invalid) {
			t.Errorf("accrual without capitolo: %v", err)
		}
	})
}

// TestDayReportExceptionsByIntermediary: an FdR line nobody issued lands in
// the queue of the intermediary whose segregation code its IUV carries; the
// rest of the day reconciles under the same intermediary.
func TestDayReportExceptionsByIntermediary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		day := time.Date(2026, 11, 26, 0, 0, 0, 0, calendar.Rome)
		payments, rs := dayOfPayments(day, 6) // IUVs 01...: segregation code 01
		report, err := sim.Reporter{ABI: "02008"}.Report("2026-11-26", payments)
		if err != nil {
			t.Fatal(err)
		}
		svc := ledger.NewService(db, ledger.DemoEntes, rs[1:], chart) // the first payment's receipt never came
		svc.Log = quiet
		svc.Intermediaries = ledger.StaticIntermediaries{"c_l424": {{ID: "fvgpay", Name: "FVG-Pay", SegregationCodes: []string{"01"}},
			{ID: "conc", Name: "Concessionario", SegregationCodes: []string{"47"}}}}
		svc.Now = func() time.Time { return time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC) }
		importDay(t, svc, report)
		if _, err := svc.Reconcile(ctx, "c_l424", "2026-11-27"); err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Report(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			ID         string
			Reconciled int
			Open       int
			Unknown    int
		}
		var got []row
		for _, im := range rep.Intermediaries {
			got = append(got, row{im.ID, im.Counts["receipt"][ledger.Reconciled], im.OpenExceptions, im.Exceptions[ledger.UnknownIUV]})
		}
		// The flow lines' day is the regulation day: 2026-11-27.
		want := []row{{ID: "conc"}, {ID: "fvgpay", Open: 1, Unknown: 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("by intermediary (-want +got):\n%s", diff)
		}
		for id, want := range map[string]int64{"fvgpay": 1, "conc": 0} {
			codes, err := svc.IntermediaryCodes(ctx, "c_l424", id)
			if err != nil {
				t.Fatal(err)
			}
			n, err := svc.CountExceptions(ctx, ledger.ExceptionFilter{Ente: "c_l424", SegregationCodes: codes})
			if err != nil || n != want {
				t.Errorf("%s's queue: %d, %v; want %d", id, n, err, want)
			}
		}
		if _, err := svc.IntermediaryCodes(ctx, "c_l424", "nope"); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown intermediary: %v", err)
		}
		if ledger.IntermediaryOf(nil, "01000000000001000") != ledger.Unassigned {
			t.Error("an IUV with no intermediary configured is not unassigned")
		}
	})
}
