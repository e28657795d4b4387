package main

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
)

// TestSimStateSurvivesKill issues the demo roll on sportello dev and kills
// the program (SIGKILL) while the campaign's files reach the pagoPA
// simulator: every position the simulator had reported created before the
// kill is there after the restart, and the campaign then ends with every
// household issued once.
func TestSimStateSurvivesKill(t *testing.T) {
	const n = 3000
	p := startDev(t, "--demo-roll", "3000")
	admin := p.token("admin.trieste")
	ctx := context.Background()
	var camp issuance.Campaign
	deadline := time.Now().Add(90 * time.Second)
	for {
		var list []issuance.Campaign
		p.call("GET", "/api/issuances", admin, nil, &list)
		if len(list) == 1 && list[0].OrgFiscalCode != "" {
			camp = list[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no demo campaign: %+v", list)
		}
		time.Sleep(100 * time.Millisecond)
	}
	org := camp.OrgFiscalCode
	bulk := pagopa.NewBulk(p.url("/sim/pagopa"), pagosim.Broker, "")
	var files []string
	for len(files) < 2 {
		var err error
		if files, err = bulk.Files(ctx, org, "", ""); err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d files reached the simulator", len(files))
		}
		time.Sleep(20 * time.Millisecond)
	}
	var created []string
	for _, id := range files {
		rep, err := bulk.Report(ctx, org, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Responses {
			if r.StatusCode == 201 {
				created = append(created, r.IUPDs...)
			}
		}
	}
	p.kill()
	if len(created) == 0 {
		t.Fatal("the simulator had created nothing before the kill")
	}
	p.start()
	gpd := pagopa.NewClient(p.url("/sim/pagopa"), "")
	for _, iupd := range created {
		if _, err := gpd.GetPosition(ctx, org, iupd); err != nil {
			t.Fatalf("position %s, created before the kill, after the restart: %v", iupd, err)
		}
	}
	admin = p.token("admin.trieste")
	deadline = time.Now().Add(3 * time.Minute)
	for {
		var c issuance.Campaign
		p.call("GET", "/api/issuances/"+camp.ID, admin, nil, &c)
		if c.Status == issuance.Done {
			if c.Progress.Issued != n || c.Progress.Failed != 0 {
				t.Errorf("progress after the restart: %+v", c.Progress)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaign still %s %+v", c.Status, c.Progress)
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Logf("%d files and %d positions created before the kill, all there after it", len(files), len(created))
}
