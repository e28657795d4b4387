package issuance

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/activities/appio"
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

// Activities are the Temporal activities of a campaign.
type Activities struct {
	Store     *Store
	Positions Positions
	GPD       GPD
	// Accounting, when set, accrues every issued position in the ledger.
	Accounting Accounting
	Log        *slog.Logger
	// IO, Keys and Throttle send the campaign's App IO messages: IO's API,
	// the API key of the plan's IO service, the pace allowed per service.
	IO       IO
	Keys     appio.Keys
	Throttle *Throttle
	// IOParallel bounds the debtors in flight at once (DefaultIOParallel).
	IOParallel int
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

// IssueChunk issues up to Size pending rows: their positions are stored in
// one transaction (IUVs from the ente's sequence, under iupds derived from
// the natural key), sent to GPD, and the rows marked. A row refused for good
// (bad data, GPD's 4xx) is marked failed with the reason and lands in the
// error list; a transient failure fails the activity after the rows done are
// recorded, and the retry takes up the rest. A crash at any point issues
// nothing twice: a stored iupd is found again, and GPD answers an iupd it
// has with the existing position.
func (a *Activities) IssueChunk(ctx context.Context, in ChunkInput) (ChunkResult, error) {
	c, err := a.Store.load(ctx, in.CampaignID)
	if err != nil {
		return ChunkResult{}, temporalError(err)
	}
	rows, err := a.Store.Pending(ctx, in.CampaignID, in.Size)
	if err != nil {
		return ChunkResult{}, err
	}
	start := time.Now()
	// A GPD that heartbeats itself (the massive upload's file id, resumed
	// after a crash) must not have its details overwritten.
	self, _ := a.GPD.(interface{ Heartbeats() bool })
	heartbeat := func(v any) {
		if activity.IsActivity(ctx) && (self == nil || !self.Heartbeats()) {
			activity.RecordHeartbeat(ctx, v)
		}
	}
	results := make([]RowResult, 0, len(rows))
	want := make([]*pagopa.Position, 0, len(rows))
	lines := make([]int, 0, len(rows))
	for i := range rows {
		p, err := a.position(c, &rows[i])
		if err != nil {
			results = append(results, RowResult{Line: rows[i].Line, Error: errText(err)})
			continue
		}
		want, lines = append(want, p), append(lines, rows[i].Line)
	}
	stored, err := a.Positions.CreateMany(ctx, want)
	if err != nil {
		return ChunkResult{}, temporalError(err)
	}
	heartbeat("stored")
	var send []pagopa.GPDPosition
	var sendIdx []int
	for i, p := range stored {
		switch {
		case p.Amount() != want[i].Amount() || p.Debtor.FiscalCode != want[i].Debtor.FiscalCode:
			results = append(results, RowResult{Line: lines[i], PositionID: p.ID,
				Error: fmt.Sprintf("iupd %s already names a position of %s for another amount or debtor", p.IUPD, pagopa.FormatAmount(p.Amount()))})
		case p.Synced:
			results = append(results, RowResult{Line: lines[i], PositionID: p.ID})
		default:
			send, sendIdx = append(send, pagopa.ToGPD(p)), append(sendIdx, i)
		}
	}
	var retry error
	changes := make([]pagopa.StatusChange, 0, len(send))
	// GPD may be slow: the heartbeat goes on while the chunk is out.
	stop := beatEvery(10*time.Second, func() { heartbeat("sending") })
	outcomes := a.GPD.Send(ctx, c.OrgFiscalCode, send)
	stop()
	for j, o := range outcomes {
		i := sendIdx[j]
		p := stored[i]
		switch {
		case o.Err != nil:
			retry = o.Err
		case o.Refused != "":
			changes = append(changes, pagopa.StatusChange{ID: p.ID, Status: pagopa.Invalid})
			results = append(results, RowResult{Line: lines[i], PositionID: p.ID, Error: "GPD: " + o.Refused})
		default:
			changes = append(changes, pagopa.StatusChange{ID: p.ID, Status: o.Status, Synced: true})
			results = append(results, RowResult{Line: lines[i], PositionID: p.ID})
		}
	}
	heartbeat("sent")
	bg := context.WithoutCancel(ctx)
	if err := a.Positions.SetStatuses(bg, changes); err != nil {
		return ChunkResult{}, err
	}
	if err := a.accrue(bg, c, rows, lines, stored, results); err != nil {
		return ChunkResult{}, err
	}
	var out ChunkResult
	for _, r := range results {
		if r.Error == "" {
			out.Issued++
		} else {
			out.Failed++
		}
	}
	rate := 0.0
	if el := time.Since(start).Seconds(); el > 0 && len(results) > 0 {
		rate = float64(len(results)) / el
	}
	if err := a.Store.Mark(bg, in.CampaignID, c.OrgFiscalCode, results, rate); err != nil {
		return out, err
	}
	if retry != nil {
		return out, fmt.Errorf("issue chunk of %s: %w", in.CampaignID, retry)
	}
	if out.Pending, err = a.Store.CountPending(ctx, in.CampaignID); err != nil {
		return out, err
	}
	if a.Log != nil {
		a.Log.Info("campaign chunk issued", "campaign", in.CampaignID, "issued", out.Issued, "failed", out.Failed, "pending", out.Pending, "rate", int(rate))
	}
	return out, nil
}

// position builds and checks a row's position.
func (a *Activities) position(c *Campaign, sr *StoredRow) (*pagopa.Position, error) {
	row, err := sr.Row()
	if err != nil {
		return nil, err
	}
	req, err := Request(&c.Plan, c.Creditor, &row)
	if err != nil {
		return nil, err
	}
	p := req.Position()
	return p, p.Validate()
}

func errText(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Error()
	}
	return err.Error()
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
