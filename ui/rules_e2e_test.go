package ui_test

import (
	"testing"
	"time"
)

// TestPortalShowsFormRules drives the portal in headless Chromium
// (ui/e2e/rules.mjs) against the real program: the marriage form's rule errors
// show next to each field they concern, the date picker offers only the
// booking window, and a lowercase codice fiscale is accepted.
func TestPortalShowsFormRules(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "rules.mjs", 2*time.Minute, "the portal did not show the form's rules")
}
