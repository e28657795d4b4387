package ui_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPortalShowsFormRules drives the portal in headless Chromium
// (ui/e2e/rules.mjs) against the real program: the marriage form's rule errors
// show next to each field they concern, the date picker offers only the
// booking window, and a lowercase codice fiscale is accepted.
func TestPortalShowsFormRules(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real program and a browser; skipped with -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed for the browser test: install Node.js 20")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "playwright-core")); err != nil {
		t.Fatal("playwright-core is not installed: run `make e2e-deps` (npm ci in ui/e2e)")
	}
	srv := startDev(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "rules.mjs")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "BASE_URL="+srv.url(""), "SHOTS="+os.Getenv("UI_E2E_SHOTS"), "CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	t.Logf("rules:\n%s", out)
	if err != nil || !strings.Contains(string(out), "\nPASS") {
		t.Fatalf("the portal did not show the form's rules (%v); sportello output:\n%s", err, tail(srv.out.String(), 4000))
	}
}
