package workflows

import (
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/calendar"
)

// PositionsExpiryWorkflow is the registered name of the nightly expiry of debt positions.
const PositionsExpiryWorkflow = "PositionsExpiry"

// PositionsExpiry expires the debt positions past their due dates, as GPD does,
// so the status API and the monitoring stop showing them as payable.
func PositionsExpiry(ctx workflow.Context) (int64, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 10 * time.Second, MaximumInterval: 5 * time.Minute},
	})
	var n int64
	err := workflow.ExecuteActivity(ctx, pagopa.ExpireDueName).Get(ctx, &n)
	return n, err
}

// PositionsExpirySchedule runs PositionsExpiry every night at 00:30 Europe/Rome,
// after the day of the last due dates has ended.
func PositionsExpirySchedule(taskQueue string) client.ScheduleOptions {
	return client.ScheduleOptions{
		ID: "positions-expiry",
		Spec: client.ScheduleSpec{
			Calendars:    []client.ScheduleCalendarSpec{{Hour: []client.ScheduleRange{{Start: 0}}, Minute: []client.ScheduleRange{{Start: 30}}}},
			TimeZoneName: calendar.Zone,
		},
		Action: &client.ScheduleWorkflowAction{ID: "positions-expiry", Workflow: PositionsExpiryWorkflow, TaskQueue: taskQueue,
			WorkflowExecutionTimeout: time.Hour},
		Overlap:       enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: 24 * time.Hour,
	}
}
