package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestReceiptAndInboxColumns runs the real program: once the marriage fee is
// paid the citizen downloads the receipt (the RT as the node sent it) from
// the pratica, nobody else can; the operator's inbox shows the task with its
// service, applicant, office, state, deadline and days left, filters and
// searches it, and refuses an unknown sort naming the parameter.
func TestReceiptAndInboxColumns(t *testing.T) {
	p := startDev(t)
	mario, giulia, trieste, medea := p.token("mario.rossi"), p.token("giulia.bianchi"), p.token("op.trieste"), p.token("op.medea")
	var started struct {
		ID string `json:"id"`
	}
	form := map[string]any{
		"sposo1":    map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": "RSSMRA80A01L424F", "dataNascita": "1980-01-01"},
		"sposo2":    map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": "BNCGLI85C55L424K", "dataNascita": "1985-03-15"},
		"sala":      "sala-matrimoni",
		"data":      bookableDate(),
		"testimoni": 2,
	}
	if code := p.call("POST", "/api/pratiche", mario, map[string]any{"service": "c_l424.matrimonio", "data": form}, &started); code != http.StatusCreated {
		t.Fatalf("start = %d", code)
	}
	p.waitStatus(started.ID, mario, "payment_pending")
	receipt := "/api/pratiche/" + started.ID + "/receipt"
	if code, _, _ := p.fetch("GET", receipt, mario, "", nil); code != http.StatusNotFound {
		t.Errorf("receipt before paying = %d, want 404", code)
	}
	var d struct {
		Extra struct {
			Payments []struct {
				Creditor struct {
					FiscalCode string `json:"fiscalCode"`
				} `json:"creditor"`
				Options []struct {
					NoticeNumber string `json:"noticeNumber"`
				} `json:"options"`
			} `json:"payments"`
		} `json:"extra"`
	}
	p.call("GET", "/api/pratiche/"+started.ID, mario, nil, &d)
	if len(d.Extra.Payments) != 1 {
		t.Fatalf("payments = %+v", d.Extra.Payments)
	}
	notice := d.Extra.Payments[0].Options[0].NoticeNumber
	p.pay(d.Extra.Payments[0].Creditor.FiscalCode, notice)
	p.waitStatus(started.ID, mario, "registered")

	code, body, h := p.fetch("GET", receipt, mario, "", nil)
	if code != http.StatusOK || !bytes.Contains(body, []byte(notice[1:])) || !strings.Contains(h.Get("Content-Disposition"), "ricevuta-"+notice) {
		t.Errorf("receipt = %d %s %q", code, h.Get("Content-Disposition"), body[:min(len(body), 200)])
	}
	for name, tok := range map[string]string{"another citizen": giulia, "another ente's operator": medea} {
		if code, _, _ := p.fetch("GET", receipt, tok, "", nil); code != http.StatusForbidden {
			t.Errorf("%s downloads the receipt = %d, want 403", name, code)
		}
	}

	type row struct {
		ID        string `json:"id"`
		PraticaID string `json:"praticaId"`
		Service   string `json:"service"`
		Applicant string `json:"applicant"`
		Office    string `json:"office"`
		State     string `json:"state"`
		Deadline  string `json:"deadline"`
		DaysLeft  *int   `json:"daysLeft"`
	}
	inbox := func(query string) []row {
		t.Helper()
		var out []row
		if code := p.call("GET", "/api/tasks"+query, trieste, nil, &out); code != http.StatusOK {
			t.Fatalf("inbox%s = %d", query, code)
		}
		return out
	}
	var mine *row
	for _, r := range inbox("?service=c_l424.matrimonio&q=rossi&sort=-deadline") {
		if r.PraticaID == started.ID {
			mine = &r
		}
	}
	if mine == nil || mine.Service != "c_l424.matrimonio" || !strings.Contains(strings.ToLower(mine.Applicant), "rossi") ||
		mine.Office == "" || mine.State != "open" || mine.Deadline == "" || mine.DaysLeft == nil {
		t.Fatalf("the task in the inbox = %+v", mine)
	}
	if got := inbox("?q=" + started.ID[:8]); len(got) != 1 || got[0].PraticaID != started.ID {
		t.Errorf("search by pratica id = %+v", got)
	}
	if got := inbox("?service=c_l424.tari"); len(got) != 0 {
		t.Errorf("another service's filter lists %+v", got)
	}
	if got := inbox("?overdue=true"); len(got) != 0 {
		t.Errorf("nothing is overdue yet, the inbox lists %+v", got)
	}
	var bad apiError
	if code := p.call("GET", "/api/tasks?sort=owner", trieste, nil, &bad); code != http.StatusUnprocessableEntity || strings.Join(bad.fields(), ",") != "sort" {
		t.Errorf("unknown sort = %d %+v, want 422 naming sort", code, bad)
	}
}
