package issuance_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
)

var trieste = pagopa.Creditor{Ente: "c_l424", FiscalCode: "00210240321", Name: "Comune di Trieste", AuxDigit: 3, SegregationCode: "02",
	IBAN: "IT13X0306902230100000046001"}

// TestRollBadRowsAllReported reads a roll with a bad row of every kind and
// expects every problem, with its line and field, at once.
func TestRollBadRowsAllReported(t *testing.T) {
	plan := issuance.DemoPlan(trieste, 2026)
	csv := "tax_year;debtor_type;fiscal_code;name;address;tari_amount;tefa_amount;tari_capitolo\n" +
		"2026;F;RSSMRA80A01L424F;Mario Rossi;Via del Corso 1;200,00;10,00;\n" + // line 2 ok
		"2025;F;RSSMRA80A01L424X;;Via Roma 2;abc;10;\n" + // line 3: year, check char, name, amount
		"2026;G;00210240321;Ditta Srl;;0,02;;\n" + // line 4: 2 cents cannot be split in 3
		"2026;F;RSSMRA80A01L424F;Mario Rossi bis;;100;5;\n" + // line 5: duplicate debtor
		"2026;X;00123430316;Tizio;;100;5;\n" + // line 6: debtor type
		"2026;F;BNCGLI85C55L424K;Giulia Bianchi;;0;0;\n" // line 7: owes nothing
	rows, err := issuance.ParseCSV(strings.NewReader(csv), &plan)
	if err != nil {
		t.Fatal(err)
	}
	got := issuance.Check(rows, &plan)
	type lf struct {
		Line  int
		Field string
	}
	var gotLF []lf
	for _, e := range got {
		gotLF = append(gotLF, lf{e.Line, e.Field})
	}
	want := []lf{{3, "tax_year"}, {3, "fiscal_code"}, {3, "name"}, {3, "tari_amount"}, {4, "tari_amount"}, {5, "fiscal_code"},
		{6, "debtor_type"}, {7, "amount"}}
	if d := cmp.Diff(want, gotLF); d != "" {
		t.Errorf("problems (-want +got):\n%s\n%+v", d, got)
	}
}

// TestRollHeaderRefused names every bad column of the header at once.
func TestRollHeaderRefused(t *testing.T) {
	plan := issuance.DemoPlan(trieste, 2026)
	_, err := issuance.ParseCSV(strings.NewReader("anno,fiscal_code,imu_amount\n2026,X,1\n"), &plan)
	if err == nil || !strings.Contains(err.Error(), `"anno"`) || !strings.Contains(err.Error(), `"imu_amount"`) ||
		!strings.Contains(err.Error(), "tax_year is required") {
		t.Fatalf("err = %v", err)
	}
}

// TestSplitExact checks the installment rule: parts sum to the amount and the
// remainder cents go to the first installments.
func TestSplitExact(t *testing.T) {
	for _, tc := range []struct {
		amount int64
		n      int
		want   []int64
	}{{100, 3, []int64{34, 33, 33}}, {101, 3, []int64{34, 34, 33}}, {99, 3, []int64{33, 33, 33}}, {7, 2, []int64{4, 3}}} {
		if d := cmp.Diff(tc.want, issuance.Split(tc.amount, tc.n)); d != "" {
			t.Errorf("Split(%d, %d): %s", tc.amount, tc.n, d)
		}
	}
}

// TestDryRunTotals checks the dry run's totals per option, beneficiary and
// accounting line on a small roll, to the cent.
func TestDryRunTotals(t *testing.T) {
	plan := issuance.DemoPlan(trieste, 2026)
	csv := "tax_year,fiscal_code,name,tari_amount,tefa_amount,tari_capitolo,tari_articolo,tari_accertamento\n" +
		"2026,RSSMRA80A01L424F,Mario Rossi,100.00,5.00,,,\n" +
		"2026,BNCGLI85C55L424K,Giulia Bianchi,200.01,10.00,1011,2,2026/77\n" +
		"2026,00210240321,Comune,1,,,,\n" // refused below: wrong year
	rows, err := issuance.ParseCSV(strings.NewReader(csv), &plan)
	if err != nil {
		t.Fatal(err)
	}
	rows[2].TaxYear = 2020 // make the third refused
	refused := issuance.Check(rows, &plan)
	d := issuance.Totals(&plan, rows[:2], refused)
	if d.Rows != 2 || d.Refused != 1 || d.Total != 10000+500+20001+1000 {
		t.Fatalf("rows %d refused %d total %d", d.Rows, d.Refused, d.Total)
	}
	// 10000 → 3334+3333+3333; 500 → 167+167+166; 20001 → 6667×3; 1000 → 334+333+333.
	wantOpts := []int64{31501, 3334 + 167 + 6667 + 334, 3333 + 167 + 6667 + 333, 3333 + 166 + 6667 + 333}
	var gotOpts []int64
	for _, o := range d.Options {
		gotOpts = append(gotOpts, o.Amount)
	}
	if diff := cmp.Diff(wantOpts, gotOpts); diff != "" {
		t.Errorf("options (-want +got): %s", diff)
	}
	gotBen := map[string]int64{}
	for _, b := range d.Beneficiaries {
		gotBen[b.Key] = b.Amount
	}
	wantBen := map[string]int64{"00210240321/IT13X0306902230100000046001": 30001, "80014930327/IT82G0200802242000101234567": 1500}
	if diff := cmp.Diff(wantBen, gotBen); diff != "" {
		t.Errorf("beneficiaries (-want +got): %s", diff)
	}
	gotAcc := map[string]int64{}
	for _, b := range d.AccountingLines {
		gotAcc[b.Key] = b.Amount
	}
	wantAcc := map[string]int64{"TARI 1010/1/2026/101": 10000, "TARI 1011/2/2026/77": 20001, "TEFA 9010/2/2026/901": 1500}
	if diff := cmp.Diff(wantAcc, gotAcc); diff != "" {
		t.Errorf("accounting lines (-want +got): %s", diff)
	}
	// Every position built from the rows passes pagoPA's own checks.
	for i := range rows[:2] {
		req, err := issuance.Request(&plan, trieste, &rows[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := req.Position().Validate(); err != nil {
			t.Errorf("line %d: %v", rows[i].Line, err)
		}
	}
}
