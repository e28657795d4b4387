package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
)

// TestIssuanceAppIOView issues a TARI campaign with the App IO service of
// Trieste's TARI through the real program: once issued, every household on
// IO finds one notice in the simulator's inbox with the payment data of its
// first option, the dry run counts her as not on IO, and the API shows the counts and, as CSV, the household that
// is not on IO for paper.
func TestIssuanceAppIOView(t *testing.T) {
	p := startDev(t)
	admin, medea := p.token("admin.trieste"), p.token("op.medea")
	cr := pagopa.Creditor{FiscalCode: "00210240321", Name: "Comune di Trieste", IBAN: "IT13X0306902230100000046001"}
	plan := issuance.DemoPlan(cr, 2029)
	plan.AppIOService = "c_l424.tari"
	var camp issuance.Campaign
	if code := p.call("POST", "/api/issuances", admin, map[string]any{"plan": plan}, &camp); code != http.StatusCreated {
		t.Fatalf("create = %d %+v", code, camp)
	}
	const n = 98 // with Giulia Bianchi, 99 rows: the dry run checks them on IO
	var roll bytes.Buffer
	if err := issuance.WriteCSV(&roll, &plan, issuance.DemoRows(n, 2029)); err != nil {
		t.Fatal(err)
	}
	// Giulia Bianchi has no App IO profile in the simulator of sportello dev.
	roll.WriteString("2029,F,BNCGLI85C55L424K,Giulia Bianchi,\"Via Roma 1, 34121 Trieste\",100.00,,,,5.00,,,\n")
	code, body := p.raw("PUT", "/api/issuances/"+camp.ID+"/roll", admin, "text/csv", roll.Bytes())
	var dry issuance.DryRun
	if err := json.Unmarshal([]byte(body), &dry); code != http.StatusOK || err != nil {
		t.Fatalf("upload = %d %s", code, body)
	}
	if dry.Rows != n+1 || dry.NotOnIO == nil || *dry.NotOnIO != 1 {
		t.Errorf("dry run: %d rows, not on IO %v; want %d and 1", dry.Rows, dry.NotOnIO, n+1)
	}
	if code := p.call("POST", "/api/issuances/"+camp.ID+"/confirm", admin, nil, &camp); code != http.StatusOK {
		t.Fatalf("confirm = %d %+v", code, camp)
	}
	var rep issuance.IOReport
	deadline := time.Now().Add(2 * time.Minute)
	for {
		code := p.call("GET", "/api/issuances/"+camp.ID+"/appio", admin, nil, &rep)
		if code == http.StatusOK && rep.Notice.Sent+rep.Notice.NotOnIO == n+1 && rep.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("app io view = %d %+v", code, rep)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if !rep.Enabled || rep.Service != "c_l424.tari" || rep.Notice.Sent != n || rep.Notice.NotOnIO != 1 || rep.Paper != 1 || len(rep.Reminders) != 3 ||
		rep.Reminders[0].Kind != "reminder-7d" || rep.Reminders[0].Installment != 1 {
		t.Errorf("app io view = %+v", rep)
	}
	if code := p.call("GET", "/api/issuances/"+camp.ID+"/appio", medea, nil, nil); code != http.StatusNotFound {
		t.Errorf("Medea's operator reads Trieste's campaign on IO: %d, want 404", code)
	}
	code, csv := p.raw("GET", "/api/issuances/"+camp.ID+"/appio/paper?format=csv", admin, "", nil)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if code != http.StatusOK || len(lines) != 2 || !strings.HasPrefix(lines[1], "100,BNCGLI85C55L424K,Giulia Bianchi,") || !strings.Contains(lines[1], ",not_on_io,") {
		t.Errorf("paper CSV = %d\n%s", code, csv)
	}
	var debtors []issuance.DebtorState
	p.call("GET", "/api/issuances/"+camp.ID+"/debtors", admin, nil, &debtors)
	code, inbox := p.raw("GET", "/sim/appio/inbox/"+issuance.DemoFiscalCode, "", "", nil)
	var msgs []appio.SimMessage
	if err := json.Unmarshal([]byte(inbox), &msgs); code != http.StatusOK || err != nil || len(msgs) != 1 || msgs[0].Content.PaymentData == nil {
		t.Fatalf("Mario Rossi's inbox = %d %s", code, inbox)
	}
	pd, first := msgs[0].Content.PaymentData, debtors[0].Options[0]
	if pd.NoticeNumber != first.NoticeNumber || pd.Amount != first.Amount || pd.Payee == nil || pd.Payee.FiscalCode != cr.FiscalCode ||
		!strings.Contains(msgs[0].Content.Subject, "avviso di pagamento") {
		t.Errorf("Mario Rossi's notice = %+v, want the payment data of %+v", msgs[0].Content, first)
	}
}

// TestDemoRollNoticesSurviveKill starts sportello dev with a demo roll of
// 200 households on Trieste's TARI IO service and kills the process (SIGKILL)
// while the notices go out at the default pace: after the restart the
// workflow takes up where it was, no household finds the notice twice in
// the simulator's inbox (kept in its state file across the kill), and every
// household is accounted for (sent, or unknown if the kill fell between IO's
// answer and our record).
func TestDemoRollNoticesSurviveKill(t *testing.T) {
	const n = 200
	p := startDev(t, "--demo-roll", "200")
	admin := p.token("admin.trieste")
	var camps []issuance.Campaign
	var rep issuance.IOReport
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if p.call("GET", "/api/issuances", admin, nil, &camps); len(camps) == 1 {
			p.call("GET", "/api/issuances/"+camps[0].ID+"/appio", admin, nil, &rep)
			if rep.Notice.Sent >= 20 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo roll's notices never started: %+v %+v", camps, rep)
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.kill()
	killedAt := rep.Notice.Sent
	if killedAt >= n {
		t.Fatal("every notice was sent before the kill: nothing was restarted")
	}
	p.start()
	admin = p.token("admin.trieste")
	id := camps[0].ID
	deadline = time.Now().Add(3 * time.Minute)
	for {
		code := p.call("GET", "/api/issuances/"+id+"/appio", admin, nil, &rep)
		if code == http.StatusOK && rep.Pending == 0 && rep.Notice.Sending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart: %d %+v", code, rep)
		}
		time.Sleep(300 * time.Millisecond)
	}
	var debtors []issuance.DebtorState
	p.call("GET", "/api/issuances/"+id+"/debtors", admin, nil, &debtors)
	total, dups := 0, 0
	for _, d := range debtors {
		code, body := p.raw("GET", "/sim/appio/inbox/"+d.FiscalCode, "", "", nil)
		var msgs []appio.SimMessage
		if err := json.Unmarshal([]byte(body), &msgs); code != http.StatusOK || err != nil {
			t.Fatalf("inbox of line %d: %d %v", d.Line, code, err)
		}
		k := 0
		for _, m := range msgs {
			if strings.Contains(m.Content.Subject, "avviso di pagamento") {
				k++
			}
		}
		total += k
		if k > 1 {
			dups++
		}
	}
	nc := rep.Notice
	if len(debtors) != n || dups != 0 || nc.Sent+nc.Unknown+nc.NotOnIO+nc.Disabled != n || total < nc.Sent || total > nc.Sent+nc.Unknown {
		t.Errorf("%d debtors, %d notices in the inboxes, %d twice; counts %+v", len(debtors), total, dups, nc)
	}
	t.Logf("killed after %d notices; after the restart %+v, %d in the inboxes", killedAt, nc, total)
}
