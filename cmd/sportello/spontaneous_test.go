package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// TestSpontaneousPaymentsFollowTheCatalog pays services on the citizen's own
// initiative through the real program: the catalog's fee rule prices them (a
// meal by ISEE band × quantity, public land per square metre), quantities are
// bounded, a service offered only at the front desk is refused, and the
// example of the OpenAPI document works as written.
func TestSpontaneousPaymentsFollowTheCatalog(t *testing.T) {
	p := startDev(t)
	mario := p.token("mario.rossi")
	type position struct {
		Options []struct {
			Amount int64 `json:"amount"`
		} `json:"options"`
	}
	type failure struct {
		Error struct {
			Reason string `json:"reason"`
			Fields []struct {
				Field string `json:"field"`
			} `json:"fields"`
		} `json:"error"`
	}
	var pos position
	if code := p.call("POST", "/api/payments/spontaneous", mario, map[string]any{"serviceId": "c_l424.mensa", "quantity": 10, "band": "C"}, &pos); code != http.StatusCreated || pos.Options[0].Amount != 5200 {
		t.Fatalf("ten meals of band C: %d %+v, want 52.00 €", code, pos)
	}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		code  int
		field string
	}{
		{"negative quantity", map[string]any{"serviceId": "c_l424.mensa", "quantity": -10, "band": "C"}, 422, "quantity"},
		{"huge quantity", map[string]any{"serviceId": "c_l424.mensa", "quantity": 1e12, "band": "C"}, 422, "quantity"},
		{"no band", map[string]any{"serviceId": "c_l424.mensa", "quantity": 10}, 422, "band"},
		{"a stated amount on a priced service", map[string]any{"serviceId": "c_l424.suolo-pubblico", "quantity": 12, "amount": 1}, 422, "amount"},
		{"a quantity on a fixed fee", map[string]any{"serviceId": "c_l424.matrimonio", "quantity": 10}, 422, "quantity"},
		{"front desk only", map[string]any{"serviceId": "c_f081.matrimonio"}, 409, ""},
	} {
		var f failure
		code := p.call("POST", "/api/payments/spontaneous", mario, tc.body, &f)
		field := ""
		if len(f.Error.Fields) > 0 {
			field = f.Error.Fields[0].Field
		}
		if code != tc.code || field != tc.field || (tc.code == 409 && f.Error.Reason != "not_online") {
			t.Errorf("%s: %d %+v, want %d naming %q", tc.name, code, f, tc.code, tc.field)
		}
	}

	// The request example of the OpenAPI document, sent as it is.
	resp, err := http.Get(p.url("/openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Example map[string]any `json:"example"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	ex := doc.Paths["/api/payments/spontaneous"]["post"].RequestBody.Content["application/json"].Example
	if ex == nil {
		t.Fatalf("no example in the OpenAPI document: %s", b[:200])
	}
	if code := p.call("POST", "/api/payments/spontaneous", mario, ex, &pos); code != http.StatusCreated || pos.Options[0].Amount != 1800 {
		t.Fatalf("the OpenAPI example %v: %d %+v, want 12 m² at 1.50 €", ex, code, pos)
	}
}
