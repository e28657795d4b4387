package ui_test

import (
	"testing"
	"time"
)

// TestBrowserForms drives the demo services' forms in headless Chromium
// (ui/e2e/forms.mjs): the marriage form as a stepper, a missing nested block
// marked at each of its fields with a summary whose links move the focus,
// if/then/else requiring, showing and hiding fields, it/en/sl messages, a
// file kept across errors and sent, the operator's read-only task page, axe
// at 1280×800 and 390×844.
func TestBrowserForms(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "forms.mjs", 5*time.Minute, "the forms did not behave")
}
