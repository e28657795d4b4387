package sim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/store/storetest"
)

const trieteIBAN = "IT61X0306909606100000012345"

// intermediaries of Trieste in these tests: FVG-Pay issues with segregation
// code 02, a tax concessionaire with 47.
var twoIntermediaries = ledger.StaticIntermediaries{"c_l424": {
	{ID: "fvgpay", Name: "FVG-Pay", FiscalCode: "80014930327", SegregationCodes: []string{"02"}},
	{ID: "conc", Name: "Concessionario tributi", SegregationCodes: []string{"47"}},
}}

// campaignOnSim issues n TARI positions of campaign through one intermediary's
// pagoPA simulator (GPD over HTTP): two components owed to Trieste (TARI and
// an addizionale on their own accounting lines), a single option and two
// installments each. It returns the accruals issuing posts.
func campaignOnSim(t *testing.T, gpd *pagopa.Client, campaign, im, seg string, n int) []ledger.Accrual {
	t.Helper()
	var out []ledger.Accrual
	for i := 0; i < n; i++ {
		iupd := fmt.Sprintf("TARI-2026-%s-%d", campaign, i)
		tari, add := int64(10001+100*i), int64(2000)
		acc := ledger.Accrual{Ente: "c_l424", EnteCF: trieste, Campaign: campaign, IUPD: iupd, Intermediary: im, Source: ledger.SourceCampaign,
			Components: []ledger.AccrualComponent{{Code: "TARI", Capitolo: "1010", Articolo: "1", Accertamento: "2026/101", Amount: tari},
				{Code: "ADD", Capitolo: "1020", Articolo: "2", Accertamento: "2026/102", Amount: add}}}
		pos := pagopa.GPDPosition{IUPD: iupd, Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi", CompanyName: "Comune di Trieste"}
		parts := [][2]int64{{tari, add}, {tari/2 + tari%2, add / 2}, {tari / 2, add / 2}}
		for o, p := range parts {
			iuv := fmt.Sprintf("%s%015d", seg, 1000*(i+1)+o)
			tr := []pagopa.GPDTransfer{
				{IDTransfer: "1", Amount: p[0], IBAN: trieteIBAN, Category: "9/0101101IM/", RemittanceInformation: "TARI", TransferMetadata: []pagopa.GPDMetadata{}},
				{IDTransfer: "2", Amount: p[1], IBAN: trieteIBAN, Category: "9/0101101IM/", RemittanceInformation: "ADD", TransferMetadata: []pagopa.GPDMetadata{}}}
			pos.PaymentOption = append(pos.PaymentOption, pagopa.GPDOption{IUV: iuv, Amount: p[0] + p[1], Description: "TARI 2026", IsPartialPayment: o > 0,
				DueDate: time.Now().AddDate(0, 1+o, 0), Transfer: tr})
			acc.Notices = append(acc.Notices, ledger.AccrualNotice{IUV: iuv, NoticeNumber: "3" + iuv, Transfers: []ledger.AccrualTransfer{
				{Index: 1, Component: "TARI", Amount: p[0]}, {Index: 2, Component: "ADD", Amount: p[1]}}})
		}
		if _, err := gpd.CreatePosition(context.Background(), trieste, pos, true); err != nil {
			t.Fatal(err)
		}
		out = append(out, acc)
	}
	return out
}

// TestTwoIntermediariesOneLedger: Trieste issues a TARI campaign through
// FVG-Pay and another through a tax concessionaire (each with its own pagoPA
// simulator over HTTP and segregation code), and imports a notice the
// concessionaire issued elsewhere. Citizens pay through both; the reporting
// simulator delivers FdR flows per intermediary and one giornale di cassa.
// One reconciliation balances one ledger: every campaign's accruals equal
// what it issued, its reversali what reached the treasury, the day report
// shows each intermediary. A receipt twice, everything delivered again and a
// flow's new revision post nothing twice.
func TestTwoIntermediariesOneLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		simA, simB := pagosim.New(pagosim.Config{}), pagosim.New(pagosim.Config{})
		srvA, srvB := httptest.NewServer(simA), httptest.NewServer(simB)
		defer srvA.Close()
		defer srvB.Close()
		chart := ledger.StaticChart{Default: ledger.Capitolo{Capitolo: "3100", Articolo: "1"}}
		var rs fromPayments
		svc := ledger.NewService(db, ledger.DemoEntes, &rs, chart)
		svc.Intermediaries = twoIntermediaries

		// Issuing: the accertamento of every component, once however often issuing is retried.
		fvg := campaignOnSim(t, pagopa.NewClient(srvA.URL, ""), "tari-fvg", "fvgpay", "02", 3)
		conc := campaignOnSim(t, pagopa.NewClient(srvB.URL, ""), "tari-conc", "conc", "47", 3)
		for attempt, want := range []int{12, 0} {
			n, err := svc.PostAccruals(ctx, append(append([]ledger.Accrual{}, fvg...), conc...))
			if err != nil || n != want {
				t.Fatalf("accruals, attempt %d: posted %d, %v; want %d", attempt+1, n, err, want)
			}
		}
		// A notice the concessionaire issued elsewhere, imported twice.
		ext := pagopa.GPDPosition{IUPD: "EXT-1", Type: "F", FiscalCode: "VRDLGU80A01L424X", FullName: "Luigi Verdi", CompanyName: "Comune di Trieste",
			PaymentOption: []pagopa.GPDOption{{IUV: "47000000000009001", Amount: 5000, Description: "Canone", DueDate: time.Now().AddDate(0, 1, 0),
				Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: 5000, IBAN: trieteIBAN, Category: "9/0101101IM/", RemittanceInformation: "Canone", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
		if _, err := pagopa.NewClient(srvB.URL, "").CreatePosition(ctx, trieste, ext, true); err != nil {
			t.Fatal(err)
		}
		csv := "numero_avviso;importo;capitolo;articolo;accertamento;intermediario\n347000000000009001;50,00;3200;4;2026/7;conc\n"
		for i, want := range []ledger.NoticesImport{{Ente: "c_l424", Rows: 1, Added: 1}, {Ente: "c_l424", Rows: 1, Skipped: 1}} {
			got, err := svc.ImportNotices(ctx, "c_l424", strings.NewReader(csv))
			if err != nil || got != want {
				t.Fatalf("import %d: %+v, %v; want %+v", i+1, got, err, want)
			}
		}

		// Payments: the single option of debtor 0 and the first installment
		// of debtor 1 of each campaign; the imported notice.
		var paid = map[string]int64{}
		for _, c := range []struct {
			sim *pagosim.Simulator
			acc []ledger.Accrual
		}{{simA, fvg}, {simB, conc}} {
			for _, p := range [][2]int{{0, 0}, {1, 1}} {
				n := c.acc[p[0]].Notices[p[1]]
				if _, err := c.sim.Pay(ctx, trieste, n.NoticeNumber, ""); err != nil {
					t.Fatal(err)
				}
				for _, tr := range n.Transfers {
					paid[c.acc[0].Campaign+"/"+tr.Component] += tr.Amount
				}
			}
		}
		if _, err := simB.Pay(ctx, trieste, "347000000000009001", ""); err != nil {
			t.Fatal(err)
		}
		day := time.Now().In(calendar.Rome).Format(time.DateOnly)
		for _, u := range []string{srvA.URL, srvB.URL} {
			ps, err := sim.Fetch(ctx, http.DefaultClient, u, day)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.IUV != "47000000000009001" { // its receipt went to the system that issued it
					rs = append(rs, p)
				}
			}
		}
		rs = append(rs, rs[0]) // a receipt delivered twice

		h := &sim.Handler{Reporter: sim.Reporter{ABI: "02008", BankSpacing: true}, Importer: svc,
			Intermediaries: map[string]string{"fvgpay": srvA.URL, "conc": srvB.URL}}
		rep := httptest.NewServer(h)
		defer rep.Close()
		deliver := func() (flows, journals, added int) {
			t.Helper()
			resp, err := http.Post(rep.URL+"/days/"+day+"/deliver", "", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var res []ledger.ImportResult
			if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
				t.Fatalf("deliver: %d %v", resp.StatusCode, err)
			}
			for _, r := range res {
				if r.Kind == "fdr" {
					flows++
				} else {
					journals++
				}
				added += r.Added
			}
			return flows, journals, added
		}
		// 2 transfers × 4 campaign payments + 1 imported = 9 FdR lines, 2 credits.
		if flows, journals, added := deliver(); flows != 2 || journals != 1 || added != 9+2 {
			t.Fatalf("delivered %d flows, %d journals, %d lines and credits; want 2 (one per intermediary), 1 and 11", flows, journals, added)
		}
		next := time.Now().In(calendar.Rome).AddDate(0, 0, 1).Format(time.DateOnly)
		run, err := svc.Reconcile(ctx, "c_l424", next)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[ledger.Outcome]int{"receipt": {ledger.Reconciled: 5}, "fdr": {ledger.Reconciled: 2}, "credit": {ledger.Reconciled: 2}}
		if diff := cmp.Diff(want, run.Outcomes); diff != "" {
			t.Errorf("outcomes (-want +got):\n%s", diff)
		}
		if run.Posted != 5 || run.Opened != 0 {
			t.Errorf("posted %d (want 5 reversali, no accertamento: they were posted at issue) and opened %d", run.Posted, run.Opened)
		}
		var accrued, cashed int64 = 5000, 5000
		for _, a := range append(append([]ledger.Accrual{}, fvg...), conc...) {
			for _, c := range a.Components {
				accrued += c.Amount
			}
		}
		for _, v := range paid {
			cashed += v
		}
		wantBal := ledger.Balance{Debit: accrued + cashed, Credit: accrued + cashed, ByAccount: map[string]int64{
			ledger.AccountTreasury: cashed, ledger.AccountReceivable: accrued - cashed, ledger.AccountIncome: -accrued}}
		bal, err := svc.Balance(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantBal, bal); diff != "" {
			t.Errorf("one ledger for both intermediaries (-want +got):\n%s", diff)
		}
		checkCampaign := func(c []ledger.Accrual) {
			t.Helper()
			id := c[0].Campaign
			got, err := svc.CampaignAccounting(ctx, "c_l424", id)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Check.OK {
				t.Errorf("%s check: %v", id, got.Check.Problems)
			}
			var issued int64
			for _, a := range c {
				for _, x := range a.Components {
					issued += x.Amount
				}
			}
			tari, add := paid[id+"/TARI"], paid[id+"/ADD"]
			wantLines := []ledger.AccountingLineTotals{
				{Capitolo: "1010", Articolo: "1", Accertamento: "2026/101", Positions: 3, Issued: issued - 3*2000, Accrued: issued - 3*2000,
					Collected: tari, Reconciled: tari, Outstanding: issued - 3*2000 - tari},
				{Capitolo: "1020", Articolo: "2", Accertamento: "2026/102", Positions: 3, Issued: 6000, Accrued: 6000,
					Collected: add, Reconciled: add, Outstanding: 6000 - add}}
			if diff := cmp.Diff(wantLines, got.Lines); diff != "" {
				t.Errorf("%s lines (-want +got):\n%s", id, diff)
			}
			if got.Treasury != tari+add || got.LedgerTreasury != tari+add {
				t.Errorf("%s treasury %d, ledger %d; want %d", id, got.Treasury, got.LedgerTreasury, tari+add)
			}
		}
		checkCampaign(fvg)
		checkCampaign(conc)

		dr, err := svc.Report(ctx, "c_l424", day)
		if err != nil {
			t.Fatal(err)
		}
		var ims []string
		for _, im := range dr.Intermediaries {
			ims = append(ims, fmt.Sprintf("%s %s: %d receipts reconciled, %d open", im.ID, im.Name, im.Counts["receipt"][ledger.Reconciled], im.OpenExceptions))
		}
		wantIms := []string{"conc Concessionario tributi: 3 receipts reconciled, 0 open", "fvgpay FVG-Pay: 2 receipts reconciled, 0 open"}
		if diff := cmp.Diff(wantIms, ims); diff != "" {
			t.Errorf("day report by intermediary (-want +got):\n%s", diff)
		}
		// The flows and the credits are of the next day: one of each per intermediary.
		if dr, err = svc.Report(ctx, "c_l424", next); err != nil {
			t.Fatal(err)
		}
		ims = nil
		for _, im := range dr.Intermediaries {
			ims = append(ims, fmt.Sprintf("%s: %d flows, %d credits reconciled, %d open", im.ID, im.Counts["fdr"][ledger.Reconciled], im.Counts["credit"][ledger.Reconciled], im.OpenExceptions))
		}
		if diff := cmp.Diff([]string{"conc: 1 flows, 1 credits reconciled, 0 open", "fvgpay: 1 flows, 1 credits reconciled, 0 open"}, ims); diff != "" {
			t.Errorf("next day by intermediary (-want +got):\n%s", diff)
		}

		// Everything again, then a new revision of a flow: nothing posted twice.
		if _, _, added := deliver(); added != 0 {
			t.Errorf("delivered again: added %d", added)
		}
		var all []sim.Payment
		for im, u := range map[string]string{"fvgpay": srvA.URL, "conc": srvB.URL} {
			ps, _ := sim.Fetch(ctx, http.DefaultClient, u, day)
			for i := range ps {
				ps[i].Intermediary = im
			}
			all = append(all, ps...)
		}
		out, err := h.Reporter.Report(day, all)
		if err != nil {
			t.Fatal(err)
		}
		flow := out.Flows[0]
		flow.Revision++
		flow.PSPName = "PSP renamed"
		if res, err := svc.ImportFlow(ctx, "", flow, "json"); err != nil || !res.Replaced {
			t.Fatalf("revision: %+v, %v", res, err)
		}
		again, err := svc.Reconcile(ctx, "c_l424", next)
		if err != nil || again.Posted != 0 || again.Opened != 0 {
			t.Errorf("after the revision: %+v, %v; want nothing posted or opened", again, err)
		}
		if bal2, _ := svc.Balance(ctx, "c_l424"); !cmp.Equal(bal, bal2) {
			t.Errorf("balance changed: %+v", bal2)
		}
		checkCampaign(fvg)
	})
}
