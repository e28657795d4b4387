package appio

import (
	"context"
	"errors"

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

// Start runs the campaign for in.Day now. A second start of the same ente and
// day is a conflict: the run and its messages are idempotent anyway.
func (l *Launcher) Start(ctx context.Context, in CampaignInput) (string, error) {
	in.DryRun = false
	if err := in.Validate(); err != nil {
		return "", err
	}
	id := "campaign-" + CardExpiry + "-" + in.Ente + "-" + in.Day
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
