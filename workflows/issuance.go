package workflows

import (
	"errors"
	"fmt"
	"time"

	enums "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/issuance"
)

// IssueCampaignWorkflow is the registered name of the bulk issuance workflow.
const IssueCampaignWorkflow = issuance.WorkflowName

// Defaults of a campaign run: rows per chunk, and chunks per run before the
// workflow continues as new, so its history stays bounded (each chunk adds a
// handful of events) and nothing grows with the number of rows.
const (
	DefaultIssueChunk     = 500
	DefaultChunksPerRun   = 50
	issueHistoryThreshold = 5000
)

// IssueCampaignInput starts, or continues, the issuing of a campaign.
type IssueCampaignInput struct {
	CampaignID   string `json:"campaignId"`
	ChunkSize    int    `json:"chunkSize,omitempty"`
	ChunksPerRun int    `json:"chunksPerRun,omitempty"`
	// Paused and Cancelled carry the office's last word across continue-as-new.
	Paused    bool `json:"paused,omitempty"`
	Cancelled bool `json:"cancelled,omitempty"`
	// Recorded is the status last written to the database.
	Recorded issuance.Status `json:"recorded,omitempty"`
}

// IssueCampaignResult is the state a campaign's issuing ended in.
type IssueCampaignResult struct {
	Status issuance.Status `json:"status"`
}

// IssueCampaign issues a campaign's pending rows chunk by chunk. Pause takes
// effect at the next chunk boundary; cancel leaves the rows not yet issued
// pending (a later confirm can take them up); both are Updates whose
// validators refuse what makes no sense now.
func IssueCampaign(ctx workflow.Context, in IssueCampaignInput) (IssueCampaignResult, error) {
	if in.ChunkSize <= 0 {
		in.ChunkSize = DefaultIssueChunk
	}
	if in.ChunksPerRun <= 0 {
		in.ChunksPerRun = DefaultChunksPerRun
	}
	if err := issueHandlers(ctx, &in); err != nil {
		return IssueCampaignResult{}, err
	}
	short := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: time.Minute},
	})
	chunk := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 2 * time.Second, MaximumInterval: 2 * time.Minute},
	})
	record := func(st issuance.Status) error {
		if in.Recorded == st {
			return nil
		}
		if err := workflow.ExecuteActivity(short, issuance.SetStatusName, issuance.StatusInput{CampaignID: in.CampaignID, Status: st}).Get(ctx, nil); err != nil {
			return fmt.Errorf("record campaign %s: %w", st, err)
		}
		in.Recorded = st
		return nil
	}
	// finish records the end and lets the updates waiting for it answer.
	finish := func(st issuance.Status) (IssueCampaignResult, error) {
		if err := record(st); err != nil {
			return IssueCampaignResult{}, err
		}
		if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
			return IssueCampaignResult{}, err
		}
		return IssueCampaignResult{Status: st}, nil
	}
	for chunks := 0; ; chunks++ {
		if in.Paused && !in.Cancelled {
			if err := record(issuance.Paused); err != nil {
				return IssueCampaignResult{}, err
			}
			if err := workflow.Await(ctx, func() bool { return !in.Paused || in.Cancelled }); err != nil {
				return IssueCampaignResult{}, err
			}
		}
		if in.Cancelled {
			return finish(issuance.Cancelled)
		}
		if err := record(issuance.Issuing); err != nil {
			return IssueCampaignResult{}, err
		}
		if chunks >= in.ChunksPerRun || workflow.GetInfo(ctx).GetCurrentHistoryLength() > issueHistoryThreshold {
			// Updates accepted in this run must finish before the hand-over; a
			// pause or cancel arriving now waits for its state to be recorded,
			// so it is taken at the top of the loop first.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) || in.Paused || in.Cancelled }); err != nil {
				return IssueCampaignResult{}, err
			}
			if in.Paused || in.Cancelled {
				continue
			}
			return IssueCampaignResult{}, workflow.NewContinueAsNewError(ctx, IssueCampaignWorkflow, in)
		}
		var res issuance.ChunkResult
		if err := workflow.ExecuteActivity(chunk, issuance.IssueChunkName, issuance.ChunkInput{CampaignID: in.CampaignID, Size: in.ChunkSize}).Get(ctx, &res); err != nil {
			return IssueCampaignResult{}, fmt.Errorf("issue chunk: %w", err)
		}
		if res.Pending == 0 {
			if err := startCampaignMessages(ctx, in.CampaignID); err != nil {
				return IssueCampaignResult{}, err
			}
			return finish(issuance.Done)
		}
	}
}

// ErrIssuanceState is the ApplicationError type of an update refused in the
// campaign's current state.
const ErrIssuanceState = "issuance_state"

func issueHandlers(ctx workflow.Context, in *IssueCampaignInput) error {
	refuse := func(msg string) error {
		return temporal.NewApplicationError(msg, ErrIssuanceState)
	}
	// Each update answers once its effect is recorded, so the office reads the
	// campaign's new state as soon as the call returns.
	recorded := func(st ...issuance.Status) func() bool {
		return func() bool {
			for _, s := range st {
				if in.Recorded == s {
					return true
				}
			}
			return false
		}
	}
	set := []struct {
		name  string
		valid func() error
		apply func()
		until func() bool
	}{
		{issuance.PauseUpdate, func() error {
			if in.Cancelled {
				return refuse("the campaign is cancelled / la campagna è annullata")
			}
			if in.Paused {
				return refuse("the campaign is already paused / la campagna è già in pausa")
			}
			return nil
		}, func() { in.Paused = true }, recorded(issuance.Paused, issuance.Cancelled, issuance.Done)},
		{issuance.ResumeUpdate, func() error {
			if in.Cancelled {
				return refuse("the campaign is cancelled / la campagna è annullata")
			}
			if !in.Paused {
				return refuse("the campaign is not paused / la campagna non è in pausa")
			}
			return nil
		}, func() { in.Paused = false }, recorded(issuance.Issuing, issuance.Cancelled, issuance.Done)},
		{issuance.CancelUpdate, func() error {
			if in.Cancelled {
				return refuse("the campaign is already cancelled / la campagna è già annullata")
			}
			return nil
		}, func() { in.Cancelled = true }, recorded(issuance.Cancelled, issuance.Done)},
	}
	for _, h := range set {
		err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, func(ctx workflow.Context) (string, error) {
			h.apply()
			if err := workflow.Await(ctx, h.until); err != nil {
				return "", err
			}
			return string(in.Recorded), nil
		}, workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context) error { return h.valid() }})
		if err != nil {
			return errors.Join(fmt.Errorf("register %s", h.name), err)
		}
	}
	return nil
}

// startCampaignMessages starts the campaign's App IO workflow once every row
// is issued, as an abandoned child: it outlives this workflow for months of
// reminder timers. One already running (a retry of failed rows issued more)
// is left to go on. Histories recorded before the change start nothing.
func startCampaignMessages(ctx workflow.Context, id string) error {
	if workflow.GetVersion(ctx, "issuance-io-v1", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        issuance.MessagesWorkflowID(id),
		ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON,
	})
	f := workflow.ExecuteChildWorkflow(cctx, CampaignMessagesWorkflow, CampaignMessagesInput{CampaignID: id})
	var started *temporal.ChildWorkflowExecutionAlreadyStartedError
	if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil && !errors.As(err, &started) {
		return fmt.Errorf("start app io messages: %w", err)
	}
	return nil
}
