package ui_test

import (
	"testing"
	"time"
)

// TestMonitoringCharts drives the region's monitoring in headless Chromium
// (ui/e2e/monitoring.mjs): the three charts drawn with their figures as
// tables, the filter by ente, the two CSVs, axe at both sizes in Italian and
// Slovenian.
func TestMonitoringCharts(t *testing.T) {
	srv := startBrowserTest(t)
	runScript(t, srv, "monitoring.mjs", 4*time.Minute, "the monitoring's charts failed")
}
