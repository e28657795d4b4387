package pagopa

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"go.temporal.io/sdk/activity"

	"github.com/sportello/sportello/errs"
)

// BulkOutcome is what GPD did with one position of a massive upload.
type BulkOutcome struct {
	IUPD string `json:"iupd"`
	// Created is true when GPD created (or, for an update, replaced) the position.
	Created bool `json:"created"`
	// Status is the HTTP status GPD gave the position in the report (201
	// created, 400 invalid, 409 the iupd or an iuv exists already); 0 when
	// the report does not name the position.
	Status int `json:"status"`
	// Reason is GPD's message for a refused position.
	Reason string `json:"reason,omitempty"`
}

// Exists reports whether GPD refused the position because it has its iupd
// already: after a retried upload, the position is most likely ours.
func (o BulkOutcome) Exists() bool { return !o.Created && o.Status == http.StatusConflict }

// BulkCreate creates positions in GPD through one massive upload file and
// returns, in the order of positions, what became of each: created, or
// refused with GPD's reason. It waits for the file to be processed, polling
// its status with a growing pause and calling Heartbeat at each poll, and
// returns early with the context's error when ctx ends. An error means the
// file as a whole was not processed (refused, or its report never came).
//
// Inside an activity retried after a crash, the file id of the last
// heartbeat (BulkProgress) for ctx's group (WithBulkGroup) is resumed
// instead of uploading the file again;
// the activity's heartbeat timeout must exceed PollMax.
func (b *Bulk) BulkCreate(ctx context.Context, org string, positions []GPDPosition) ([]BulkOutcome, error) {
	iupds := make([]string, len(positions))
	for i, p := range positions {
		iupds[i] = p.IUPD
	}
	if id := resumeFile(ctx); id != "" {
		return b.Wait(ctx, org, id, iupds)
	}
	id, err := b.Upload(ctx, org, positions)
	if err != nil {
		return nil, err
	}
	if b.Heartbeat != nil {
		b.Heartbeat(ctx, id, nil)
	}
	return b.Wait(ctx, org, id, iupds)
}

// BulkProgress is the heartbeat detail of a massive upload: the file and how
// far GPD has processed it.
type BulkProgress struct {
	FileID    string `json:"fileId"`
	Status    string `json:"status,omitempty"`
	Processed int    `json:"processed"`
	Submitted int    `json:"submitted"`
	// Files is the file of every group the activity has sent (see
	// WithBulkGroup), FileID's included, by group.
	Files map[string]string `json:"files,omitempty"`
}

// ActivityHeartbeat records a BulkProgress heartbeat when ctx is an
// activity's, and does nothing otherwise; NewBulk sets it as Heartbeat.
func ActivityHeartbeat(ctx context.Context, fileID string, st *UploadStatus) {
	if !activity.IsActivity(ctx) {
		return
	}
	p := BulkProgress{FileID: fileID, Files: bulkFilesOf(ctx, fileID)}
	if st != nil {
		p.Status, p.Processed, p.Submitted = st.OperationStatus, st.ProcessedItem, st.SubmittedItem
	}
	activity.RecordHeartbeat(ctx, p)
}

// Wait polls the status of file id until GPD has processed it, then reads its
// report and returns the outcome of each of iupds, in their order. It is
// what BulkCreate does after the upload, so a caller that kept the file id
// (in its heartbeat, say) can resume after a crash without uploading again.
func (b *Bulk) Wait(ctx context.Context, org, id string, iupds []string) ([]BulkOutcome, error) {
	wait := max(b.PollEvery, 1)
	for {
		st, err := b.Status(ctx, org, id)
		switch {
		case err == nil:
			if b.Heartbeat != nil {
				b.Heartbeat(ctx, id, st)
			}
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case transient(err):
			b.log().Warn("gpd upload status failed, polling again", "file", id, "err", err)
			if b.Heartbeat != nil {
				b.Heartbeat(ctx, id, nil)
			}
		default:
			return nil, err
		}
		if st != nil && st.OperationStatus != "" && st.OperationStatus != UploadInProgress {
			break
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
		wait = min(wait*2, max(b.PollMax, wait))
	}
	rep, err := b.report(ctx, org, id)
	if err != nil {
		return nil, err
	}
	return Outcomes(rep, iupds), nil
}

// report reads the report of a processed file, waiting while GPD says it is
// not ready or a transient failure stops it, at most ReportAttempts times.
func (b *Bulk) report(ctx context.Context, org, id string) (*UploadReport, error) {
	wait := max(b.PollEvery, 1)
	var last error
	for i := 0; i < max(b.ReportAttempts, 1); i++ {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
			wait = min(wait*2, max(b.PollMax, wait))
		}
		rep, err := b.Report(ctx, org, id)
		if err == nil {
			return rep, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !errors.Is(err, ErrReportNotReady) && !transient(err) {
			return nil, err
		}
		last = err
		if b.Heartbeat != nil {
			b.Heartbeat(ctx, id, nil)
		}
	}
	return nil, fmt.Errorf("gpd upload %s: no report after %d reads: %w", id, max(b.ReportAttempts, 1), last)
}

// transient reports whether err is a failure worth another try: not one of
// the errs codes the client gives to permanent answers.
func transient(err error) bool {
	if err == nil {
		return false
	}
	_, coded := errs.As(err)
	return !coded
}

// Outcomes maps a report to the outcome of each of iupds, in their order. A
// position the report does not name is refused with status 0, so it lands in
// an error list instead of limbo.
func Outcomes(rep *UploadReport, iupds []string) []BulkOutcome {
	by := make(map[string]UploadResponse, len(iupds))
	for _, r := range rep.Responses {
		for _, iupd := range r.IUPDs {
			by[iupd] = r
		}
	}
	out := make([]BulkOutcome, len(iupds))
	for i, iupd := range iupds {
		r, ok := by[iupd]
		switch {
		case !ok:
			out[i] = BulkOutcome{IUPD: iupd, Reason: "not in GPD's upload report / assente dal rapporto di caricamento GPD"}
		case r.StatusCode >= 200 && r.StatusCode < 300:
			out[i] = BulkOutcome{IUPD: iupd, Created: true, Status: r.StatusCode}
		default:
			out[i] = BulkOutcome{IUPD: iupd, Status: r.StatusCode, Reason: r.StatusMessage}
		}
	}
	return out
}
