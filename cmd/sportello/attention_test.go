package main

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// attentionCount reads the needs-attention counter of a payment step refused
// by GPD from the program's /metrics.
func (p *proc) attentionCount() int {
	resp, err := http.Get(p.url("/metrics"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^sportello_pratiche_needs_attention_total\{error_type="invalid",step_type="payment"\} (\d+)`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// waitAttention polls the pratica until its timeline has n needs-attention events.
func (p *proc) waitAttention(id, token string, n int) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var d detail
		if p.call("GET", "/api/pratiche/"+id, token, nil, &d) == http.StatusOK && d.Status == "needs_attention" {
			got := 0
			for _, e := range d.Timeline {
				if e.Kind == "needs_attention" {
					got++
				}
			}
			if got == n {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.t.Fatalf("pratica %s never had %d needs-attention events", id, n)
}

// TestRefusedPaymentNeedsAttention: GPD refuses every call (the pagoPA
// simulator's reject-rate fault, a 422 no retry fixes). The marriage pratica
// does not fail silently: it needs attention, the timeline says why in Italian
// and English, the office's inbox has a task offering retry / skip / cancel,
// /metrics counts it; a retry fails again, and cancelling revokes the pratica.
func TestRefusedPaymentNeedsAttention(t *testing.T) {
	p := startDev(t, "--sim-pagopa-faults", "reject-rate=1")
	citizen, operator := p.token("mario.rossi"), p.token("op.trieste")
	var started struct {
		ID string `json:"id"`
	}
	form := map[string]any{
		"sposo1": map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": "RSSMRA80A01L424F", "dataNascita": "1980-01-01"},
		"sposo2": map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": "BNCGLI85C55L424K", "dataNascita": "1985-03-15"},
		"sala":   "sala-matrimoni", "data": bookableDate(), "testimoni": 2,
	}
	if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.matrimonio", "data": form}, &started); code != http.StatusCreated {
		t.Fatalf("start = %d", code)
	}
	p.waitAttention(started.ID, citizen, 1)
	var d struct {
		StatusCode  int    `json:"statusCode"`
		StatusLabel string `json:"statusLabel"`
		Timeline    []struct {
			Kind      string `json:"kind"`
			MessageIT string `json:"messageIt"`
			MessageEN string `json:"messageEn"`
		} `json:"timeline"`
	}
	p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
	last := d.Timeline[len(d.Timeline)-1]
	if d.StatusCode != 5900 || last.Kind != "needs_attention" || !strings.Contains(last.MessageIT, "non è riuscito") ||
		!strings.Contains(last.MessageEN, "422") {
		t.Errorf("status %d %q, last event %+v", d.StatusCode, d.StatusLabel, last)
	}
	if n := p.attentionCount(); n != 1 {
		t.Errorf("needs-attention counter = %d, want 1", n)
	}
	if n := p.metric(`sportello_pratiche_needing_attention`); n != 1 {
		t.Errorf("pratiche needing attention = %d, want 1", n)
	}

	var tasks []struct {
		ID        string   `json:"id"`
		PraticaID string   `json:"praticaId"`
		Outcomes  []string `json:"outcomes"`
	}
	taskOf := func() (string, []string) {
		p.call("GET", "/api/tasks", operator, nil, &tasks)
		for _, x := range tasks {
			if x.PraticaID == started.ID {
				return x.ID, x.Outcomes
			}
		}
		t.Fatalf("no task for the pratica in the office's inbox: %+v", tasks)
		return "", nil
	}
	id, outcomes := taskOf()
	if strings.Join(outcomes, ",") != "retry,skip,cancel" {
		t.Errorf("outcomes = %v", outcomes)
	}
	var res map[string]any
	if code := p.call("POST", "/api/tasks/"+id+"/complete", operator, map[string]any{"action": "retry"}, &res); code != http.StatusOK {
		t.Fatalf("retry = %d %v", code, res)
	}
	p.waitAttention(started.ID, citizen, 2)
	if n := p.attentionCount(); n != 2 {
		t.Errorf("needs-attention counter after the retry = %d, want 2", n)
	}
	id, _ = taskOf()
	if code := p.call("POST", "/api/tasks/"+id+"/complete", operator, map[string]any{"action": "cancel", "reason": "GPD rifiuta la posizione"}, &res); code != http.StatusOK {
		t.Fatalf("cancel = %d %v", code, res)
	}
	p.waitStatus(started.ID, citizen, "revoked")
	if n := p.metric(`sportello_pratiche_needing_attention`); n != 0 {
		t.Errorf("pratiche needing attention after the cancel = %d, want 0", n)
	}
}

// metric reads one unlabelled metric of the program's /metrics.
func (p *proc) metric(name string) int {
	resp, err := http.Get(p.url("/metrics"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + name + ` (\d+)`).FindSubmatch(b)
	if m == nil {
		p.t.Fatalf("%s is not on /metrics", name)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
