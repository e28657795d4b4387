package workflows_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
	"github.com/sportello/sportello/workflows"
)

type ioKeys struct{}

func (ioKeys) APIKey(_ context.Context, service string) (string, error) {
	if service == "c_l424.cie-scadenza" {
		return "key-cie", nil
	}
	return "", errs.E(errs.NotFound, "no key")
}

// TestCampaignDeliversToSimulator runs the reminder with the real activities,
// a real store and the IO simulator: the cards expiring in 30 days get one
// message each, a citizen without IO is counted, and a second run sends nothing.
func TestCampaignDeliversToSimulator(t *testing.T) {
	db := storetest.SQLite(t)
	st := appio.NewStore(db, nil)
	today := time.Date(2026, 11, 27, 9, 0, 0, 0, calendar.Rome)
	if _, err := st.SeedDemoCards(context.Background(), today); err != nil {
		t.Fatal(err)
	}
	sim := appio.NewSimulator("BNCLRA85M41L424K")
	srv := httptest.NewServer(sim)
	defer srv.Close()
	acts := &appio.Activities{IO: appio.NewClient(srv.URL + "/api/v1"), Keys: ioKeys{}, Intents: st, Recipients: st}
	in := appio.CampaignInput{Ente: "c_l424", Service: "c_l424.cie-scadenza", DaysBefore: 30}

	run := func(in appio.CampaignInput) workflows.CampaignResult {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetStartTime(today)
		env.RegisterWorkflow(workflows.Campaign)
		env.RegisterActivityWithOptions(acts.PlanCampaign, activity.RegisterOptions{Name: appio.PlanCampaignActivity})
		env.RegisterActivityWithOptions(acts.SendMessage, activity.RegisterOptions{Name: appio.SendMessageActivity})
		env.ExecuteWorkflow(workflows.Campaign, in)
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
		var res workflows.CampaignResult
		if err := env.GetWorkflowResult(&res); err != nil {
			t.Fatal(err)
		}
		return res
	}

	dry := run(appio.CampaignInput{Ente: in.Ente, Service: in.Service, DaysBefore: 30, DryRun: true})
	var who []string
	for _, p := range dry.DryRun {
		who = append(who, p.Send.FiscalCode+" "+p.ExpiresOn)
	}
	if diff := cmp.Diff([]string{"RSSMRA80A01L424F 2026-12-27", "BNCLRA85M41L424K 2026-12-27"}, who, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("dry run recipients (-want +got):\n%s", diff)
	}
	if sim.Count() != 0 {
		t.Fatal("the dry run sent messages")
	}

	got := run(in)
	want := workflows.CampaignResult{Day: "2026-11-27", Planned: 2, Sent: 1, NotOnIO: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	inbox := sim.Inbox("RSSMRA80A01L424F")
	if len(inbox) != 1 || inbox[0].Content.Subject != "La tua carta d'identità scade il 27/12/2026" {
		t.Fatalf("inbox = %+v", inbox)
	}

	// A second run finds everyone already reminded: it plans and sends nothing.
	again := run(in)
	if diff := cmp.Diff(workflows.CampaignResult{Day: "2026-11-27"}, again); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if n := sim.Count(); n != 1 {
		t.Errorf("simulator holds %d messages after two runs, want 1", n)
	}
}

func TestCampaignSchedule(t *testing.T) {
	opts := workflows.CampaignSchedule("sportello", appio.CampaignInput{Ente: "c_l424", Service: "c_l424.cie-scadenza", DaysBefore: 30, Day: "2026-01-01", DryRun: true})
	if opts.Spec.TimeZoneName != "Europe/Rome" || opts.ID != "campaign-cie-scadenza-c_l424" {
		t.Errorf("spec = %+v, id %q", opts.Spec, opts.ID)
	}
	act, ok := opts.Action.(*client.ScheduleWorkflowAction)
	if !ok {
		t.Fatalf("action is %T", opts.Action)
	}
	want := appio.CampaignInput{Ente: "c_l424", Service: "c_l424.cie-scadenza", DaysBefore: 30}
	if diff := cmp.Diff([]any{want}, act.Args); diff != "" || act.Workflow != workflows.CampaignWorkflow {
		t.Errorf("scheduled run must compute its own day and send (-want +got):\n%s", diff)
	}
}
