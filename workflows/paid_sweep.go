package workflows

import (
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/pagopa"
)

// PaidSweepWorkflow is the registered name of the sweep of paid positions.
const PaidSweepWorkflow = "PaidSweep"

// PaidSweep re-signals the stored receipts of the pratiche still waiting for
// a payment, so a receipt whose signal was lost reaches its pratica within the
// hour even if its payment step's own check is further away.
func PaidSweep(ctx workflow.Context) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, MaximumInterval: 5 * time.Minute, MaximumAttempts: 5},
	})
	var n int
	err := workflow.ExecuteActivity(ctx, pagopa.SweepPaidName).Get(ctx, &n)
	return n, err
}

// PaidSweepSchedule runs PaidSweep every hour; a run still going skips the next.
func PaidSweepSchedule(taskQueue string) client.ScheduleOptions {
	return client.ScheduleOptions{
		ID:   "paid-sweep",
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: pagopa.SweepEvery}}},
		Action: &client.ScheduleWorkflowAction{ID: "paid-sweep", Workflow: PaidSweepWorkflow, TaskQueue: taskQueue,
			WorkflowExecutionTimeout: time.Hour},
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
	}
}
