package ui_test

import (
	"testing"
	"time"
)

// TestPortalAttachmentsAndInbox drives the portal in headless Chromium
// (ui/e2e/attach.mjs) against the real program: a citizen attaches a file to
// a form (a file that is not what its name says is refused next to the
// field) and finds it on the pratica; the operator sorts the inbox table by
// applicant both ways, searches and filters it, opens a task whose data and
// file show read-only, and sees a missing reason refused next to its field.
func TestPortalAttachmentsAndInbox(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "attach.mjs", 3*time.Minute, "the portal's attachments and inbox journey did not reach PASS")
}
