package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/catalog"
)

// issueDemoRoll issues the demo TARI roll of Trieste (n households, Mario
// Rossi first) once the server answers, in the background so start-up stays
// fast. A campaign of the same tax and year already there is left alone, so
// a restart issues nothing again.
func (a *app) issueDemoRoll(ctx context.Context, n int) {
	log := a.log.With("component", "demo-roll")
	if err := a.waitServing(ctx); err != nil {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	d := a.domain()
	today := time.Now().In(calendar.Rome)
	year := today.Year()
	list, _, err := d.issuance.List(ctx, catalog.Trieste, 500, 0)
	if err != nil {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	for _, c := range list {
		if c.Plan.Tax == "TARI" && c.Plan.Year == year {
			return
		}
	}
	e, err := d.catalog.GetEnte(ctx, catalog.Trieste)
	if err != nil || len(e.Accounts) == 0 {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	svc := &issuance.Service{Store: d.issuance, Enti: d.catalog, Taxonomy: taxonomyChecker{c: d.catalog},
		Engine: &issuance.Launcher{Temporal: a.temporal, TaskQueue: a.cfg.TemporalTaskQueue}}
	plan := issuance.DemoPlan(pagopa.Creditor{FiscalCode: e.FiscalCode, Name: e.Name, IBAN: e.Accounts[0].IBAN}, year)
	// Due dates from today, so the demo's notices are payable whenever it runs.
	due := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	plan.SingleDue, plan.Installments = due(30), []string{due(30), due(120), due(210)}
	// Each household on App IO gets the notice, then the reminders, from the TARI service.
	plan.AppIOService = catalog.Trieste + ".tari"
	camp, err := svc.Create(ctx, catalog.Trieste, "sportello-dev", plan)
	if err != nil {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	var buf bytes.Buffer
	if err := issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, year)); err != nil {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	if _, err := svc.Upload(ctx, camp, "csv", &buf); err != nil {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	camp, _ = d.issuance.Get(ctx, camp.ID)
	if _, err := svc.Confirm(ctx, camp); err != nil {
		log.Warn("demo roll not issued", "err", err)
		return
	}
	log.Info("demo TARI roll confirmed", "campaign", camp.ID, "households", n, "year", year)
}

// waitServing waits until the HTTP server answers: the GPD simulator the
// worker calls is served by it.
func (a *app) waitServing(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.publicURL()+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("the server did not answer at %s", a.publicURL())
}
