package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
)

// TestCampaignAccountingTwoIntermediaries runs campaign accounting through the
// real program: Trieste gains a tax concessionaire as a second intermediary
// (segregation code 47), issues one TARI roll through FVG-Pay and one through
// the concessionaire; Mario Rossi pays one notice of each; the reporting
// simulator delivers a flow per intermediary and one giornale di cassa; the
// reconciliation balances; each campaign's accounting report shows TARI
// accrued at issue and the reversale of what was paid, with its check OK
// (JSON and CSV); the day report shows both intermediaries; notices issued
// elsewhere import with errors by line and field, then once.
func TestCampaignAccountingTwoIntermediaries(t *testing.T) {
	p := startDev(t)
	admin := p.token("admin.trieste")
	var ente catalog.Ente
	if code := p.call("GET", "/api/catalog/enti/c_l424", admin, nil, &ente); code != http.StatusOK {
		t.Fatalf("ente = %d", code)
	}
	ente.Intermediaries = []catalog.Intermediary{{ID: "conc", Name: "Concessionario tributi", SegregationCode: "47", KeyRef: "pagopa/conc"}}
	body, _ := json.Marshal(ente)
	req, _ := http.NewRequest("PUT", p.url("/api/catalog/enti/c_l424"), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("If-Match", "*")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("add the intermediary: %v %v", resp.StatusCode, err)
	}

	cr := pagopa.Creditor{FiscalCode: "00210240321", Name: "Comune di Trieste", IBAN: "IT13X0306902230100000046001"}
	const n = 20
	issue := func(year int, intermediary string) (issuance.Campaign, []issuance.DebtorState) {
		t.Helper()
		plan := issuance.DemoPlan(cr, year)
		plan.Intermediary = intermediary
		var camp issuance.Campaign
		if code := p.call("POST", "/api/issuances", admin, map[string]any{"plan": plan}, &camp); code != http.StatusCreated {
			t.Fatalf("create %d = %d", year, code)
		}
		var roll bytes.Buffer
		issuance.WriteCSV(&roll, &plan, issuance.DemoRows(n, year))
		if code, b := p.raw("PUT", "/api/issuances/"+camp.ID+"/roll", admin, "text/csv", roll.Bytes()); code != http.StatusOK {
			t.Fatalf("roll = %d %s", code, b)
		}
		if code := p.call("POST", "/api/issuances/"+camp.ID+"/confirm", admin, nil, &camp); code != http.StatusOK {
			t.Fatalf("confirm = %d", code)
		}
		for deadline := time.Now().Add(90 * time.Second); camp.Status != issuance.Done; p.call("GET", "/api/issuances/"+camp.ID, admin, nil, &camp) {
			if time.Now().After(deadline) {
				t.Fatalf("campaign %d = %s %+v", year, camp.Status, camp.Progress)
			}
			time.Sleep(200 * time.Millisecond)
		}
		var debtors []issuance.DebtorState
		p.call("GET", "/api/issuances/"+camp.ID+"/debtors", admin, nil, &debtors)
		if len(debtors) != n {
			t.Fatalf("debtors %d", len(debtors))
		}
		return camp, debtors
	}
	fvg, fvgDebtors := issue(2027, "")
	conc, concDebtors := issue(2028, "conc")
	if iuv := concDebtors[0].Options[0].NoticeNumber; !strings.HasPrefix(iuv, "347") {
		t.Fatalf("the concessionaire's notice %s does not carry its segregation code 47", iuv)
	}
	p.pay(cr.FiscalCode, fvgDebtors[0].Options[0].NoticeNumber)  // the single option
	p.pay(cr.FiscalCode, concDebtors[0].Options[1].NoticeNumber) // the first installment

	day := time.Now().UTC().Format(time.DateOnly)
	next := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	var run ledger.RunReport
	for i := 0; ; i++ { // the receipts reach us asynchronously
		var docs []ledger.ImportResult
		p.call("POST", "/sim/reporting/days/"+day+"/deliver", "", nil, &docs)
		p.call("POST", "/api/reconciliation/runs?ente=c_l424", admin, map[string]any{"day": next}, &run)
		if run.Outcomes["receipt"][ledger.Reconciled] == 2 {
			kinds := map[string]int{}
			for _, d := range docs {
				if d.Ente == "c_l424" { // the Region gets its TEFA in flows of its own
					kinds[d.Kind]++
				}
			}
			if kinds["fdr"] != 2 || kinds["giornale"] != 1 {
				t.Errorf("delivered %+v, want for Trieste a flow per intermediary and one giornale", docs)
			}
			break
		}
		if i == 100 {
			t.Fatalf("run = %+v", run)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if run.Outcomes["fdr"][ledger.Reconciled] != 2 || run.Outcomes["credit"][ledger.Reconciled] != 2 {
		t.Errorf("run = %+v, want 2 flows and 2 credits reconciled", run)
	}
	var bal ledger.Balance
	p.call("GET", "/api/ledger/balance?ente=c_l424", admin, nil, &bal)
	if bal.Debit != bal.Credit {
		t.Errorf("unbalanced ledger %+v", bal)
	}

	report := func(c issuance.Campaign, want int64) {
		t.Helper()
		var got ledger.CampaignAccounting
		if code := p.call("GET", "/api/ledger/campaigns/"+c.ID+"/accounting", admin, nil, &got); code != http.StatusOK {
			t.Fatalf("accounting = %d", code)
		}
		var tari int64
		for _, r := range issuance.DemoRows(n, c.Plan.Year) {
			tari += r.Components[0].Cents
		}
		// TEFA is the Region's: only TARI is in Trieste's books.
		if !got.Check.OK || len(got.Lines) != 1 || got.Lines[0].Capitolo != "1010" || got.Lines[0].Positions != n ||
			got.Total.Issued != tari || got.Total.Accrued != tari || got.Total.Reconciled != want || got.Treasury != want {
			t.Errorf("campaign %d accounting = %+v, want %d issued and accrued, %d reconciled", c.Plan.Year, got, tari, want)
		}
		code, csv := p.raw("GET", "/api/ledger/campaigns/"+c.ID+"/accounting.csv", admin, "", nil)
		if code != http.StatusOK || !strings.HasPrefix(csv, strings.Join(ledger.CampaignAccountingCSVHeader, ";")) || !strings.Contains(csv, "VERIFICA;OK") {
			t.Errorf("accounting CSV = %d\n%s", code, csv)
		}
	}
	// Mario Rossi is the first row: the TARI part of his single option, and of his first installment.
	report(fvg, issuance.DemoRows(1, 2027)[0].Components[0].Cents)
	report(conc, issuance.Split(issuance.DemoRows(1, 2028)[0].Components[0].Cents, 3)[0])

	var dr ledger.DayReport
	p.call("GET", "/api/reconciliation/report?ente=c_l424&day="+day, admin, nil, &dr)
	got := map[string]int{}
	for _, im := range dr.Intermediaries {
		got[im.ID] = im.Counts["receipt"][ledger.Reconciled]
	}
	if got["main"] != 1 || got["conc"] != 1 {
		t.Errorf("day report by intermediary = %+v", dr.Intermediaries)
	}

	bad := "numero_avviso;importo;capitolo\n347000000000777001;12.50;3200\n3470000000007770;1x;3200\n"
	code, b := p.raw("POST", "/api/reconciliation/imports/notices", admin, "text/csv", []byte(bad))
	if code != http.StatusUnprocessableEntity || !strings.Contains(b, "line 3.numero_avviso") || !strings.Contains(b, "line 3.importo") {
		t.Errorf("bad notices = %d %s", code, b)
	}
	good := "numero_avviso;importo;capitolo\n347000000000777001;12.50;3200\n"
	for _, want := range []int{http.StatusCreated, http.StatusOK} {
		if code, b := p.raw("POST", "/api/reconciliation/imports/notices", admin, "text/csv", []byte(good)); code != want {
			t.Errorf("notices = %d %s, want %d", code, b, want)
		}
	}
}
