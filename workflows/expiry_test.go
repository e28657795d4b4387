package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

type expirer struct{ calls []time.Time }

func (e *expirer) ExpireDue(_ context.Context, now time.Time) (int64, error) {
	e.calls = append(e.calls, now)
	return 3, nil
}

func TestPositionsExpiry(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	x := &expirer{}
	worker.Register(env, worker.Deps{Expiry: &pagopa.Expiry{Positions: x}})
	env.ExecuteWorkflow(workflows.PositionsExpiryWorkflow)
	var n int64
	if err := env.GetWorkflowResult(&n); err != nil || n != 3 || len(x.calls) != 1 {
		t.Fatalf("expired %d, err %v, calls %d", n, err, len(x.calls))
	}
	o := workflows.PositionsExpirySchedule("q")
	if o.ID != "positions-expiry" || o.Spec.TimeZoneName != "Europe/Rome" || o.Action.(*client.ScheduleWorkflowAction).Workflow != workflows.PositionsExpiryWorkflow {
		t.Errorf("schedule = %+v", o)
	}
}
