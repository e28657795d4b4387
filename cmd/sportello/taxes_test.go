package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
)

// TestCitizenTaxes follows TARI online through the real program: the demo
// roll is issued at start, Mario Rossi sees his TARI (single payment and three
// installments), Giulia Bianchi sees nothing of his and the office is sent to
// the campaign; Mario pays two installments at the checkout and sees them
// paid, the single payment superseded, and downloads both receipts.
func TestCitizenTaxes(t *testing.T) {
	p := startDev(t, "--demo-roll", "30")
	mario, giulia, op := p.token("mario.rossi"), p.token("giulia.bianchi"), p.token("op.trieste")
	var mine []issuance.TaxPosition
	deadline := time.Now().Add(90 * time.Second)
	for p.call("GET", "/api/taxes", mario, nil, &mine); len(mine) == 0; p.call("GET", "/api/taxes", mario, nil, &mine) {
		if time.Now().After(deadline) {
			t.Fatalf("Mario Rossi has no TARI after the demo roll")
		}
		time.Sleep(300 * time.Millisecond)
	}
	tari := mine[0]
	year := time.Now().Year()
	if len(mine) != 1 || tari.Tax != "TARI" || tari.Year != year || tari.State != issuance.StateUnpaid || len(tari.Position.Options) != 4 {
		t.Fatalf("Mario's taxes = %+v", mine)
	}
	var states []string
	for _, o := range tari.Position.Options {
		states = append(states, o.State)
	}
	if got := strings.Join(states, ","); got != "due,due,due,due" {
		t.Errorf("option states = %s", got)
	}
	var theirs []issuance.TaxPosition
	if code := p.call("GET", "/api/taxes", giulia, nil, &theirs); code != http.StatusOK || len(theirs) != 0 {
		t.Errorf("Giulia's taxes = %d %+v, want none", code, theirs)
	}
	id := tari.PositionID
	for _, path := range []string{"/api/taxes/" + id, "/api/taxes/" + id + "/receipt"} {
		if code := p.call("GET", path, giulia, nil, nil); code != http.StatusNotFound {
			t.Errorf("Giulia GET %s = %d, want 404", path, code)
		}
	}
	if code, _ := p.raw("GET", "/api/payments/positions/"+id+"/notice", giulia, "", nil); code != http.StatusForbidden {
		t.Errorf("Giulia downloads Mario's notice: %d, want 403", code)
	}
	if code := p.call("GET", "/api/taxes", op, nil, nil); code != http.StatusForbidden {
		t.Errorf("an operator lists /api/taxes: %d, want 403", code)
	}
	if code := p.call("GET", "/api/taxes/"+id+"/receipt", mario, nil, nil); code != http.StatusNotFound {
		t.Errorf("a receipt before paying: %d, want 404", code)
	}
	if code, body := p.raw("GET", "/api/payments/positions/"+id+"/notice?lang=en", mario, "", nil); code != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("Mario's notice = %d", code)
	}

	org := tari.Position.Creditor.FiscalCode
	p.pay(org, tari.Position.Options[1].NoticeNumber)
	p.pay(org, tari.Position.Options[2].NoticeNumber)
	deadline = time.Now().Add(30 * time.Second)
	for p.call("GET", "/api/taxes/"+id, mario, nil, &tari); len(tari.Receipts) < 2; p.call("GET", "/api/taxes/"+id, mario, nil, &tari) {
		if time.Now().After(deadline) {
			t.Fatalf("receipts not recorded: %+v", tari)
		}
		time.Sleep(200 * time.Millisecond)
	}
	states = states[:0]
	for _, o := range tari.Position.Options {
		states = append(states, o.State)
	}
	if got := strings.Join(states, ","); got != "superseded,paid,paid,due" || tari.State != issuance.StatePartiallyPaid ||
		tari.Paid != tari.Position.Options[1].Amount+tari.Position.Options[2].Amount {
		t.Errorf("after two installments: %s %s paid %d", got, tari.State, tari.Paid)
	}
	for _, o := range tari.Position.Options[1:3] {
		code, body := p.raw("GET", "/api/taxes/"+id+"/receipt?notice="+o.NoticeNumber, mario, "", nil)
		if code != http.StatusOK || !strings.Contains(body, o.NoticeNumber) {
			t.Errorf("receipt of %s = %d %.200s", o.NoticeNumber, code, body)
		}
	}
	if code := p.call("GET", "/api/taxes/"+id+"/receipt", giulia, nil, nil); code != http.StatusNotFound {
		t.Errorf("Giulia downloads Mario's receipt: %d, want 404", code)
	}
}
