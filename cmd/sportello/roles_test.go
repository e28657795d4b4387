package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// TestRoleAssignedThroughTheAPI: admin.trieste makes giulia.bianchi (a citizen:
// her token carries only her fiscalNumber) an operator of the registry office
// through the API; her next request acts as that operator, she can still act as
// a citizen on request, and the revocation takes the role back.
func TestRoleAssignedThroughTheAPI(t *testing.T) {
	p := startDev(t)
	admin, giulia := p.token("admin.trieste"), p.token("giulia.bianchi")
	const cf = "BNCGLI85C55L424K"
	type me struct {
		Role, Ente, Office, ActAs string
		Choices                   []string
	}
	who := func(actAs string) (int, me) {
		req, _ := http.NewRequest(http.MethodGet, p.url("/api/me"), nil)
		req.Header.Set("Authorization", "Bearer "+giulia)
		if actAs != "" {
			req.Header.Set("X-Sportello-Act-As", actAs)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m me
		b, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m
	}
	if st := p.call("GET", "/api/tasks", giulia, nil, nil); st != http.StatusForbidden {
		t.Fatalf("giulia's inbox before the assignment: %d, want 403", st)
	}
	var ra struct {
		ID      string   `json:"id"`
		Person  string   `json:"person"`
		Offices []string `json:"offices"`
	}
	body := map[string]any{"person": "TINIT-" + cf, "role": "operator", "offices": []string{"stato-civile"}}
	if st := p.call("POST", "/api/enti/c_l424/roles", admin, body, &ra); st != http.StatusCreated || ra.Person != cf {
		t.Fatalf("assign: %d %+v", st, ra)
	}
	// An office Trieste does not have, and Medea's roles, are refused.
	if st := p.call("POST", "/api/enti/c_l424/roles", admin, map[string]any{"person": cf, "role": "ente-admin", "offices": []string{"nessuno"}}, nil); st != http.StatusUnprocessableEntity {
		t.Fatalf("unknown office: %d, want 422", st)
	}
	if st := p.call("POST", "/api/enti/c_f081/roles", admin, body, nil); st != http.StatusForbidden {
		t.Fatalf("a role in Medea by Trieste's admin: %d, want 403", st)
	}
	st, m := who("")
	if st != http.StatusOK || m.Role != "operator" || m.Ente != "c_l424" || m.Office != "stato-civile" {
		t.Fatalf("giulia after the assignment: %d %+v", st, m)
	}
	var tasks []map[string]any
	if st := p.call("GET", "/api/tasks", giulia, nil, &tasks); st != http.StatusOK {
		t.Fatalf("giulia's inbox after the assignment: %d, want 200", st)
	}
	if st, m := who("citizen"); st != http.StatusOK || m.Role != "citizen" {
		t.Fatalf("giulia acting as a citizen: %d %+v", st, m)
	}
	if st := p.call("DELETE", "/api/enti/c_l424/roles/"+ra.ID, admin, nil, nil); st != http.StatusNoContent {
		t.Fatalf("revoke: %d", st)
	}
	if st, m := who(""); st != http.StatusOK || m.Role != "citizen" {
		t.Fatalf("giulia after the revocation: %d %+v", st, m)
	}
	var audit []struct{ Action, Object, ObjectID string }
	if st := p.call("GET", "/api/audit?ente=c_l424", admin, nil, &audit); st != http.StatusOK {
		t.Fatalf("audit: %d", st)
	}
	var changes []string
	for _, a := range audit {
		if a.Object == "role" && (a.Action == "grant" || a.Action == "revoke") {
			changes = append(changes, a.Action+" "+a.ObjectID)
		}
	}
	want := []string{"grant " + cf + " operator@c_l424/stato-civile", "revoke " + cf + " operator@c_l424/stato-civile"}
	if len(changes) != 2 || changes[0] != want[0] || changes[1] != want[1] {
		t.Fatalf("audited changes %q, want %q", changes, want)
	}
}
