package issuance

import (
	"context"
	"errors"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/errs"
)

// Launcher starts and steers campaign workflows through the Temporal client.
type Launcher struct {
	Temporal  client.Client
	TaskQueue string
	// ChunkSize and ChunksPerRun, when set, override the workflow's defaults.
	ChunkSize    int
	ChunksPerRun int
}

// launchInput is the workflow's input as JSON (workflows.IssueCampaignInput).
type launchInput struct {
	CampaignID   string `json:"campaignId"`
	ChunkSize    int    `json:"chunkSize,omitempty"`
	ChunksPerRun int    `json:"chunksPerRun,omitempty"`
}

// Start runs the campaign's workflow; one already running is left as it is.
func (l *Launcher) Start(ctx context.Context, id string) error {
	_, err := l.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: WorkflowID(id), TaskQueue: l.TaskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE},
		WorkflowName, launchInput{CampaignID: id, ChunkSize: l.ChunkSize, ChunksPerRun: l.ChunksPerRun})
	return errs.Wrap(err, "start campaign %s", id)
}

// Update sends name to the campaign's workflow and waits for its answer: the
// state recorded. A refusal by the workflow's validator is a conflict.
func (l *Launcher) Update(ctx context.Context, id, name string) (Status, error) {
	h, err := l.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: WorkflowID(id), UpdateName: name,
		WaitForStage: client.WorkflowUpdateStageCompleted})
	var st string
	if err == nil {
		err = h.Get(ctx, &st)
	}
	var nf *serviceerror.NotFound
	var app *temporal.ApplicationError
	switch {
	case errors.As(err, &nf):
		return "", errs.E(errs.Conflict, "campaign %s is not being issued / la campagna non è in emissione", id)
	case errors.As(err, &app):
		return "", errs.E(errs.Conflict, "%s", app.Message())
	case err != nil:
		return "", errs.Wrap(err, "update campaign %s", id)
	}
	return Status(st), nil
}
