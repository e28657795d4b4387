package ui_test

import (
	"testing"
	"time"
)

// TestRoleJourneys drives one marriage pratica through the citizen's and the
// operators' pages in headless Chromium (ui/e2e/journeys.mjs): paid at the
// checkout, an integration asked and answered, reassigned by office name,
// approved, followed to the end with the receipt; axe on every page.
func TestRoleJourneys(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "journeys.mjs", 5*time.Minute, "a role's journey failed")
}
