package main

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/workflows"
)

// ensureSchedules creates the Temporal Schedules of the platform when missing:
// the daily reconciliation of every ente, the nightly expiry of debt positions,
// the hourly sweep of paid positions whose pratica still waits, and the identity card expiry reminder
// of every ente offering it. Schedules live in Temporal, so any process may
// create them and a second creation is a no-op.
func (a *app) ensureSchedules(ctx context.Context) error {
	c := a.domain().catalog
	enti, err := c.ListEnti(ctx)
	if err != nil {
		return err
	}
	var ids []string
	for _, e := range enti {
		if e.Kind != catalog.KindRegion {
			ids = append(ids, e.ID)
		}
	}
	opts := []client.ScheduleOptions{workflows.ReconciliationSchedule(a.cfg.TemporalTaskQueue, ids),
		workflows.PositionsExpirySchedule(a.cfg.TemporalTaskQueue), workflows.PaidSweepSchedule(a.cfg.TemporalTaskQueue)}
	opts = append(opts, workflows.FdrPollSchedule(a.cfg.TemporalTaskQueue, ids))
	services, err := c.ListServices(ctx, catalog.ServiceFilter{Base: "cie-scadenza"})
	if err != nil {
		return err
	}
	for _, sv := range services {
		if sv.Ente == "" || sv.AppIO == nil || !sv.AppIO.Enabled {
			continue
		}
		opts = append(opts, workflows.CampaignSchedule(a.cfg.TemporalTaskQueue,
			appio.CampaignInput{Ente: sv.Ente, Service: sv.ID, DaysBefore: 30}))
	}
	for _, o := range opts {
		_, err := a.temporal.ScheduleClient().Create(ctx, o)
		if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
			return fmt.Errorf("schedule %s: %w", o.ID, err)
		}
	}
	return nil
}
