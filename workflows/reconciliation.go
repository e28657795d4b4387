package workflows

import (
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/calendar"
)

// ReconciliationWorkflow is the registered name of the daily reconciliation.
const ReconciliationWorkflow = "Reconciliation"

// ReconciliationInput lists the entes to reconcile; Day is filled from the
// workflow's clock (Europe/Rome) when a Schedule starts it.
type ReconciliationInput struct {
	Entes []string `json:"entes"`
	Day   string   `json:"day,omitempty"`
}

// ReconciliationResult holds each ente's run, and the entes whose run failed.
type ReconciliationResult struct {
	Day     string                       `json:"day"`
	Reports map[string]*ledger.RunReport `json:"reports"`
	Failed  map[string]string            `json:"failed,omitempty"`
}

// Reconciliation reconciles every listed ente for one day, one activity per
// ente so that one ente's failure neither blocks nor repeats the others.
func Reconciliation(ctx workflow.Context, in ReconciliationInput) (ReconciliationResult, error) {
	if in.Day == "" {
		in.Day = workflow.Now(ctx).In(calendar.Rome).Format(time.DateOnly)
	}
	res := ReconciliationResult{Day: in.Day, Reports: map[string]*ledger.RunReport{}}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 10 * time.Minute, MaximumAttempts: 10},
	})
	futures := make([]workflow.Future, len(in.Entes))
	for i, ente := range in.Entes {
		futures[i] = workflow.ExecuteActivity(ctx, ledger.ReconcileDayActivity, ledger.DayInput{Ente: ente, Day: in.Day})
	}
	for i, f := range futures {
		var rep ledger.RunReport
		if err := f.Get(ctx, &rep); err != nil {
			if res.Failed == nil {
				res.Failed = map[string]string{}
			}
			res.Failed[in.Entes[i]] = err.Error()
			continue
		}
		res.Reports[in.Entes[i]] = &rep
	}
	return res, nil
}

// ReconciliationSchedule builds the Schedule of the daily reconciliation at
// 07:00 Europe/Rome, after the night's flows and journals have arrived.
func ReconciliationSchedule(taskQueue string, entes []string) client.ScheduleOptions {
	return client.ScheduleOptions{
		ID: "reconciliation-daily",
		Spec: client.ScheduleSpec{
			Calendars:    []client.ScheduleCalendarSpec{{Hour: []client.ScheduleRange{{Start: 7}}, Minute: []client.ScheduleRange{{Start: 0}}}},
			TimeZoneName: calendar.Zone,
		},
		Action: &client.ScheduleWorkflowAction{
			ID:                       "reconciliation-daily",
			Workflow:                 ReconciliationWorkflow,
			Args:                     []any{ReconciliationInput{Entes: entes}},
			TaskQueue:                taskQueue,
			WorkflowExecutionTimeout: 12 * time.Hour,
		},
		Overlap:       enums.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: 24 * time.Hour,
	}
}
