package issuance_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/issuance"
)

// TestAccrualOfPosition: a position accrues the components owed to the ente
// only (TEFA is the Region's), on the row's accounting line where it gives
// one, for the whole debt; each notice splits as its transfers do, the
// installments to the cent.
func TestAccrualOfPosition(t *testing.T) {
	plan := issuance.DemoPlan(trieste, 2026)
	plan.Intermediary = "conc"
	c := &issuance.Campaign{ID: "camp-1", Ente: "c_l424", OrgFiscalCode: trieste.FiscalCode, Plan: plan, Creditor: trieste}
	row := issuance.Row{Line: 2, TaxYear: 2026, Debtor: issuance.Debtor{Type: "F", FiscalCode: issuance.DemoFiscalCode, Name: "Mario Rossi"},
		Components: []issuance.Amount{{Code: "TARI", Cents: 10001, Account: &issuance.AccountingLine{Capitolo: "1011", Articolo: "3", Accertamento: "2026/7"}},
			{Code: "TEFA", Cents: 500}}}
	req, err := issuance.Request(&plan, trieste, &row)
	if err != nil {
		t.Fatal(err)
	}
	p := req.Position()
	for i := range p.Options {
		p.Options[i].IUV = string(rune('A' + i))
	}
	got, err := issuance.AccrualOf(c, &row, p)
	if err != nil {
		t.Fatal(err)
	}
	notice := func(iuv string, cents int64) issuance.AccruedNotice {
		return issuance.AccruedNotice{IUV: iuv, Transfers: []issuance.AccruedTransfer{{Index: 1, Component: "TARI", Amount: cents}}}
	}
	want := issuance.Accrual{Ente: "c_l424", EnteCF: trieste.FiscalCode, Campaign: "camp-1", IUPD: p.IUPD, Intermediary: "conc",
		Components: []issuance.AccruedComponent{{Code: "TARI", Account: issuance.AccountingLine{Capitolo: "1011", Articolo: "3", Accertamento: "2026/7"}, Amount: 10001}},
		Notices:    []issuance.AccruedNotice{notice("A", 10001), notice("B", 3334), notice("C", 3334), notice("D", 3333)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accrual (-want +got):\n%s", diff)
	}
	// A position whose options do not split as its row does is an error, never a wrong entry.
	p.Options[1].Transfers[0].Amount++
	if _, err := issuance.AccrualOf(c, &row, p); err == nil {
		t.Error("a position that does not split as its row: no error")
	}
}
