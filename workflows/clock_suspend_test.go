package workflows_test

import (
	"testing"
	"time"

	"github.com/sportello/sportello/pratica"
)

// TestSuspendedTermCarriesItsRemainder: the projection of a suspended pratica
// carries the days its term kept (Tuesday 24 November, due Thursday 26: two),
// so the status API can show them; once resumed it carries none.
func TestSuspendedTermCarriesItsRemainder(t *testing.T) {
	p := marriagePlan()
	p.Start = "domanda"
	p.Steps["domanda"].Next = "deadline"
	h := newHarness(t, p)
	h.act(26*time.Hour, operator, "request_integration", nil, "manca il documento")
	h.act(11*24*time.Hour, citizen, "integrate", map[string]any{"documento": "ok"}, "")
	h.act(12*24*time.Hour, operator, "approve", nil, "")
	if got := h.run(nil); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	var suspended, resumed *pratica.Transition
	for i, tr := range h.f.transitions {
		switch tr.Kind {
		case "integration_requested":
			suspended = &h.f.transitions[i]
		case "integration_submitted":
			resumed = &h.f.transitions[i]
		}
	}
	if suspended == nil || suspended.Remaining == nil || *suspended.Remaining != 2 {
		t.Fatalf("suspension carries remaining %v, want 2: %+v", suspended.Remaining, suspended)
	}
	if resumed == nil || resumed.Remaining != nil {
		t.Errorf("resumption carries remaining %v, want none", resumed.Remaining)
	}
}
