package workflows_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
	"github.com/sportello/sportello/workflows"
)

type tariKeys struct{}

func (tariKeys) APIKey(_ context.Context, service string) (string, error) {
	if service == "c_l424.tari" {
		return "key-tari", nil
	}
	return "", errs.E(errs.NotFound, "service %s has no App IO key", service)
}

// issuedTARI issues n demo households of year through the GPD simulator over
// HTTP, with the plan's App IO service set.
func issuedTARI(t *testing.T, db *gorm.DB, year, n int) (*issuance.Campaign, *issuance.Activities) {
	t.Helper()
	ctx := context.Background()
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	s, err := sim.Open(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	e, err := catalog.NewStore(db).GetEnte(ctx, catalog.Trieste)
	if err != nil {
		t.Fatal(err)
	}
	plan := issuance.DemoPlan(pagopa.Creditor{FiscalCode: e.FiscalCode, Name: e.Name, IBAN: e.Accounts[0].IBAN}, year)
	plan.AppIOService = "c_l424.tari"
	svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
	acts := &issuance.Activities{Store: svc.Store, Positions: pagopa.NewStore(db, nil), GPD: issuance.SingleGPD{GPD: pagopa.NewClient(hs.URL, "")}}
	c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, year)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Upload(ctx, c, "csv", &buf); err != nil {
		t.Fatal(err)
	}
	for {
		res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pending == 0 {
			return c, acts
		}
	}
}

// runMessages runs CampaignMessages from start in the test environment
// (timers skip ahead), run after run across continue-as-new; at holds
// callbacks that fire when the workflow's clock reaches their time.
func runMessages(t *testing.T, acts *issuance.Activities, in workflows.CampaignMessagesInput, start time.Time, at map[time.Time]func()) (runs int) {
	t.Helper()
	now := start
	for runs = 1; runs < 200; runs++ {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetStartTime(now)
		env.RegisterWorkflowWithOptions(workflows.CampaignMessages, workflow.RegisterOptions{Name: workflows.CampaignMessagesWorkflow})
		env.RegisterActivityWithOptions(acts.MessageSchedule, activity.RegisterOptions{Name: issuance.MessageScheduleName})
		env.RegisterActivityWithOptions(acts.SendMessages, activity.RegisterOptions{Name: issuance.SendMessagesName})
		for when, f := range at {
			if when.After(now) {
				env.RegisterDelayedCallback(f, when.Sub(now))
			}
		}
		env.ExecuteWorkflow(workflows.CampaignMessagesWorkflow, in)
		err := env.GetWorkflowError()
		var can *workflow.ContinueAsNewError
		if !errors.As(err, &can) {
			if err != nil {
				t.Fatal(err)
			}
			return runs
		}
		// A fresh value: fields left out of the JSON (omitempty) are zero.
		in = workflows.CampaignMessagesInput{}
		if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &in); err != nil {
			t.Fatal(err)
		}
		now = env.Now()
	}
	t.Fatal("the workflow never ended")
	return runs
}

// TestCampaignMessagesRemindUnpaid runs a campaign of 1,000 households
// through the workflow with the real activities, store and App IO simulator:
// one notice per debtor on IO, the others on the paper list; then, months
// later by the workflow's timers, a reminder 7 days before each installment
// only to the debtors who have not paid it (nor the single option) by then;
// rows issued late get their notice at the next stage.
func TestCampaignMessagesRemindUnpaid(t *testing.T) {
	db := storetest.SQLite(t)
	const n = 1000
	c, acts := issuedTARI(t, db, 2027, n)
	rows := issuance.DemoRows(n, 2027)
	var notOnIO []string
	for i, r := range rows {
		if i%25 == 7 {
			notOnIO = append(notOnIO, r.Debtor.FiscalCode)
		}
	}
	ioSim := appio.NewSimulator(notOnIO...)
	for i, r := range rows {
		if i%50 == 11 {
			ioSim.Block(r.Debtor.FiscalCode, "key-tari")
		}
	}
	hs := httptest.NewServer(ioSim)
	defer hs.Close()
	acts.IO, acts.Keys, acts.Throttle = appio.NewClient(hs.URL+"/api/v1"), tariKeys{}, issuance.NewThrottle(1e6)

	// pay marks option seq of the debtors at index i where pick(i) paid.
	pay := func(seq int, pick func(i int) bool) func() {
		return func() {
			for i, r := range rows {
				if !pick(i) {
					continue
				}
				err := db.Exec(`UPDATE pagopa_options SET status = 'PO_PAID' WHERE seq = ? AND position_id =
					(SELECT position_id FROM issuance_rows WHERE campaign_id = ? AND fiscal_code = ?)`, seq, c.ID, r.Debtor.FiscalCode).Error
				if err != nil {
					t.Error(err)
				}
			}
		}
	}
	single := func(i int) bool { return i%10 == 0 }
	first := func(i int) bool { return i%3 == 1 }
	second := func(i int) bool { return i%4 == 3 }
	// Ten rows fail at GPD and are issued by a retry in March, after the
	// notices went out: their notice comes before the first reminder.
	late := func(status string) func() {
		return func() {
			if err := db.Exec("UPDATE issuance_rows SET status = ? WHERE campaign_id = ? AND line % 100 = 53", status, c.ID).Error; err != nil {
				t.Error(err)
			}
		}
	}
	late("failed")()
	rome := func(m time.Month, d int) time.Time { return time.Date(2027, m, d, 12, 0, 0, 0, calendar.Rome) }
	runs := runMessages(t, acts, workflows.CampaignMessagesInput{CampaignID: c.ID, ChunkSize: 200, ChunksPerRun: 2},
		rome(time.January, 10), map[time.Time]func(){
			rome(time.February, 1): pay(0, single),
			rome(time.March, 1):    late("issued"),
			rome(time.April, 2):    pay(1, first),
			rome(time.May, 15):     pay(2, second),
		})
	if runs < 4 {
		t.Errorf("%d runs: the workflow should continue as new within and between stages", runs)
	}

	reachable := func(i int) bool { return i%25 != 7 && i%50 != 11 }
	want := map[string]int{}
	for i := range rows {
		if !reachable(i) {
			continue
		}
		want["notice"]++
		if single(i) {
			continue
		}
		if !first(i) {
			want["30/04/2027"]++
		}
		if !second(i) {
			want["31/07/2027"]++
		}
		want["31/10/2027"]++
	}
	got := map[string]int{}
	dups := 0
	for _, r := range rows {
		seen := map[string]bool{}
		for _, m := range ioSim.Inbox(r.Debtor.FiscalCode) {
			k := "notice"
			if strings.HasPrefix(m.Content.Subject, "Promemoria") {
				k = m.Content.Subject[len(m.Content.Subject)-10:]
			}
			if seen[k] {
				dups++
			}
			seen[k] = true
			got[k]++
		}
	}
	if dups != 0 {
		t.Errorf("%d messages sent twice", dups)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("messages in the simulator = %v, want %v", got, want)
	}
	if ioSim.Count() != want["notice"]+want["30/04/2027"]+want["31/07/2027"]+want["31/10/2027"] {
		t.Errorf("simulator holds %d messages", ioSim.Count())
	}
	paper := 0
	if err := acts.Store.EachPaperDebtor(context.Background(), c.ID, func(*issuance.PaperDebtor) error { paper++; return nil }); err != nil {
		t.Fatal(err)
	}
	if paper != n-want["notice"] {
		t.Errorf("paper list has %d debtors, want %d", paper, n-want["notice"])
	}
}
