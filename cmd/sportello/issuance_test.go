package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
)

// TestIssuanceJourney drives a TARI campaign through the real program: the
// finance office creates it, uploads a roll with a bad row (refused with its
// line and field in the dry run), another ente's staff can neither see nor
// confirm it, the office confirms and the CLI's progress bar follows it to
// done; Mario Rossi pays two installments at the checkout and the riscontri
// show him partially paid.
func TestIssuanceJourney(t *testing.T) {
	p := startDev(t)
	admin, medea := p.token("admin.trieste"), p.token("op.medea")
	cr := pagopa.Creditor{FiscalCode: "00210240321", Name: "Comune di Trieste", IBAN: "IT13X0306902230100000046001"}
	plan := issuance.DemoPlan(cr, 2027)
	bad := plan
	bad.Components = append([]issuance.Component(nil), plan.Components...)
	bad.Components[1].Category = "9/0201999ZZ/"
	var e struct {
		Error struct {
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	if code := p.call("POST", "/api/issuances", admin, map[string]any{"plan": bad}, &e); code != http.StatusUnprocessableEntity ||
		len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != "plan.components[1].category" {
		t.Errorf("a category not in the taxonomy: %d %+v", code, e)
	}
	var camp issuance.Campaign
	if code := p.call("POST", "/api/issuances", admin, map[string]any{"plan": plan}, &camp); code != http.StatusCreated || camp.Status != issuance.Draft {
		t.Fatalf("create = %d %+v", code, camp)
	}
	const n = 300
	var roll bytes.Buffer
	if err := issuance.WriteCSV(&roll, &plan, issuance.DemoRows(n, 2027)); err != nil {
		t.Fatal(err)
	}
	roll.WriteString("2027,F,RSSMRA80A01L424X,Check sbagliato,,100.00,,,,5.00,,,\n")
	code, body := p.raw("PUT", "/api/issuances/"+camp.ID+"/roll", admin, "text/csv", roll.Bytes())
	if code != http.StatusOK {
		t.Fatalf("upload = %d %s", code, body)
	}
	var dry issuance.DryRun
	p.call("GET", "/api/issuances/"+camp.ID+"/dry-run", admin, nil, &dry)
	if dry.Rows != n || dry.Refused != 1 || len(dry.RefusedRows) != 1 || dry.RefusedRows[0].Line != n+2 || dry.RefusedRows[0].Field != "fiscal_code" ||
		len(dry.Options) != 4 || len(dry.Beneficiaries) != 2 {
		t.Fatalf("dry run = %+v", dry)
	}
	if code := p.call("GET", "/api/issuances/"+camp.ID, medea, nil, nil); code != http.StatusNotFound {
		t.Errorf("Medea's operator reads Trieste's campaign: %d, want 404", code)
	}
	if code := p.call("POST", "/api/issuances/"+camp.ID+"/confirm", medea, nil, nil); code != http.StatusForbidden {
		t.Errorf("Medea's operator confirms: %d, want 403", code)
	}
	if code := p.call("POST", "/api/issuances/"+camp.ID+"/confirm", admin, nil, &camp); code != http.StatusOK || camp.Status != issuance.Issuing {
		t.Fatalf("confirm = %d %+v", code, camp)
	}
	cli := exec.Command(p.bin, "campaign", "status", camp.ID, "--wait", "--url", p.url(""), "--token", admin)
	out, err := cli.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "done") || !strings.Contains(string(out), fmt.Sprintf("%d/%d issued", n, n)) {
		t.Fatalf("sportello campaign status --wait: %v\n%s", err, out)
	}
	p.call("GET", "/api/issuances/"+camp.ID, admin, nil, &camp)
	if camp.Status != issuance.Done || camp.Progress.Issued != n || camp.Progress.Refused != 1 {
		t.Fatalf("campaign = %s %+v", camp.Status, camp.Progress)
	}

	// The CLI's upload: a plan file and a roll file make a draft and print its dry run.
	plan28 := issuance.DemoPlan(cr, 2028)
	planJSON, _ := json.Marshal(plan28)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "plan.json"), planJSON, 0o600)
	var roll28 bytes.Buffer
	issuance.WriteCSV(&roll28, &plan28, issuance.DemoRows(5, 2028))
	os.WriteFile(filepath.Join(dir, "ruolo.csv"), roll28.Bytes(), 0o600)
	up := exec.Command(p.bin, "campaign", "upload", "--plan", filepath.Join(dir, "plan.json"), filepath.Join(dir, "ruolo.csv"), "--url", p.url(""), "--token", admin)
	if out, err := up.CombinedOutput(); err != nil || !strings.Contains(string(out), "rows: 5 valid, 0 refused") || !strings.Contains(string(out), "created (draft)") {
		t.Errorf("sportello campaign upload: %v\n%s", err, out)
	}

	var debtors []issuance.DebtorState
	p.call("GET", "/api/issuances/"+camp.ID+"/debtors", admin, nil, &debtors)
	if len(debtors) != n || debtors[0].FiscalCode != issuance.DemoFiscalCode || len(debtors[0].Options) != 4 {
		t.Fatalf("debtors: %d, first %+v", len(debtors), debtors[0])
	}
	mario := debtors[0]
	p.pay(cr.FiscalCode, mario.Options[1].NoticeNumber)
	p.pay(cr.FiscalCode, mario.Options[2].NoticeNumber)
	var sum issuance.StateSummary
	deadline := time.Now().Add(30 * time.Second)
	for p.call("GET", "/api/issuances/"+camp.ID+"/summary", admin, nil, &sum); sum.PartiallyPaid != 1; p.call("GET", "/api/issuances/"+camp.ID+"/summary", admin, nil, &sum) {
		if time.Now().After(deadline) {
			t.Fatalf("summary = %+v", sum)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if sum.Debtors != n || sum.Unpaid != n-1 || sum.AmountPaid != mario.Options[1].Amount+mario.Options[2].Amount {
		t.Errorf("summary = %+v", sum)
	}
	code, csv := p.raw("GET", "/api/issuances/"+camp.ID+"/debtors?format=csv&state=partially_paid", admin, "", nil)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if code != http.StatusOK || len(lines) != 5 || !strings.Contains(lines[2], mario.Options[1].NoticeNumber+",") || !strings.Contains(lines[2], ",true,") {
		t.Errorf("riscontri CSV = %d\n%s", code, csv)
	}
}

// TestDemoRollIssuedAtStart starts sportello dev with a small demo roll: it
// is issued in the background (Mario Rossi on it), and a restart on the same
// data issues nothing again.
func TestDemoRollIssuedAtStart(t *testing.T) {
	p := startDev(t, "--demo-roll", "200")
	admin := p.token("admin.trieste")
	list := func() []issuance.Campaign {
		var out []issuance.Campaign
		p.call("GET", "/api/issuances", admin, nil, &out)
		return out
	}
	deadline := time.Now().Add(90 * time.Second)
	for l := list(); len(l) != 1 || l[0].Status != issuance.Done; l = list() {
		if time.Now().After(deadline) {
			t.Fatalf("demo campaigns: %+v", l)
		}
		time.Sleep(300 * time.Millisecond)
	}
	camp := list()[0]
	var debtors []issuance.DebtorState
	p.call("GET", "/api/issuances/"+camp.ID+"/debtors", admin, nil, &debtors)
	if len(debtors) != 200 || debtors[0].FiscalCode != issuance.DemoFiscalCode || debtors[0].State != issuance.StateUnpaid {
		t.Fatalf("demo debtors: %d, first %+v", len(debtors), debtors[0])
	}
	p.kill()
	p.start()
	admin = p.token("admin.trieste")
	time.Sleep(2 * time.Second)
	if l := list(); len(l) != 1 {
		t.Errorf("after a restart %d demo campaigns", len(l))
	}
}
