package issuance

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// Names persisted in workflow histories: never rename one.
const (
	WorkflowName     = "IssueCampaign"
	IssueChunkName   = "issuance.IssueChunk"
	SetStatusName    = "issuance.SetStatus"
	PauseUpdate      = "issuance.pause"
	ResumeUpdate     = "issuance.resume"
	CancelUpdate     = "issuance.cancel"
	WorkflowIDPrefix = "issuance-"
)

// WorkflowID is the workflow of campaign id: its random id only, never personal data.
func WorkflowID(id string) string { return WorkflowIDPrefix + id }

// Issuer issues one position: stores it with its IUVs under its iupd and
// sends it to GPD, idempotently (the same iupd again finds the first).
// *pagopa.Service implements it with GPD's single-position API; a bulk
// client can take its place behind this interface.
type Issuer interface {
	Issue(ctx context.Context, req pagopa.IssueRequest) (*pagopa.Position, error)
}

// Activities are the Temporal activities of a campaign.
type Activities struct {
	Store  *Store
	Issuer Issuer
	// Parallel is how many rows of a chunk are issued at once (default 4):
	// GPD answers over the network, the store serialises what it must.
	Parallel int
	Log      *slog.Logger
}

// ChunkInput asks for the next chunk of a campaign's pending rows.
type ChunkInput struct {
	CampaignID string `json:"campaignId"`
	Size       int    `json:"size"`
}

// ChunkResult counts a chunk's outcome and what is left.
type ChunkResult struct {
	Issued  int `json:"issued"`
	Failed  int `json:"failed"`
	Pending int `json:"pending"`
}

// StatusInput moves a campaign to a state.
type StatusInput struct {
	CampaignID string `json:"campaignId"`
	Status     Status `json:"status"`
}

// SetStatus records the campaign's state for the API to read.
func (a *Activities) SetStatus(ctx context.Context, in StatusInput) error {
	return temporalError(a.Store.SetStatus(ctx, in.CampaignID, in.Status))
}

// IssueChunk issues up to Size pending rows, heartbeating as it goes. A row
// refused for good (bad data, GPD's 4xx) is marked failed with the reason and
// lands in the error list; a transient failure fails the activity after the
// rows done are recorded, and the retry takes up the rest: issuing is
// idempotent on each row's iupd, so a crash at any point issues nothing twice.
func (a *Activities) IssueChunk(ctx context.Context, in ChunkInput) (ChunkResult, error) {
	c, err := a.Store.Get(ctx, in.CampaignID)
	if err != nil {
		return ChunkResult{}, temporalError(err)
	}
	rows, err := a.Store.Pending(ctx, in.CampaignID, in.Size)
	if err != nil {
		return ChunkResult{}, err
	}
	start := time.Now()
	par := a.Parallel
	if par <= 0 {
		par = 4
	}
	results := make([]*RowResult, len(rows))
	var (
		mu    sync.Mutex
		retry error
		done  int
		wg    sync.WaitGroup
		lines = make(chan int)
	)
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				res, err := a.issueRow(ctx, c, &rows[i])
				mu.Lock()
				if err != nil {
					retry = err
				} else {
					results[i] = res
				}
				done++
				if done%50 == 0 && activity.IsActivity(ctx) {
					activity.RecordHeartbeat(ctx, done)
				}
				mu.Unlock()
			}
		}()
	}
	for i := range rows {
		if ctx.Err() != nil {
			break
		}
		lines <- i
	}
	close(lines)
	wg.Wait()
	var out ChunkResult
	marks := make([]RowResult, 0, len(rows))
	for _, r := range results {
		if r == nil {
			continue
		}
		marks = append(marks, *r)
		if r.Error == "" {
			out.Issued++
		} else {
			out.Failed++
		}
	}
	rate := 0.0
	if el := time.Since(start).Seconds(); el > 0 && len(marks) > 0 {
		rate = float64(len(marks)) / el
	}
	if err := a.Store.Mark(context.WithoutCancel(ctx), in.CampaignID, marks, rate); err != nil {
		return out, err
	}
	if retry != nil {
		return out, fmt.Errorf("issue chunk of %s: %w", in.CampaignID, retry)
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	if out.Pending, err = a.Store.CountPending(ctx, in.CampaignID); err != nil {
		return out, err
	}
	if a.Log != nil {
		a.Log.Info("campaign chunk issued", "campaign", in.CampaignID, "issued", out.Issued, "failed", out.Failed, "pending", out.Pending, "rate", int(rate))
	}
	return out, nil
}

// issueRow issues one row; a nil result with an error means "retry later".
func (a *Activities) issueRow(ctx context.Context, c *Campaign, sr *StoredRow) (*RowResult, error) {
	row, err := sr.Row()
	if err != nil {
		return &RowResult{Line: sr.Line, Error: err.Error()}, nil
	}
	req, err := Request(&c.Plan, c.Creditor, &row)
	if err != nil {
		return &RowResult{Line: sr.Line, Error: err.Error()}, nil
	}
	p, err := a.Issuer.Issue(ctx, req)
	switch code := errs.CodeOf(err); {
	case err == nil:
		return &RowResult{Line: sr.Line, PositionID: p.ID}, nil
	case code == errs.Invalid || code == errs.Conflict || code == errs.Forbidden || code == errs.NotFound:
		msg := err.Error()
		if e, ok := errs.As(err); ok {
			msg = e.Error()
		}
		return &RowResult{Line: sr.Line, Error: msg}, nil
	}
	return nil, err
}

// temporalError makes coded errors that retrying cannot fix non-retryable.
func temporalError(err error) error {
	if err == nil {
		return nil
	}
	switch code := errs.CodeOf(err); code {
	case errs.Invalid, errs.NotFound, errs.Conflict, errs.Forbidden:
		return temporal.NewNonRetryableApplicationError(err.Error(), string(code), err)
	}
	return err
}
