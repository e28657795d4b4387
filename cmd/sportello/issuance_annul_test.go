package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
)

// TestIssuanceInvalidatePosition cancels Mario Rossi's TARI position of an
// issued campaign through the real program: a reason is required, an iupd
// of no campaign position is not found, GPD (the simulator) refuses to take
// his payment afterwards, a second call answers the same state, the
// riscontri show him cancelled, the ledger's riduzione is posted once and the
// campaign accounting check stays OK; a position paid in full is a conflict.
func TestIssuanceInvalidatePosition(t *testing.T) {
	p := startDev(t)
	admin := p.token("admin.trieste")
	cr := pagopa.Creditor{FiscalCode: "00210240321", Name: "Comune di Trieste", IBAN: "IT13X0306902230100000046001"}
	plan := issuance.DemoPlan(cr, 2027)
	var camp issuance.Campaign
	if code := p.call("POST", "/api/issuances", admin, map[string]any{"plan": plan}, &camp); code != http.StatusCreated {
		t.Fatalf("create = %d", code)
	}
	const n = 5
	rows := issuance.DemoRows(n, 2027)
	var roll bytes.Buffer
	issuance.WriteCSV(&roll, &plan, rows)
	if code, b := p.raw("PUT", "/api/issuances/"+camp.ID+"/roll", admin, "text/csv", roll.Bytes()); code != http.StatusOK {
		t.Fatalf("roll = %d %s", code, b)
	}
	if code := p.call("POST", "/api/issuances/"+camp.ID+"/confirm", admin, nil, &camp); code != http.StatusOK {
		t.Fatalf("confirm = %d", code)
	}
	for deadline := time.Now().Add(90 * time.Second); camp.Status != issuance.Done; p.call("GET", "/api/issuances/"+camp.ID, admin, nil, &camp) {
		if time.Now().After(deadline) {
			t.Fatalf("campaign = %s %+v", camp.Status, camp.Progress)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var debtors []issuance.DebtorState
	p.call("GET", "/api/issuances/"+camp.ID+"/debtors", admin, nil, &debtors)
	if len(debtors) != n || debtors[0].FiscalCode != issuance.DemoFiscalCode {
		t.Fatalf("debtors = %+v", debtors)
	}
	mario := debtors[0]
	path := "/api/issuances/" + camp.ID + "/positions/" + mario.IUPD + "/invalidate"

	var e struct {
		Error struct {
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	if code := p.call("POST", path, admin, map[string]any{"reason": " "}, &e); code != http.StatusUnprocessableEntity ||
		len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "reason" {
		t.Errorf("no reason = %d %+v, want 422 naming reason", code, e)
	}
	if code := p.call("POST", "/api/issuances/"+camp.ID+"/positions/NOT-OURS/invalidate", admin, map[string]any{"reason": "x"}, nil); code != http.StatusNotFound {
		t.Errorf("an iupd not of the campaign = %d, want 404", code)
	}
	if code := p.call("POST", path, p.token("op.medea"), map[string]any{"reason": "x"}, nil); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Errorf("another ente's staff = %d", code)
	}
	for i := 0; i < 2; i++ {
		var pos pagopa.Position
		if code := p.call("POST", path, admin, map[string]any{"reason": "cessata occupazione"}, &pos); code != http.StatusOK || pos.Status != pagopa.Invalid {
			t.Fatalf("invalidate #%d = %d %+v", i+1, code, pos)
		}
	}
	// GPD has it invalid: the checkout no longer takes the notice.
	resp, err := http.PostForm(p.url("/sim/pagopa/checkout/pay"), url.Values{"org": {cr.FiscalCode},
		"notice": {mario.Options[0].NoticeNumber}, "payer": {issuance.DemoFiscalCode}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Errorf("the simulator took the payment of an invalidated notice")
	}
	p.call("GET", "/api/issuances/"+camp.ID+"/debtors?state=cancelled", admin, nil, &debtors)
	if len(debtors) != 1 || debtors[0].IUPD != mario.IUPD || debtors[0].State != issuance.StateCancelled {
		t.Errorf("cancelled debtors = %+v", debtors)
	}

	// Another debtor pays the single option in full: it cannot be cancelled.
	p.call("GET", "/api/issuances/"+camp.ID+"/debtors", admin, nil, &debtors)
	other := debtors[1]
	p.pay(cr.FiscalCode, other.Options[0].NoticeNumber)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		p.call("GET", "/api/issuances/"+camp.ID+"/debtors?state=paid", admin, nil, &debtors)
		if len(debtors) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the payment did not arrive: %+v", debtors)
		}
	}
	if code := p.call("POST", "/api/issuances/"+camp.ID+"/positions/"+other.IUPD+"/invalidate", admin, map[string]any{"reason": "x"}, nil); code != http.StatusConflict {
		t.Errorf("invalidate a paid position = %d, want 409", code)
	}

	if code, doc := p.raw("GET", "/openapi.json", "", "", nil); code != http.StatusOK || !strings.Contains(doc, "/api/issuances/{id}/positions/{iupd}/invalidate") {
		t.Errorf("the OpenAPI document lacks the route: %d", code)
	}

	var got ledger.CampaignAccounting
	if code := p.call("GET", "/api/ledger/campaigns/"+camp.ID+"/accounting", admin, nil, &got); code != http.StatusOK {
		t.Fatalf("accounting = %d", code)
	}
	var tari int64
	for _, r := range rows {
		tari += r.Components[0].Cents
	}
	reduced := rows[0].Components[0].Cents // Mario's TARI, once
	if !got.Check.OK || got.Total.Issued != tari || got.Total.Reduced != reduced || got.Total.Accrued != tari-reduced {
		t.Errorf("accounting = %+v, want %d issued, %d reduced once, check OK", got, tari, reduced)
	}
}
