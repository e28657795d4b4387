package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestEmailNotifyReachesCatcher runs the real program: the demo "richiesta
// generica" sends its receipt on the email channel to the address the citizen
// gave in the form, and the dev mail catcher receives it, once.
func TestEmailNotifyReachesCatcher(t *testing.T) {
	p := startDev(t)
	citizen := p.token("mario.rossi")
	var started struct {
		ID string `json:"id"`
	}
	const to = "mario.rossi@example.it"
	code := p.call("POST", "/api/pratiche", citizen, map[string]any{
		"service": "c_l424.richiesta-generica",
		"data":    map[string]any{"oggetto": "Accesso agli atti", "testo": "Chiedo copia della delibera 12/2026", "email": to},
	}, &started)
	if code != http.StatusCreated || started.ID == "" {
		t.Fatalf("start = %d %+v", code, started)
	}
	p.waitStatus(started.ID, citizen, "registered")

	type caught struct {
		From    string   `json:"from"`
		To      []string `json:"to"`
		Subject string   `json:"subject"`
		Text    string   `json:"text"`
	}
	var got []caught
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if code := p.call("GET", "/sim/mail/messages?to="+to, "", nil, &got); code == http.StatusOK && len(got) > 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(got) != 1 {
		t.Fatalf("the mail catcher holds %d messages for %s, want 1: %+v", len(got), to, got)
	}
	m := got[0]
	if m.Subject != "Richiesta ricevuta: Accesso agli atti" || !strings.Contains(m.Text, `"Accesso agli atti"`) || m.From != "noreply@localhost" {
		t.Errorf("caught message = %+v", m)
	}

	var d struct {
		Timeline []struct {
			Kind   string         `json:"kind"`
			Detail map[string]any `json:"detail"`
		} `json:"timeline"`
		Extra struct {
			Emails []struct {
				Recipient string `json:"recipient"`
				Status    string `json:"status"`
			} `json:"emails"`
		} `json:"extra"`
	}
	if code := p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d); code != http.StatusOK {
		t.Fatalf("detail = %d", code)
	}
	sent := 0
	for _, e := range d.Timeline {
		if e.Kind == "message_sent" && e.Detail["channel"] == "email" && e.Detail["outcome"] == "sent" {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("timeline has %d e-mail message_sent entries with outcome sent, want 1: %+v", sent, d.Timeline)
	}

	if e := d.Extra.Emails; len(e) != 1 || e[0].Recipient != to || e[0].Status != "sent" {
		t.Errorf("the detail's e-mails = %+v, want one sent to %s", e, to)
	}

	// The inbox page shows the message to a person.
	resp, err := http.Get(p.url("/sim/mail/inbox/" + to + "?format=html"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("inbox page = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
