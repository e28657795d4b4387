package main

import (
	"cmp"
	"os"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
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

// campaignGPD routes campaigns' positions to the GPD of the intermediary
// whose segregation code their IUVs carry.
func (a *app) campaignGPD(d *domain) *intermediaryGPD {
	return &intermediaryGPD{main: a.issuanceGPD(d), mainURL: a.gpdURL(), enti: catalogEntes{c: d.catalog}, cat: d.catalog,
		further: a.furtherBulkGPD}
}

// furtherBulkGPD sends a further intermediary's campaign positions through
// its own GPD massive upload: at SPORTELLO_PAGOPA_BULK_URL_<ID> (default: its
// GPD address url when SPORTELLO_PAGOPA_URL_<ID> is set, else the main massive
// upload address), as broker its fiscal code (default: the main broker), with
// its key; its single-position API at url makes the corrections.
func (a *app) furtherBulkGPD(im catalog.Intermediary, url, key string) issuance.GPD {
	bulkURL := os.Getenv(secretEnv("SPORTELLO_PAGOPA_BULK_URL_", im.ID))
	if bulkURL == "" && os.Getenv(secretEnv("SPORTELLO_PAGOPA_URL_", im.ID)) != "" {
		bulkURL = url
	}
	if bulkURL == "" {
		bulkURL = cmp.Or(a.cfg.PagoPABulkURL, a.gpdURL())
	}
	b := pagopa.NewBulk(bulkURL, cmp.Or(im.FiscalCode, a.cfg.PagoPABroker), key)
	b.Log = a.log.With("component", "gpd-bulk", "intermediary", im.ID)
	return issuance.BulkGPD{Bulk: b, Single: pagopa.NewClient(url, key)}
}
