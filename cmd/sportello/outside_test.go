package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestServerAndWorkerNeedTheOutsideSystems: outside sportello dev no simulator
// is mounted, so a server or worker without the identity broker, the pagoPA
// intermediary or App IO must refuse to start, naming the setting, instead of
// calling routes nobody serves.
func TestServerAndWorkerNeedTheOutsideSystems(t *testing.T) {
	all := map[string]string{
		"SPORTELLO_DB_DRIVER":        "postgres",
		"SPORTELLO_OIDC_ISSUER":      "https://login.example.it",
		"SPORTELLO_PAGOPA_URL":       "https://api.example.it/gpd/api/v1",
		"SPORTELLO_APPIO_URL":        "https://api.io.example.it/api/v1",
		"SPORTELLO_TEMPORAL_ADDRESS": "127.0.0.1:1",
	}
	for _, tc := range []struct {
		cmd, unset string
	}{
		{"server", "SPORTELLO_OIDC_ISSUER"},
		{"server", "SPORTELLO_PAGOPA_URL"},
		{"server", "SPORTELLO_APPIO_URL"},
		{"worker", "SPORTELLO_PAGOPA_URL"},
		{"worker", "SPORTELLO_APPIO_URL"},
	} {
		t.Run(tc.cmd+" without "+tc.unset, func(t *testing.T) {
			e := map[string]string{}
			for k, v := range all {
				if k != tc.unset {
					e[k] = v
				}
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{tc.cmd}, env(e), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tc.unset) || strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0 {
				t.Fatalf("exit %d, stderr %q; want 2 and one line naming %s", code, stderr.String(), tc.unset)
			}
		})
	}
}

// TestHealthcheckAsksReadyz: the container healthcheck (`sportello
// healthcheck`) passes only when /readyz of the server on SPORTELLO_HTTP_ADDR
// answers 200, unlike `sportello version`, which always passed.
func TestHealthcheckAsksReadyz(t *testing.T) {
	var ready atomic.Bool
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if !ready.Load() {
			http.Error(w, "temporal: not connected", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ready")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	check := func() (int, string) {
		var stdout, stderr bytes.Buffer
		code := run([]string{"healthcheck"}, env(map[string]string{"SPORTELLO_HTTP_ADDR": fmt.Sprintf(":%d", port)}), &stdout, &stderr)
		return code, stderr.String()
	}
	if code, out := check(); code != 1 || !strings.Contains(out, "503") {
		t.Errorf("not ready: exit %d %q, want 1 naming the status", code, out)
	}
	ready.Store(true)
	if code, out := check(); code != 0 {
		t.Errorf("ready: exit %d %q, want 0", code, out)
	}
	srv.Close()
	if code, _ := check(); code != 1 {
		t.Errorf("no server: exit %d, want 1", code)
	}
}
