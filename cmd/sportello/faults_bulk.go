package main

import (
	"errors"
	"strconv"
)

// parseBulk reads one count of the massive upload faults (k=v, v ≥ 0).
func (f *faults) parseBulk(k, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return errors.New("must be a count ≥ 0")
	}
	switch k {
	case "bulk-status-faults":
		f.Bulk.StatusFaults = n
	case "bulk-in-progress":
		f.Bulk.InProgressPolls = n
	case "bulk-report-missing":
		f.Bulk.ReportMissing = n
	case "bulk-upload-lost":
		f.Bulk.UploadLost = n
	case "bulk-refuse-every":
		f.Bulk.RefuseEvery = n
	}
	return nil
}
