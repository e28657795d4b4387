package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigPrecedence(t *testing.T) {
	cfg, err := parseConfig("server", []string{"--http-addr", ":9090"}, env(map[string]string{
		"SPORTELLO_HTTP_ADDR": ":7070", "SPORTELLO_DB_DRIVER": "postgres", "SPORTELLO_SHUTDOWN_GRACE": "3s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTPAddr != ":9090" || cfg.DBDriver != "postgres" || cfg.ShutdownGrace != 3*time.Second || cfg.DataDir != "./data" {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestConfigBadInputNamesTheSetting(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"bad bool", nil, map[string]string{"SPORTELLO_TEMPORAL_TLS": "maybe"}, "SPORTELLO_TEMPORAL_TLS"},
		{"bad int", nil, map[string]string{"SPORTELLO_WORKER_ACTIVITIES": "many"}, "SPORTELLO_WORKER_ACTIVITIES"},
		{"bad driver", nil, map[string]string{"SPORTELLO_DB_DRIVER": "mysql"}, "SPORTELLO_DB_DRIVER"},
		{"bad duration", nil, map[string]string{"SPORTELLO_SHUTDOWN_GRACE": "soon"}, "SPORTELLO_SHUTDOWN_GRACE"},
		{"bad address", nil, map[string]string{"SPORTELLO_TEMPORAL_ADDRESS": "nohost"}, "SPORTELLO_TEMPORAL_ADDRESS"},
		{"unknown flag", []string{"--colour"}, nil, "colour"},
		{"bad fault", nil, map[string]string{"SPORTELLO_SIM_PAGOPA_FAULTS": "delay=2s,chaos"}, "SPORTELLO_SIM_PAGOPA_FAULTS"},
		{"bad error rate", nil, map[string]string{"SPORTELLO_SIM_PAGOPA_FAULTS": "error-rate=2"}, "between 0 and 1"},
		{"bad flag value", []string{"--worker-workflows", "x"}, nil, "worker-workflows"},
		{"bad proxy", nil, map[string]string{"SPORTELLO_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, "SPORTELLO_TRUSTED_PROXIES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig("worker", tc.args, env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	cfg, err := parseConfig("server", nil, env(map[string]string{
		"SPORTELLO_DB_DSN": "postgres://u:topsecret@h/db", "SPORTELLO_PAGOPA_KEY": "k3y",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range cfg.Redacted() {
		if s, _ := v.(string); strings.Contains(s, "topsecret") || strings.Contains(s, "k3y") {
			t.Fatalf("secret leaked: %s", s)
		}
	}
}

func TestReadmeDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings() {
		if !strings.Contains(string(b), "`"+s.env+"`") || !strings.Contains(string(b), "`--"+s.flag+"`") {
			t.Errorf("README.md does not document %s (--%s)", s.env, s.flag)
		}
	}
}

func TestParseFaults(t *testing.T) {
	got, err := parseFaults("delay=500ms, error-rate=0.25,duplicate-receipts")
	if err != nil || got != (faults{Delay: 500 * time.Millisecond, ErrorRate: 0.25, Duplicates: true}) {
		t.Fatalf("parseFaults = %+v, %v", got, err)
	}
}
