package workflows_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/workflows"
)

// TestFdrPoll polls two entes: one imports a flow, the other's poll fails for
// good; the run reports both and does not fail.
func TestFdrPoll(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflow(workflows.FdrPoll)
	acts := &ledger.Activities{}
	env.RegisterActivityWithOptions(acts.PollFlows, activity.RegisterOptions{Name: ledger.PollFlowsActivity})
	env.OnActivity(ledger.PollFlowsActivity, mock.Anything, ledger.PollInput{Ente: "c_l424"}).
		Return(&ledger.PollResult{Ente: "c_l424", Listed: 2, Imported: 1, Revised: 1}, nil).Once()
	env.OnActivity(ledger.PollFlowsActivity, mock.Anything, ledger.PollInput{Ente: "c_f081"}).
		Return(nil, temporal.NewNonRetryableApplicationError("ente c_f081 not found", "not_found", nil)).Once()
	env.ExecuteWorkflow(workflows.FdrPoll, workflows.FdrPollInput{Entes: []string{"c_l424", "c_f081"}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var got workflows.FdrPollResult
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	want := &ledger.PollResult{Ente: "c_l424", Listed: 2, Imported: 1, Revised: 1}
	if diff := cmp.Diff(want, got.Polls["c_l424"]); diff != "" || len(got.Failed) != 1 || got.Failed["c_f081"] == "" {
		t.Errorf("result = %+v (-want +got c_l424):\n%s", got, diff)
	}
	env.AssertExpectations(t)
}

func TestFdrPollSchedule(t *testing.T) {
	opts := workflows.FdrPollSchedule("sportello", []string{"c_l424"})
	if opts.ID != "fdr-poll" || opts.Spec.Intervals[0].Every != workflows.FdrPollEvery {
		t.Errorf("schedule = %+v", opts)
	}
}
