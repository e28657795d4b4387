package workflows

import (
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/ledger"
)

// FdrPollWorkflow is the registered name of the poll of published FdR flows.
const FdrPollWorkflow = "FdrPoll"

// FdrPollEvery is how often the FdR API is polled: PSPs publish their flows
// the day after the payments, at no fixed hour.
const FdrPollEvery = time.Hour

// FdrPollInput lists the entes whose flows are polled.
type FdrPollInput struct {
	Entes []string `json:"entes"`
}

// FdrPollResult holds each ente's poll, and the entes whose poll failed.
type FdrPollResult struct {
	Polls  map[string]*ledger.PollResult `json:"polls"`
	Failed map[string]string             `json:"failed,omitempty"`
}

// FdrPoll polls the FdR API for every listed ente and imports the new flows
// and revisions, one activity per ente so that one ente's failure neither
// blocks nor repeats the others.
func FdrPoll(ctx workflow.Context, in FdrPollInput) (FdrPollResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Minute,
		HeartbeatTimeout:    2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 10 * time.Second, BackoffCoefficient: 2,
			MaximumInterval: 5 * time.Minute, MaximumAttempts: 5},
	})
	res := FdrPollResult{Polls: map[string]*ledger.PollResult{}}
	futures := make([]workflow.Future, len(in.Entes))
	for i, ente := range in.Entes {
		futures[i] = workflow.ExecuteActivity(ctx, ledger.PollFlowsActivity, ledger.PollInput{Ente: ente})
	}
	for i, f := range futures {
		var out ledger.PollResult
		if err := f.Get(ctx, &out); err != nil {
			if res.Failed == nil {
				res.Failed = map[string]string{}
			}
			res.Failed[in.Entes[i]] = err.Error()
			continue
		}
		res.Polls[in.Entes[i]] = &out
	}
	return res, nil
}

// FdrPollSchedule runs FdrPoll for entes every FdrPollEvery; a run still
// going skips the next.
func FdrPollSchedule(taskQueue string, entes []string) client.ScheduleOptions {
	return client.ScheduleOptions{
		ID:   "fdr-poll",
		Spec: client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: FdrPollEvery}}},
		Action: &client.ScheduleWorkflowAction{ID: "fdr-poll", Workflow: FdrPollWorkflow, TaskQueue: taskQueue,
			Args: []any{FdrPollInput{Entes: entes}}, WorkflowExecutionTimeout: time.Hour},
		Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP,
	}
}
