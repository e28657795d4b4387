package appio

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/sportello/sportello/errs"
)

// CampaignWorkflowName is the registered name of the campaign workflow
// (workflows.Campaign); it lives here so starting a run needs no workflow code.
const CampaignWorkflowName = "Campaign"

// Launcher starts campaign runs on Temporal and plans dry runs in-process.
type Launcher struct {
	Temporal  client.Client
	TaskQueue string
	Planner   *Activities
}

// Plan lists who a run would message, without sending.
func (l *Launcher) Plan(ctx context.Context, in CampaignInput) ([]Planned, error) {
	return l.Planner.Plan(ctx, in)
}

// Start runs the campaign for in.Day now. A run is its ente, day and days
// before expiry: starting the same one while it runs is a conflict; once it has
// finished it may run again (its messages are idempotent), and a run with
// other parameters is a run of its own.
func (l *Launcher) Start(ctx context.Context, in CampaignInput) (string, error) {
	in.DryRun = false
	if err := in.Validate(); err != nil {
		return "", err
	}
	id := fmt.Sprintf("campaign-%s-%s-%s-%dd", CardExpiry, in.Ente, in.Day, in.DaysBefore)
	run, err := l.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: l.TaskQueue,
		WorkflowExecutionErrorWhenAlreadyStarted: true}, CampaignWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return "", errs.E(errs.Conflict, "the campaign of %s for %s is already running", in.Ente, in.Day)
	}
	if err != nil {
		return "", err
	}
	return run.GetID(), nil
}
