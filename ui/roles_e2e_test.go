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

// TestEnteAdminAssignsRole drives the portal in headless Chromium
// (ui/e2e/roles.mjs): Trieste's admin gives giulia.bianchi an operator role on
// the "Ruoli" page; giulia's next sign-in opens her inbox as that operator, and
// the header's choice makes her a citizen again.
func TestEnteAdminAssignsRole(t *testing.T) {
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
	cmd := exec.CommandContext(ctx, node, "roles.mjs")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "BASE_URL="+srv.url(""), "SHOTS="+os.Getenv("UI_E2E_SHOTS"), "CHROMIUM="+chromium)
	out, err := cmd.CombinedOutput()
	t.Logf("roles:\n%s", out)
	if err != nil || !strings.Contains(string(out), "\nPASS") {
		t.Fatalf("the roles page did not work (%v); sportello output:\n%s", err, tail(srv.out.String(), 4000))
	}
}
