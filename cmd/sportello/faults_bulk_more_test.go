package main

import (
	"testing"

	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
)

func TestParseBulkUploadFaults(t *testing.T) {
	got, err := parseFaults("bulk-upload-lost=1,bulk-refuse-every=50")
	if err != nil || got.Bulk != (pagosim.BulkFaults{UploadLost: 1, RefuseEvery: 50}) {
		t.Fatalf("parseFaults = %+v, %v", got, err)
	}
	if _, err := parseFaults("bulk-refuse-every=-2"); err == nil {
		t.Error("a negative count accepted")
	}
}
