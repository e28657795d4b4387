package main

import (
	"net/http"
	"testing"
)

type inboxTask struct {
	ID        string `json:"id"`
	PraticaID string `json:"praticaId"`
	Office    string `json:"office"`
	State     string `json:"state"`
	ClaimedBy string `json:"claimedBy"`
}

// inboxOf returns the task of pratica in the inbox of the holder of token, or nil.
func (p *proc) inboxOf(token, pratica string) *inboxTask {
	var tasks []inboxTask
	if code := p.call("GET", "/api/tasks", token, nil, &tasks); code != http.StatusOK {
		p.t.Fatalf("inbox = %d", code)
	}
	for _, t := range tasks {
		if t.PraticaID == pratica {
			return &t
		}
	}
	return nil
}

// TestReassignedTaskMovesInbox drives the operator inbox of the real program:
// claiming goes through the pratica's workflow (the timeline shows it), and a
// task reassigned to another office leaves the old office's inbox and appears
// in the new one's, whose operator claims and completes it.
func TestReassignedTaskMovesInbox(t *testing.T) {
	p := startDev(t)
	citizen, trieste, prot := p.token("mario.rossi"), p.token("op.trieste"), p.token("op.protocollo")
	var started struct {
		ID string `json:"id"`
	}
	if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.richiesta-generica",
		"data": map[string]any{"oggetto": "Accesso agli atti", "testo": "Chiedo copia della delibera 12/2026"}}, &started); code != http.StatusCreated {
		t.Fatalf("start = %d", code)
	}
	p.waitStatus(started.ID, citizen, "registered")

	task := p.inboxOf(trieste, started.ID)
	if task == nil {
		t.Fatal("the task is not in the stato civile inbox")
	}
	var claimed inboxTask
	if code := p.call("POST", "/api/tasks/"+task.ID+"/claim", trieste, nil, &claimed); code != http.StatusOK ||
		claimed.State != "claimed" || claimed.ClaimedBy != "op.trieste" {
		t.Fatalf("claim = %d %+v", code, claimed)
	}
	if code := p.call("POST", "/api/tasks/"+task.ID+"/claim", prot, nil, nil); code != http.StatusConflict {
		t.Errorf("claiming a task someone holds = %d, want 409", code)
	}
	d := p.waitStatus(started.ID, citizen, "in_charge")
	if !hasKind(d, "taken_in_charge") {
		t.Errorf("the claim is not on the timeline: %+v", d.Timeline)
	}

	var res map[string]any
	var bad struct {
		Error struct {
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	if code := p.call("POST", "/api/pratiche/"+started.ID+"/actions", trieste, map[string]any{
		"action": "reassign", "data": map[string]any{"office": "ufficio-inesistente"}}, &bad); code != http.StatusUnprocessableEntity ||
		len(bad.Error.Fields) != 1 || bad.Error.Fields[0].Field != "data.office" {
		t.Errorf("reassign to an office Trieste does not have = %d %+v, want 422 naming data.office", code, bad)
	}
	if code := p.call("POST", "/api/pratiche/"+started.ID+"/actions", trieste, map[string]any{
		"action": "reassign", "data": map[string]any{"office": "protocollo"}, "reason": "competenza del protocollo"}, &res); code != http.StatusOK {
		t.Fatalf("reassign = %d %v", code, res)
	}
	if got := p.inboxOf(trieste, started.ID); got != nil {
		t.Errorf("the old office still sees the task: %+v", got)
	}
	if code := p.call("POST", "/api/tasks/"+task.ID+"/complete", trieste, map[string]any{"action": "acknowledge"}, nil); code != http.StatusForbidden {
		t.Errorf("the old office completes the task: %d, want 403", code)
	}
	moved := p.inboxOf(prot, started.ID)
	if moved == nil || moved.Office != "protocollo" || moved.State != "open" || moved.ID != task.ID {
		t.Fatalf("the protocollo inbox shows %+v", moved)
	}
	if code := p.call("POST", "/api/tasks/"+task.ID+"/claim", prot, nil, &claimed); code != http.StatusOK || claimed.ClaimedBy != "op.protocollo" {
		t.Fatalf("claim by the new office = %d %+v", code, claimed)
	}
	if code := p.call("POST", "/api/tasks/"+task.ID+"/complete", prot, map[string]any{"action": "acknowledge"}, &res); code != http.StatusOK {
		t.Fatalf("complete by the new office = %d %v", code, res)
	}
	d = p.waitStatus(started.ID, citizen, "completed")
	if !hasKind(d, "reassigned") {
		t.Errorf("the reassignment is not on the timeline: %+v", d.Timeline)
	}
}

func hasKind(d detail, kind string) bool {
	for _, e := range d.Timeline {
		if e.Kind == kind {
			return true
		}
	}
	return false
}
