package ledger_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func at(day string, hour int) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, day, calendar.Rome)
	return d.Add(time.Duration(hour) * time.Hour).UTC()
}

func flow(id, regDay string, lines ...fdr.Line) *fdr.Flow {
	f := &fdr.Flow{ID: id, Date: at(regDay, 2), Regulation: "SCT " + id, RegulationDate: regDay, SenderType: "B", PSP: "BCITITMM", Receiver: trieste, Lines: lines}
	for _, l := range lines {
		f.Total += l.Amount
	}
	f.Count = len(lines)
	return f
}

func credit(n int64, amount int64, day, causale string) opi.Movement {
	return opi.Movement{Account: "0000001", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: n, Receipt: n,
		Amount: amount, BookedOn: day, Customer: "PSP", Causale: causale}
}

// TestExceptions covers every outcome that is not "reconciled", the operators'
// queue, automatic resolution, reversals and the CSV export.
func TestExceptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		rs := receipts{
			{EnteCF: trieste, IUV: "A", IUR: "ia", Amount: 1000, PaidAt: at("2026-11-20", 10), PraticaID: "pA", Position: "IUPD-A"},
			{EnteCF: trieste, IUV: "B", IUR: "ib", Amount: 1000, PaidAt: at("2026-11-26", 10)},
			{EnteCF: trieste, IUV: "C", IUR: "ic", Amount: 1000, PaidAt: at("2026-11-19", 10), PraticaID: "pC", Position: "IUPD-C"},
			{EnteCF: trieste, IUV: "D", IUR: "id", Amount: 700, PaidAt: at("2026-11-26", 10), Service: "c_l424.matrimonio"},
			{EnteCF: trieste, IUV: "E", IUR: "ie", Amount: 300, PaidAt: at("2026-11-26", 10)},
		}
		svc := ledger.NewService(db, ledger.DemoEntes, rs, chart)
		svc.Now = func() time.Time { return at("2026-11-27", 20) }
		svc.Positions = positions{"X": {"pX", "IUPD-X"}}
		for _, f := range []*fdr.Flow{
			flow("2026-11-20BCITITMM-S1", "2026-11-20", fdr.Line{IUV: "C", IUR: "ic", Amount: 900, Outcome: "0", Date: "2026-11-19"},
				fdr.Line{IUV: "X", IUR: "ix", Amount: 500, Outcome: "0", Date: "2026-11-19"}),
			flow("2026-11-27BCITITMM-S2", "2026-11-27", fdr.Line{IUV: "E", IUR: "ie", Amount: 300, Outcome: "0", Date: "2026-11-26"}),
		} {
			if _, err := svc.ImportFlow(ctx, "c_l424", f, "xml"); err != nil {
				t.Fatal(err)
			}
		}
		j := &opi.Journal{FlowID: "GDC-1", ABI: "02008", EnteCF: trieste, Year: 2026, Movements: []opi.Movement{
			credit(1, 300+1, "2026-11-27", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-27BCITITMM-S2"),
			credit(2, 4400, "2026-11-27", "/PUR/LGPE - RIVERSAMENTO/URI/2026-11-27 NOSUCHFLOW"),
			credit(3, 700, "2026-11-27", "/RFB/D/7.00/TXT/matrimonio"),
			credit(4, 12345, "2026-11-27", "RIMBORSO SPESE NOTIFICA"),
		}}
		if _, err := svc.ImportJournal(ctx, "c_l424", j); err != nil {
			t.Fatal(err)
		}
		run, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		queue, err := svc.Exceptions(ctx, ledger.ExceptionFilter{Ente: "c_l424"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range queue {
			got = append(got, string(x.Outcome)+" "+x.IUV+x.FlowID+" "+x.PraticaID+" "+x.Position)
		}
		sort.Strings(got)
		want := []string{
			"amount_mismatch 2026-11-27BCITITMM-S2  ",          // flow total 3.00, credit 3.01
			"amount_mismatch C2026-11-20BCITITMM-S1 pC IUPD-C", // receipt 10.00, reported 9.00
			"credit_without_fdr   ",                            // /PUR/ credit naming no known flow
			"fdr_without_credit 2026-11-20BCITITMM-S1  ",       // seven days without a credit
			"receipt_without_fdr A pA IUPD-A",                  // paid a week ago, never reported
			"unknown_iuv X2026-11-20BCITITMM-S1 pX IUPD-X",     // reported, but no receipt
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("queue (-want +got):\n%s", diff)
		}
		// D (direct credit) and E (reported) are certain: two accertamenti;
		// only D's cash is matched: one reversale.
		if run.Posted != 3 {
			t.Errorf("posted %d entries, want 3", run.Posted)
		}
		if run.Outcomes["receipt"][ledger.Pending] != 1 {
			t.Errorf("receipt B is within its grace period: %+v", run.Outcomes)
		}

		// An operator resolves one item; a second attempt conflicts; another ente cannot.
		if _, err := svc.Resolve(ctx, "c_f081", queue[0].ID, "op", "checked"); !errs.Is(err, errs.NotFound) {
			t.Errorf("other ente: %v", err)
		}
		if _, err := svc.Resolve(ctx, "c_l424", queue[0].ID, "op", "checked with the PSP"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Resolve(ctx, "c_l424", queue[0].ID, "op", "again"); !errs.Is(err, errs.Conflict) {
			t.Errorf("second resolve: %v", err)
		}

		// The bank's late credit for the old flow arrives: its exception closes by itself.
		late := &opi.Journal{FlowID: "GDC-2", ABI: "02008", EnteCF: trieste, Year: 2026, Movements: []opi.Movement{
			credit(5, 1400, "2026-11-27", ":RI3:/PUR/L GPE-RIVERSAMENTO URI 2026-11-20 BCITITMM-S1")}}
		if _, err := svc.ImportJournal(ctx, "c_l424", late); err != nil {
			t.Fatal(err)
		}
		again, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if again.Resolved != 1 || again.Posted != 0 {
			t.Errorf("late credit: resolved %d, posted %d; want 1 and 0 (C and X still do not match)", again.Resolved, again.Posted)
		}

		// The receipt of X reaches us late: the line is no longer unknown, and
		// the flow's credit being in, X is accertato and riscosso.
		svc.Receipts = append(rs, ledger.Receipt{EnteCF: trieste, IUV: "X", IUR: "ix", Amount: 500, PaidAt: at("2026-11-19", 9)})
		third, err := svc.Reconcile(ctx, "c_l424", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if third.Resolved != 1 || third.Posted != 2 {
			t.Errorf("late receipt: resolved %d, posted %d; want 1 and 2", third.Resolved, third.Posted)
		}

		// Entries are corrected by reversal, once.
		entries, err := svc.Entries(ctx, "c_l424", "", "")
		if err != nil || len(entries) != 5 {
			t.Fatalf("entries: %d, %v", len(entries), err)
		}
		rev, err := svc.Reverse(ctx, "c_l424", entries[0].ID, "posted on the wrong chapter")
		if err != nil {
			t.Fatal(err)
		}
		if rev.Lines[0].Credit != entries[0].Lines[0].Debit {
			t.Errorf("reversal lines %+v", rev.Lines)
		}
		if _, err := svc.Reverse(ctx, "c_l424", entries[0].ID, "twice"); !errs.Is(err, errs.Conflict) {
			t.Errorf("second reversal: %v", err)
		}
		bal, _ := svc.Balance(ctx, "c_l424")
		if bal.Debit != bal.Credit {
			t.Errorf("unbalanced: %+v", bal)
		}
		var buf bytes.Buffer
		if err := svc.ExportCSV(ctx, "c_l424", "2026-11-01", "2026-12-31", &buf); err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(&buf)
		cr.Comma = ';'
		rows, err := cr.ReadAll()
		if err != nil || len(rows) != 1+2*6 || !cmp.Equal(rows[0], ledger.CSVHeader) {
			t.Errorf("csv: %d rows, %v\n%v", len(rows), err, rows)
		}
	})
}

func TestImportRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{}, chart)
		f := flow("2026-11-20BCITITMM-S9", "2026-11-20", fdr.Line{IUV: "A", IUR: "a", Amount: 100, Outcome: "0", Date: "2026-11-19"})
		if _, err := svc.ImportFlow(ctx, "c_l424", f, "xml"); err != nil {
			t.Fatal(err)
		}
		changed := flow("2026-11-20BCITITMM-S9", "2026-11-20", fdr.Line{IUV: "A", IUR: "a", Amount: 200, Outcome: "0", Date: "2026-11-19"})
		other := flow("2026-11-20BCITITMM-S8", "2026-11-20", fdr.Line{IUV: "A", IUR: "a", Amount: 200, Outcome: "0", Date: "2026-11-19"})
		unknown := flow("2026-11-20BCITITMM-S7", "2026-11-20", fdr.Line{IUV: "A", IUR: "a", Amount: 200, Outcome: "0", Date: "2026-11-19"})
		unknown.Receiver = "00000000000"
		tests := []struct {
			name   string
			ente   string
			f      *fdr.Flow
			code   errs.Code
			reason string
		}{
			{"same id, other content", "c_l424", changed, errs.Conflict, "fdr_changed"},
			{"another ente's flow", "c_f081", other, errs.Forbidden, "other_ente"},
			{"unknown ente", "", unknown, errs.Invalid, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := svc.ImportFlow(ctx, tt.ente, tt.f, "xml")
				e, ok := errs.As(err)
				if !ok || e.Code != tt.code || e.Reason != tt.reason {
					t.Fatalf("got %v, want %s/%s", err, tt.code, tt.reason)
				}
			})
		}
		res, err := svc.ImportFlow(ctx, "", f, "json")
		if err != nil || res.Added != 0 || res.Skipped != 1 {
			t.Errorf("same flow again: %+v, %v", res, err)
		}
		changed.Revision = 2
		res, err = svc.ImportFlow(ctx, "", changed, "json")
		if err != nil || !res.Replaced || res.Added != 1 {
			t.Errorf("revision 2: %+v, %v", res, err)
		}
		if _, err := svc.ImportFlow(ctx, "", f, "xml"); !errs.Is(err, errs.Conflict) {
			t.Errorf("revision 0 after revision 2: %v", err)
		}
	})
}

func TestCausale(t *testing.T) {
	tests := []struct{ causale, flow, iuv string }{
		{"/PUR/LGPE-RIVERSAMENTO/URI/2024-07-26PPAYITR1XXX-S2024072601", "2024-07-26PPAYITR1XXX-S2024072601", ""},
		{":RI3:/PUR/LGPE-RIVERSAMENTO/URI/2024-07-26PPAYITR1XXX-S2024072601 BONIFICO", "2024-07-26PPAYITR1XXX-S2024072601BONIFICO", ""},
		{"ACCREDITI VARI LGPE- RIVERSAMENTO/URI/2024-12-15 IUV_VALID", "2024-12-15IUV_VALID", ""},
		{"ACCREDITI VARI LGPE -RIVERSAMENTO/URI/2024-12-15 IUV_VALID", "2024-12-15IUV_VALID", ""},
		{"ACCREDITI VARI L GPE-RIVERSAMENTO URI 2024-12-15 IUV_VALID", "2024-12-15IUV_VALID", ""},
		{"/pur/lgpe-riversamento/uri/2024-12-15abc", "2024-12-15ABC", ""},
		{"/RFB/01000000000001017/16.00/TXT/DIRITTI", "", "01000000000001017"},
		{"RIMBORSO SPESE", "", ""},
	}
	for _, tt := range tests {
		if got := []string{ledger.FlowRef(tt.causale), ledger.IUVRef(tt.causale)}; !cmp.Equal(got, []string{tt.flow, tt.iuv}) {
			t.Errorf("%q: got %q, want %q %q", tt.causale, got, tt.flow, tt.iuv)
		}
	}
}

func journalWith(ms ...opi.Movement) *opi.Journal {
	return &opi.Journal{FlowID: "GDC-X", ABI: "02008", EnteCF: trieste, Year: 2026, Movements: ms}
}

// positions is the payments area's positions by IUV.
type positions map[string][2]string

func (p positions) ByIUV(_ context.Context, _, iuv string) (string, string, error) {
	if v, ok := p[iuv]; ok {
		return v[0], v[1], nil
	}
	return "", "", errs.E(errs.NotFound, "no position with IUV %s", iuv)
}
