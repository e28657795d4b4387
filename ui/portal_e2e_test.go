package ui_test

import (
	"testing"
	"time"
)

// TestPortalPages drives the portal in headless Chromium (ui/e2e/portal.mjs):
// a citizen submits a pratica with the keyboard only, then every demo user's
// pages are checked with axe-core at 1280×800 and 390×844 (no violation of any
// impact), and in Italian, English and Slovenian for texts of another language
// and internal codes; each visit leaves a screenshot (UI_E2E_SHOTS, else
// ui/e2e/screenshots/portal).
func TestPortalPages(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "portal.mjs", 8*time.Minute, "a page failed axe, the keyboard journey or the language check")
}
