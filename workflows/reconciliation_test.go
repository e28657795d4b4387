package workflows_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/workflows"
)

func TestReconciliation(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)) // 07:00 in Rome
	env.RegisterWorkflow(workflows.Reconciliation)
	acts := &ledger.Activities{}
	env.RegisterActivityWithOptions(acts.ReconcileDay, activity.RegisterOptions{Name: ledger.ReconcileDayActivity})
	env.OnActivity(ledger.ReconcileDayActivity, mock.Anything, ledger.DayInput{Ente: "c_l424", Day: "2026-11-27"}).
		Return(&ledger.RunReport{Ente: "c_l424", Day: "2026-11-27", Posted: 4}, nil).Once()
	env.OnActivity(ledger.ReconcileDayActivity, mock.Anything, ledger.DayInput{Ente: "c_f081", Day: "2026-11-27"}).
		Return(nil, temporal.NewNonRetryableApplicationError("ente c_f081 not found", "not_found", nil)).Once()
	env.ExecuteWorkflow(workflows.Reconciliation, workflows.ReconciliationInput{Entes: []string{"c_l424", "c_f081"}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var got workflows.ReconciliationResult
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	if got.Day != "2026-11-27" || got.Reports["c_l424"].Posted != 4 || len(got.Failed) != 1 || got.Failed["c_f081"] == "" {
		t.Errorf("result = %+v", got)
	}
	env.AssertExpectations(t)
}

func TestReconciliationSchedule(t *testing.T) {
	opts := workflows.ReconciliationSchedule("sportello", []string{"c_l424"})
	if diff := cmp.Diff("Europe/Rome", opts.Spec.TimeZoneName); diff != "" || opts.Spec.Calendars[0].Hour[0].Start != 7 {
		t.Errorf("spec = %+v", opts.Spec)
	}
}
