package main

import (
	"fmt"
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
