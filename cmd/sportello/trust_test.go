package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestForwardedForIsNotBelievedFromAnyone sends the real program 300 anonymous
// requests, each claiming another client address in X-Forwarded-For: with no
// trusted proxy configured the peer address counts, so the rate limit bites and
// the audit log records the peer, never a forged address.
func TestForwardedForIsNotBelievedFromAnyone(t *testing.T) {
	p := startDev(t)
	limited := 0
	for i := 0; i < 300; i++ {
		req, _ := http.NewRequest(http.MethodGet, p.url("/api/pratiche"), nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i%250+1))
		req.Header.Set("X-Real-IP", fmt.Sprintf("203.0.113.%d", i%250+1))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("300 requests with forged X-Forwarded-For were never rate limited")
	}
	time.Sleep(3 * time.Second) // let this address's bucket refill for the audit read
	var audit []struct {
		Address string `json:"address"`
	}
	if code := p.call("GET", "/api/audit?limit=500", p.token("admin.regione"), nil, &audit); code != http.StatusOK {
		t.Fatalf("audit = %d", code)
	}
	for _, a := range audit {
		if strings.HasPrefix(a.Address, "198.51.100.") || strings.HasPrefix(a.Address, "203.0.113.") {
			t.Fatalf("the audit log recorded a forged address %q", a.Address)
		}
	}
}

// TestTrustedProxySetting: behind a configured proxy the forwarded client
// address counts, so clients behind one proxy get a rate limit each.
func TestTrustedProxySetting(t *testing.T) {
	p := startDev(t, "--trusted-proxies", "127.0.0.0/8")
	for i := 0; i < 300; i++ {
		req, _ := http.NewRequest(http.MethodGet, p.url("/api/pratiche"), nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i%250+1))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("request %d limited: the trusted proxy's forwarded addresses were not used", i)
		}
	}
}

// jsonReceipt is a biz-events receipt of notice for the creditor org.
func jsonReceipt(id, org, notice string) string {
	return `{"receiptId":"` + id + `","noticeNumber":"` + notice + `","fiscalCode":"` + org + `","outcome":"OK","creditorReferenceId":"` + notice[1:] + `",
"paymentAmount":30.00,"description":"Prova","companyName":"Comune",
"debtor":{"entityUniqueIdentifierType":"F","entityUniqueIdentifierValue":"RSSMRA80A01L424F","fullName":"Mario Rossi"},
"transferList":[{"idTransfer":1,"transferAmount":30.00,"fiscalCodePA":"` + org + `","iban":"IT61X0306909606100000012345","remittanceInformation":"a","transferCategory":"0104102TS"}],
"idPSP":"SIMPSP","pspCompanyName":"PSP","idChannel":"SIMPSP_01","paymentDateTime":"2026-11-27","paymentDateTimeFormatted":"2026-11-27T10:00:00Z"}`
}

// TestKeysServeOnlyTheirEnti: a key of Trieste cannot deliver a receipt for
// Medea (the node's PAA_ID_DOMINIO_ERRATO, nothing stored), the intermediary's
// station key serves the enti it was made for, and an ente admin cannot mint a
// key with powers the admin lacks.
func TestKeysServeOnlyTheirEnti(t *testing.T) {
	p := startDev(t)
	region, trieste := p.token("admin.regione"), p.token("admin.trieste")
	var key struct {
		Secret string `json:"secret"`
	}
	if code := p.call("POST", "/api/enti/c_l424/apikeys", region, map[string]any{"name": "Trieste PA station", "scopes": []string{"receipt:create"}}, &key); code != http.StatusCreated {
		t.Fatalf("create key = %d", code)
	}
	post := func(secret, ct, body string) (int, string) {
		req, _ := http.NewRequest("POST", p.url(map[bool]string{true: "/api/payments/receipts/soap", false: "/api/payments/receipts"}[ct == "text/xml"]), strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-API-Key", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	anomalies := func() int {
		var out []any
		if code := p.call("GET", "/api/payments/anomalies?orgFiscalCode=00123430316", region, nil, &out); code != http.StatusOK {
			t.Fatalf("anomalies = %d", code)
		}
		return len(out)
	}
	before := anomalies()
	const medea, medeaNotice = "00123430316", "001000000000000099"
	code, body := post(key.Secret, "application/json", jsonReceipt("rx-medea-1", medea, medeaNotice))
	if code != http.StatusForbidden || !strings.Contains(body, "PAA_ID_DOMINIO_ERRATO") {
		t.Fatalf("Trieste's key delivered Medea's receipt: %d %s", code, body)
	}
	if n := anomalies(); n != before {
		t.Fatalf("a refused receipt was stored: %d anomalies, were %d", n, before)
	}
	// The ente's own receipts still go through (an unknown notice is an anomaly, not a refusal).
	if code, body := post(key.Secret, "application/json", jsonReceipt("rx-trieste-1", "00210240321", "302000000000000099")); code != http.StatusOK {
		t.Fatalf("Trieste's key on Trieste's receipt: %d %s", code, body)
	}

	// The intermediary's station key, made by the region for Trieste and Medea.
	var station struct {
		Secret string   `json:"secret"`
		Serves []string `json:"serves"`
	}
	if code := p.call("POST", "/api/enti/c_l424/apikeys", region, map[string]any{"name": "FVG-Pay station",
		"scopes": []string{"receipt:create"}, "serves": []string{"c_l424", "c_f081"}}, &station); code != http.StatusCreated || len(station.Serves) != 2 {
		t.Fatalf("station key = %d %+v", code, station)
	}
	if code, body := post(station.Secret, "application/json", jsonReceipt("rx-medea-2", medea, medeaNotice)); code != http.StatusOK {
		t.Fatalf("the station key on Medea's receipt: %d %s", code, body)
	}
	if code, body := post(station.Secret, "application/json", jsonReceipt("rx-udine-1", "00168650307", "302000000000000098")); code != http.StatusForbidden {
		t.Fatalf("the station key on Udine's receipt: %d %s", code, body)
	}
	// Only the region makes station keys.
	if code := p.call("POST", "/api/enti/c_l424/apikeys", trieste, map[string]any{"name": "mine",
		"scopes": []string{"catalog:update"}, "serves": []string{"c_l424", "c_f081"}}, nil); code != http.StatusUnprocessableEntity {
		t.Fatalf("an ente admin made a station key: %d", code)
	}
	// A key's scopes are within what its creator may do in that ente.
	for _, scopes := range [][]string{{"task:act"}, {"position:read"}, {"receipt:create"}} {
		var e struct {
			Fields []struct{ Field string } `json:"fields"`
		}
		if code := p.call("POST", "/api/enti/c_l424/apikeys", trieste, map[string]any{"name": "too much", "scopes": scopes}, &e); code != http.StatusUnprocessableEntity {
			t.Fatalf("admin.trieste minted a key with %v: %d", scopes, code)
		}
	}
	if code := p.call("POST", "/api/enti/c_l424/apikeys", trieste, map[string]any{"name": "catalog sync", "scopes": []string{"catalog:update"}}, nil); code != http.StatusCreated {
		t.Fatalf("admin.trieste cannot make a key within its rights: %d", code)
	}
}

// TestInputHygiene sends the real program bodies that encoding/json would take
// silently: each is refused naming the field, and no pratica is made.
func TestInputHygiene(t *testing.T) {
	p := startDev(t)
	mario := p.token("mario.rossi")
	send := func(ct, body string) (int, string) {
		req, _ := http.NewRequest("POST", p.url("/api/pratiche"), strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		req.Header.Set("Authorization", "Bearer "+mario)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	ok := `{"service":"c_l424.richiesta-generica","data":{}}`
	for _, tc := range []struct{ name, ct, body, field string }{
		{"no content type", "", ok, `"field":"Content-Type"`},
		{"a key twice", "application/json", `{"service":"c_l424.richiesta-generica","service":"c_f081.matrimonio","data":{}}`, `"field":"service"`},
		{"invalid UTF-8", "application/json", "{\"service\":\"c_l424.richiesta-generica\",\"data\":{\"x\":\"\xff\"}}", `"field":"body"`},
		{"a NUL", "application/json", `{"service":"c_l424.richiesta-generica\u0000","data":{}}`, `"field":"service"`},
		{"deep nesting", "application/json", `{"service":"c_l424.richiesta-generica","data":{"x":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}}`, "nests deeper"},
	} {
		code, body := send(tc.ct, tc.body)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.field) {
			t.Errorf("%s: %d %s", tc.name, code, body)
		}
	}
	var list []any
	if code := p.call("GET", "/api/pratiche", mario, nil, &list); code != http.StatusOK || len(list) != 0 {
		t.Fatalf("pratiche after refused bodies: %d %d", code, len(list))
	}
	// What is public is public on every route: the enti's master data, which
	// the catalog export gives a citizen, is readable on its own route too.
	for _, path := range []string{"/api/catalog/export", "/api/catalog/enti", "/api/catalog/enti/c_l424", "/api/catalog/enti/c_l424/units"} {
		if code := p.call("GET", path, mario, nil, nil); code != http.StatusOK {
			t.Errorf("a citizen reading %s: %d", path, code)
		}
	}
}
