package main

import (
	"net/http"
	"testing"
	"time"
)

// TestCampaignRunsAndDryRuns drives the identity card campaign through the
// real program: the dry run lists who would be reminded, a run reminds them,
// a dry run afterwards lists nobody already reminded, a run with other
// parameters is a run of its own (not "already running"), and a dry run of a
// service that is not this campaign is refused naming the field.
func TestCampaignRunsAndDryRuns(t *testing.T) {
	p := startDev(t)
	admin := p.token("admin.trieste")
	const q = "?ente=c_l424"
	type planned struct {
		CardNumber string `json:"cardNumber"`
	}
	dry := func(days int) []planned {
		var out []planned
		if code := p.call("POST", "/api/campaigns/cie-scadenza/dry-run"+q, admin, map[string]any{"service": "c_l424.cie-scadenza", "daysBefore": days}, &out); code != http.StatusOK {
			t.Fatalf("dry run %d: %d", days, code)
		}
		return out
	}
	if got := dry(30); len(got) != 2 {
		t.Fatalf("dry run before any run lists %d cards, want 2: %+v", len(got), got)
	}
	run := func(days int) int {
		return p.call("POST", "/api/campaigns/cie-scadenza/runs"+q, admin, map[string]any{"service": "c_l424.cie-scadenza", "daysBefore": days}, nil)
	}
	if code := run(30); code != http.StatusAccepted {
		t.Fatalf("run = %d", code)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(dry(30)) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("after the run the dry run still lists %+v", dry(30))
		}
		time.Sleep(300 * time.Millisecond)
	}
	if code := run(60); code != http.StatusAccepted {
		t.Fatalf("a run with other parameters after the first = %d, want 202", code)
	}
	var e struct {
		Error struct {
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	if code := p.call("POST", "/api/campaigns/cie-scadenza/dry-run"+q, admin, map[string]any{"service": "c_l424.matrimonio", "daysBefore": 30}, &e); code != http.StatusUnprocessableEntity ||
		len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != "service" {
		t.Fatalf("dry run of a service that is not the campaign: %d %+v", code, e)
	}
}
