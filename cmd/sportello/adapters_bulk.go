package main

import (
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
)

// issuanceGPD sends campaigns' positions through GPD's massive upload API,
// one file per chunk, with the single-position API for corrections.
func (a *app) issuanceGPD(d *domain) issuance.GPD {
	url := a.cfg.PagoPABulkURL
	if url == "" {
		url = a.gpdURL()
	}
	b := pagopa.NewBulk(url, a.cfg.PagoPABroker, a.cfg.PagoPAKey)
	b.Log = a.log.With("component", "gpd-bulk")
	return issuance.BulkGPD{Bulk: b, Single: d.payments.GPD}
}
