package ui_test

import (
	"testing"
	"time"
)

// TestModellerJourneys drives the visual modeller in headless Chromium
// (ui/e2e/modeller.mjs): the regional designer builds a three-field form with
// a condition in the form builder (reordered by keyboard and by drag, the
// JSON tab in sync both ways), makes a template of it in the graph (a problem
// marked on its node, a step added from the palette and edited in its
// generated property form), publishes after a confirmation, runs the dry run
// (the path drawn) and reads the changed texts in the diff of two versions;
// Trieste's admin changes the marriage fee in the overlay form and the next
// pratica asks for it. Every page: axe at 1280×800 and 390×844, a screenshot,
// the modeller's labels in it/en/sl.
func TestModellerJourneys(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "modeller.mjs", 6*time.Minute, "the designer's or the ente admin's journey in the modeller failed")
}
