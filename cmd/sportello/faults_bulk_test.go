package main

import (
	"testing"

	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
)

func TestParseBulkFaults(t *testing.T) {
	got, err := parseFaults("bulk-status-faults=2, bulk-in-progress=3,bulk-report-missing=1,delay=1ms")
	if err != nil || got.Bulk != (pagosim.BulkFaults{StatusFaults: 2, InProgressPolls: 3, ReportMissing: 1}) {
		t.Fatalf("parseFaults = %+v, %v", got, err)
	}
	for _, bad := range []string{"bulk-in-progress=-1", "bulk-status-faults=x", "bulk-report-missing"} {
		if _, err := parseFaults(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
