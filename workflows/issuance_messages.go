package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities/issuance"
)

// CampaignMessagesWorkflow is the registered name of a campaign's App IO workflow.
const CampaignMessagesWorkflow = issuance.MessagesWorkflowName

// Defaults of the App IO workflow: debtors per chunk and chunks per run
// before continuing as new, so 100,000 debtors never grow one history.
const (
	DefaultMessageChunk     = 200
	DefaultMessageChunksRun = 50
)

// CampaignMessagesInput starts, or continues, a campaign's App IO messages.
// Stage 0 is the notice; stage k is the k-th reminder of the schedule. After
// is the last line done in the stage.
type CampaignMessagesInput struct {
	CampaignID   string `json:"campaignId"`
	ChunkSize    int    `json:"chunkSize,omitempty"`
	ChunksPerRun int    `json:"chunksPerRun,omitempty"`
	Stage        int    `json:"stage,omitempty"`
	After        int    `json:"after,omitempty"`
}

// CampaignMessagesResult counts the messages of the last run.
type CampaignMessagesResult struct {
	Stages int           `json:"stages"`
	Counts MessageCounts `json:"counts"`
}

// MessageCounts adds up the outcomes of a run's chunks.
type MessageCounts struct {
	Sent     int `json:"sent"`
	NotOnIO  int `json:"notOnIo"`
	Disabled int `json:"disabled"`
	Failed   int `json:"failed"`
	Unknown  int `json:"unknown"`
	Skipped  int `json:"skipped"`
}

func (c *MessageCounts) add(r issuance.MessagesResult) {
	c.Sent += r.Sent
	c.NotOnIO += r.NotOnIO
	c.Disabled += r.Disabled
	c.Failed += r.Failed
	c.Unknown += r.Unknown
	c.Skipped += r.Skipped
}

// CampaignMessages sends a campaign's App IO messages: the notice to every
// issued debtor, then each reminder at its time (a durable timer), to the
// debtors who have not paid that installment by then. Chunks go through the
// SendMessages activity, whose store rows make each message at most once per
// debtor, kind and installment whatever the retries; the workflow continues
// as new every ChunksPerRun chunks and at each stage.
func CampaignMessages(ctx workflow.Context, in CampaignMessagesInput) (CampaignMessagesResult, error) {
	if in.ChunkSize <= 0 {
		in.ChunkSize = DefaultMessageChunk
	}
	if in.ChunksPerRun <= 0 {
		in.ChunksPerRun = DefaultMessageChunksRun
	}
	var res CampaignMessagesResult
	short := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: time.Minute},
	})
	var sched issuance.MessageSchedule
	if err := workflow.ExecuteActivity(short, issuance.MessageScheduleName, in.CampaignID).Get(ctx, &sched); err != nil {
		return res, fmt.Errorf("message schedule: %w", err)
	}
	res.Stages = 1 + len(sched.Reminders)
	if !sched.Enabled {
		return res, nil
	}
	// IO's 429s slow a chunk down inside the activity (Retry-After); when they
	// outlast its retries the chunk fails and comes back after a backoff.
	chunk := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		// The activity heartbeats every 10 s, so a lost worker's chunk is
		// taken up by another within half a minute.
		HeartbeatTimeout: 30 * time.Second,
		RetryPolicy:      &temporal.RetryPolicy{InitialInterval: 5 * time.Second, MaximumInterval: 5 * time.Minute},
	})
	for ; in.Stage <= len(sched.Reminders); in.Stage, in.After = in.Stage+1, 0 {
		send := issuance.MessagesInput{CampaignID: in.CampaignID, Kind: issuance.KindNotice, Size: in.ChunkSize}
		if in.Stage > 0 {
			r := sched.Reminders[in.Stage-1]
			if wait := r.At.Sub(workflow.Now(ctx)); wait > 0 {
				if err := workflow.Sleep(ctx, wait); err != nil {
					return res, err
				}
			}
			if !workflow.Now(ctx).Before(r.Due) {
				continue // too late to remind: the due date has passed
			}
			// Rows issued since the notices (a retry of failed rows) get their
			// notice first; on a campaign already reached this reads nothing.
			sweep := issuance.MessagesInput{CampaignID: in.CampaignID, Kind: issuance.KindNotice, Size: in.ChunkSize}
			for {
				var out issuance.MessagesResult
				if err := workflow.ExecuteActivity(chunk, issuance.SendMessagesName, sweep).Get(ctx, &out); err != nil {
					return res, fmt.Errorf("send late notices: %w", err)
				}
				res.Counts.add(out)
				if sweep.After = out.Next; out.Done {
					break
				}
			}
			send.Kind, send.Installment = r.Kind, r.Installment
		}
		for chunks := 0; ; chunks++ {
			if chunks >= in.ChunksPerRun {
				return res, workflow.NewContinueAsNewError(ctx, CampaignMessagesWorkflow, in)
			}
			send.After = in.After
			var out issuance.MessagesResult
			if err := workflow.ExecuteActivity(chunk, issuance.SendMessagesName, send).Get(ctx, &out); err != nil {
				return res, fmt.Errorf("send %s: %w", send.Kind, err)
			}
			res.Counts.add(out)
			in.After = out.Next
			if out.Done {
				break
			}
		}
		if in.Stage < len(sched.Reminders) {
			// A fresh run for the next stage: the history of one stage never
			// adds to the next, and the timer starts from a short history.
			next := in
			next.Stage, next.After = in.Stage+1, 0
			return res, workflow.NewContinueAsNewError(ctx, CampaignMessagesWorkflow, next)
		}
	}
	return res, nil
}
