package workflows

import (
	"fmt"
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/calendar"
)

// CampaignWorkflow is the registered name of the App IO campaign workflow.
const CampaignWorkflow = appio.CampaignWorkflowName

// campaignBatch bounds how many messages are in flight at once, so a large
// campaign neither floods IO (which answers 429) nor bloats one workflow task.
const campaignBatch = 20

// CampaignResult counts what became of a run's messages.
type CampaignResult struct {
	Day     string          `json:"day"`
	Planned int             `json:"planned"`
	Sent    int             `json:"sent"`
	NotOnIO int             `json:"notOnIo"`
	Refused int             `json:"refused"`
	Failed  int             `json:"failed"`
	DryRun  []appio.Planned `json:"dryRun,omitempty"`
}

// Campaign runs one identity card expiry reminder: plan the recipients, then
// send each message through the idempotent SendMessage activity. A message that
// fails for good is counted, never retried by hand: its intent row says why.
func Campaign(ctx workflow.Context, in appio.CampaignInput) (CampaignResult, error) {
	if in.Day == "" {
		in.Day = workflow.Now(ctx).In(calendar.Rome).Format(time.DateOnly)
	}
	res := CampaignResult{Day: in.Day}
	plan := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 5},
	})
	var planned []appio.Planned
	if err := workflow.ExecuteActivity(plan, appio.PlanCampaignActivity, in).Get(ctx, &planned); err != nil {
		return res, fmt.Errorf("plan campaign: %w", err)
	}
	res.Planned = len(planned)
	if in.DryRun {
		res.DryRun = planned
		return res, nil
	}
	send := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 10 * time.Minute, MaximumAttempts: 20},
	})
	for start := 0; start < len(planned); start += campaignBatch {
		end := min(start+campaignBatch, len(planned))
		futures := make([]workflow.Future, 0, end-start)
		for _, p := range planned[start:end] {
			futures = append(futures, workflow.ExecuteActivity(send, appio.SendMessageActivity, p.Send))
		}
		for _, f := range futures {
			var r appio.SendResult
			if err := f.Get(ctx, &r); err != nil {
				res.Failed++
				workflow.GetLogger(ctx).Warn("campaign message not sent", "error", err)
				continue
			}
			switch r.Status {
			case appio.Sent:
				res.Sent++
			case appio.NotOnIO:
				res.NotOnIO++
			case appio.Refused:
				res.Refused++
			default:
				res.Failed++
			}
		}
	}
	return res, nil
}

// CampaignSchedule builds the Schedule that runs the expiry reminder of an ente
// every morning at 08:00 Europe/Rome; each run computes its own day.
func CampaignSchedule(taskQueue string, in appio.CampaignInput) client.ScheduleOptions {
	in.Day, in.DryRun = "", false
	return client.ScheduleOptions{
		ID: "campaign-" + appio.CardExpiry + "-" + in.Ente,
		Spec: client.ScheduleSpec{
			Calendars:    []client.ScheduleCalendarSpec{{Hour: []client.ScheduleRange{{Start: 8}}, Minute: []client.ScheduleRange{{Start: 0}}}},
			TimeZoneName: calendar.Zone,
		},
		Action: &client.ScheduleWorkflowAction{
			ID:                       "campaign-" + appio.CardExpiry + "-" + in.Ente,
			Workflow:                 CampaignWorkflow,
			Args:                     []any{in},
			TaskQueue:                taskQueue,
			WorkflowExecutionTimeout: 6 * time.Hour,
		},
		Overlap:       enums.SCHEDULE_OVERLAP_POLICY_SKIP, // skip a run while the previous one is still going
		CatchupWindow: 24 * time.Hour,
	}
}
