package ui_test

import (
	"testing"
	"time"
)

// TestEnteAdminAssignsRole drives the portal in headless Chromium
// (ui/e2e/roles.mjs): Trieste's admin gives giulia.bianchi an operator role on
// the "Ruoli" page; giulia's next sign-in opens her inbox as that operator, and
// the header's choice makes her a citizen again.
func TestEnteAdminAssignsRole(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "roles.mjs", 2*time.Minute, "the roles page did not work")
}
