package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// raw sends body as it is (no JSON marshalling) and returns the status and the answer.
func (p *proc) raw(method, path, token, contentType string, body []byte) (int, string) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, p.url(path), r)
	if err != nil {
		p.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHygiene checks, against the real program, that overlays are stored only
// for enti that exist with values their template declares, that unit codes in
// paths are checked, and that oversized imports answer 413 before parsing.
func TestHygiene(t *testing.T) {
	p := startDev(t)
	region, trieste, op := p.token("admin.regione"), p.token("admin.trieste"), p.token("op.trieste")
	overlay := func(values string) []byte {
		return []byte(`{"baseVersion":1,"values":{` + values + `}}`)
	}
	put := func(ente, tok string, body []byte) (int, string) {
		return p.raw("PUT", "/api/modeler/overlays/"+ente+"/matrimonio", tok, "application/json", body)
	}
	tariffa := func(ente string) float64 {
		var o struct {
			Values map[string]any `json:"values"`
		}
		if code := p.call("GET", "/api/modeler/overlays/"+ente+"/matrimonio", region, nil, &o); code != http.StatusOK {
			t.Fatalf("GET overlay of %s = %d", ente, code)
		}
		f, _ := o.Values["tariffa"].(float64)
		return f
	}

	t.Run("overlay of an ente that does not exist", func(t *testing.T) {
		for _, ente := range []string{"nessuno", "c_l424%20", "%00x", strings.Repeat("z", 300)} {
			code, body := put(ente, region, overlay(`"tariffa":12000`))
			if code != http.StatusNotFound && code != http.StatusUnprocessableEntity || !strings.Contains(body, "ente") {
				t.Errorf("PUT overlay of %q = %d %s, want 404/422 naming ente", ente, code, body)
			}
		}
		var list []map[string]any
		p.call("GET", "/api/modeler/overlays/nessuno", region, nil, &list)
		if len(list) != 0 {
			t.Errorf("overlays of nessuno: %v", list)
		}
	})

	t.Run("percent-encoded ente is the same ente", func(t *testing.T) {
		if code, body := put("c%5Fl424", region, overlay(`"tariffa":16000,"iban":"IT90G0200802242000105898765","ufficio":"stato-civile"`)); code != http.StatusOK {
			t.Fatalf("PUT encoded = %d %s", code, body)
		}
		if got := tariffa("c_l424"); got != 16000 {
			t.Errorf("tariffa of c_l424 = %v, want 16000 (saved through c%%5Fl424)", got)
		}
		var list []struct {
			Ente string `json:"ente"`
		}
		p.call("GET", "/api/modeler/overlays/c_l424", region, nil, &list)
		for _, o := range list {
			if o.Ente != "c_l424" {
				t.Errorf("overlay stored under %q", o.Ente)
			}
		}
	})

	t.Run("values checked on save", func(t *testing.T) {
		big := strings.Repeat("u", 1<<20)
		cases := []struct{ name, values, field string }{
			{"unknown parameter", `"nonEsiste":1`, "values/nonEsiste"},
			{"wrong type", `"tariffa":"cento"`, "values/tariffa"},
			{"out of range", `"tariffa":999999999`, "values/tariffa"},
			{"huge office", `"ufficio":"` + big + `"`, "values/ufficio"},
			{"office not of the ente", `"ufficio":"non-esiste"`, "values/ufficio"},
			{"nul", `"ufficio":"stato\u0000civile"`, "ufficio"},
			{"lone surrogate", `"ufficio":"stato\ud800civile"`, "values/ufficio"},
			{"1e308 witnesses", `"campiAggiuntivi":{"testimoni":{"type":"integer","minimum":2,"maximum":1e308}}`, "values/campiAggiuntivi"},
			{"field schema not a schema", `"campiAggiuntivi":{"testimoni":{"type":"numero"}}`, "values/campiAggiuntivi"},
		}
		before := tariffa("c_l424")
		for _, tc := range cases {
			code, body := put("c_l424", trieste, overlay(tc.values))
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.field) {
				if len(body) > 300 {
					body = body[:300]
				}
				t.Errorf("%s: %d %s, want 422 naming %s", tc.name, code, body, tc.field)
			}
		}
		code, body := p.raw("PUT", "/api/modeler/overlays/c_l424/matrimonio", trieste, "application/json", []byte("null"))
		if code != http.StatusUnprocessableEntity {
			t.Errorf("null body: %d %s, want 422", code, body)
		}
		if got := tariffa("c_l424"); got != before {
			t.Errorf("tariffa after refused saves = %v, want %v", got, before)
		}
	})

	t.Run("delete an overlay", func(t *testing.T) {
		if code, _ := p.raw("DELETE", "/api/modeler/overlays/c_l424/matrimonio", op, "", nil); code != http.StatusForbidden {
			t.Errorf("operator DELETE = %d, want 403", code)
		}
		if code, body := p.raw("DELETE", "/api/modeler/overlays/c_f081/matrimonio", trieste, "", nil); code != http.StatusForbidden {
			t.Errorf("admin.trieste DELETE of Medea's = %d %s, want 403", code, body)
		}
		if code, body := p.raw("DELETE", "/api/modeler/overlays/c_l424/matrimonio", trieste, "", nil); code != http.StatusNoContent {
			t.Fatalf("DELETE = %d %s, want 204", code, body)
		}
		if code := p.call("GET", "/api/modeler/overlays/c_l424/matrimonio", region, nil, nil); code != http.StatusNotFound {
			t.Errorf("GET after DELETE = %d, want 404", code)
		}
		if code, _ := p.raw("DELETE", "/api/modeler/overlays/c_l424/matrimonio", region, "", nil); code != http.StatusNotFound {
			t.Errorf("second DELETE = %d, want 404", code)
		}
		var audit []struct {
			Action string `json:"action"`
			Object string `json:"object"`
			Path   string `json:"path"`
		}
		p.call("GET", "/api/audit?ente=c_l424", trieste, nil, &audit)
		found := false
		for _, a := range audit {
			found = found || a.Object == "overlay" && a.Action == "delete"
		}
		if !found {
			t.Errorf("no overlay delete in the audit log: %+v", audit)
		}
	})

	t.Run("unit codes in paths", func(t *testing.T) {
		unit := []byte(`{"name":"Ufficio prova"}`)
		for _, code := range []string{"a%20b", "%00", strings.Repeat("z", 300), "x%3Cscript%3E", "..%2F.."} {
			st, body := p.raw("PUT", "/api/catalog/enti/c_l424/units/"+code, trieste, "application/json", unit)
			if st != http.StatusUnprocessableEntity && st != http.StatusNotFound || !strings.Contains(body, "code") {
				t.Errorf("PUT unit %q = %d %s, want 422 naming code", code, st, body)
			}
		}
		if st, body := p.raw("DELETE", "/api/catalog/enti/c_l424/units/non-esiste", trieste, "", nil); st != http.StatusNotFound {
			t.Errorf("DELETE a unit that does not exist = %d %s, want 404", st, body)
		}
		if st, body := p.raw("PUT", "/api/catalog/enti/nessuno/units/prova", region, "application/json", unit); st != http.StatusNotFound {
			t.Errorf("PUT a unit of an ente that does not exist = %d %s, want 404", st, body)
		}
	})

	t.Run("oversized imports answer 413", func(t *testing.T) {
		huge := bytes.Repeat([]byte("<a>x</a>"), 20<<20/8)
		xml := append(append([]byte(`<?xml version="1.0" encoding="UTF-8"?><r>`), huge...), []byte("</r>")...)
		jsonBody, _ := json.Marshal(map[string]string{"x": string(bytes.Repeat([]byte("x"), 20<<20))})
		routes := []struct {
			path, ct string
			body     []byte
		}{
			{"/api/reconciliation/imports/fdr?ente=c_l424", "application/xml", xml},
			{"/api/reconciliation/imports/giornale?ente=c_l424", "application/xml", xml},
			{"/api/catalog/taxonomy/import", "application/json", jsonBody},
			{"/api/catalog/import", "application/json", jsonBody},
			{"/api/catalog/enti/c_l424/units/import", "text/csv", huge},
		}
		for _, r := range routes {
			st, body := p.raw("POST", r.path, region, r.ct, r.body)
			if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "MB") {
				if len(body) > 300 {
					body = body[:300]
				}
				t.Errorf("POST %s (%d bytes) = %d %s, want 413 naming the limit", r.path, len(r.body), st, body)
			}
		}
	})

	t.Run("the notice names the debtor by name", func(t *testing.T) {
		citizen := p.token("mario.rossi")
		form := marriageForm()
		var started struct {
			ID string `json:"id"`
		}
		if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.matrimonio", "data": form}, &started); code != http.StatusCreated {
			t.Fatalf("start = %d", code)
		}
		p.waitStatus(started.ID, citizen, "payment_pending")
		var d struct {
			Extra struct {
				Payments []struct {
					Debtor struct {
						FiscalCode string `json:"fiscalCode"`
						FullName   string `json:"fullName"`
					} `json:"debtor"`
				} `json:"payments"`
			} `json:"extra"`
		}
		p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
		if len(d.Extra.Payments) != 1 {
			t.Fatalf("payments = %+v", d.Extra.Payments)
		}
		if got := d.Extra.Payments[0].Debtor; got.FullName != "Mario Rossi" || got.FiscalCode != "RSSMRA80A01L424F" {
			t.Errorf("debtor = %+v, want Mario Rossi, RSSMRA80A01L424F", got)
		}
	})
}
