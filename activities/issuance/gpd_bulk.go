package issuance

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// BulkGPD sends a chunk's positions to GPD as one massive upload file
// (gpd_massive_v2), then polls its status and reads its report; the client
// heartbeats the file id, so an activity retried after a crash resumes the
// same file instead of uploading it again. Single-position calls are kept for
// corrections: a position GPD says it has already (a lost or duplicated
// answer, a file uploaded twice) is read back and taken when it is ours, and
// a position the report does not name is created alone (GPD answers an iupd
// it has with the existing position). A position GPD refuses lands in the
// outcome with GPD's reason, never in limbo.
type BulkGPD struct {
	Bulk   *pagopa.Bulk
	Single pagopa.GPD
	// Now dates the status of a position created with a validity date ahead.
	Now func() time.Time
}

// Heartbeats tells IssueChunk that the massive upload client records the
// activity's heartbeat (its file id) itself.
func (BulkGPD) Heartbeats() bool { return true }

// Send uploads ps as one file and tells each position's outcome, in order.
func (b BulkGPD) Send(ctx context.Context, org string, ps []pagopa.GPDPosition) []Outcome {
	out := make([]Outcome, len(ps))
	if len(ps) == 0 {
		return out
	}
	res, err := b.Bulk.BulkCreate(ctx, org, ps)
	if errs.Is(err, errs.NotFound) {
		// The file resumed from the last heartbeat is unknown to GPD: send
		// the positions again (an iupd GPD has answers 409, read back below).
		res, err = b.again(ctx, org, ps)
	}
	if err != nil {
		switch {
		case errs.Is(err, errs.Invalid) && len(ps) > 1:
			// The file as a whole was refused (too large a zip, say): two
			// smaller files each.
			half := len(ps) / 2
			return append(b.Send(ctx, org, ps[:half]), b.Send(ctx, org, ps[half:])...)
		case errs.Is(err, errs.Invalid):
			out[0].Refused = err.Error()
			return out
		}
		for i := range out {
			out[i].Err = fmt.Errorf("gpd massive upload: %w", err)
		}
		return out
	}
	single := SingleGPD{GPD: b.Single}
	for i, r := range res {
		switch {
		case r.Created:
			out[i].Status = b.created(&ps[i])
		case r.Exists():
			out[i] = b.ours(ctx, org, &ps[i], r.Reason)
		case r.Status == 0:
			// Not in the report: create it alone.
			out[i] = single.Send(ctx, org, ps[i:i+1])[0]
		case r.Status == http.StatusTooManyRequests || r.Status >= 500:
			out[i].Err = fmt.Errorf("gpd massive upload of %s: %d %s", r.IUPD, r.Status, r.Reason)
		default:
			out[i].Refused = fmt.Sprintf("%d %s", r.Status, r.Reason)
		}
	}
	return out
}

// again uploads ps as a new file and waits for its report.
func (b BulkGPD) again(ctx context.Context, org string, ps []pagopa.GPDPosition) ([]pagopa.BulkOutcome, error) {
	id, err := b.Bulk.Upload(ctx, org, ps)
	if err != nil {
		return nil, err
	}
	if b.Bulk.Heartbeat != nil {
		b.Bulk.Heartbeat(ctx, id, nil)
	}
	iupds := make([]string, len(ps))
	for i := range ps {
		iupds[i] = ps[i].IUPD
	}
	return b.Bulk.Wait(ctx, org, id, iupds)
}

// created is the status of a position GPD created and published.
func (b BulkGPD) created(p *pagopa.GPDPosition) pagopa.Status {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	if p.ValidityDate != nil && p.ValidityDate.After(now()) {
		return pagopa.Published
	}
	return pagopa.Valid
}

// ours reads back a position GPD refused as existing: when it has our
// notices, GPD took it before (a retried file, a lost answer) and it counts
// as created; otherwise the iupd or an IUV belongs to another position.
func (b BulkGPD) ours(ctx context.Context, org string, p *pagopa.GPDPosition, reason string) Outcome {
	g, err := b.Single.GetPosition(ctx, org, p.IUPD)
	switch {
	case errs.Is(err, errs.NotFound):
		return Outcome{Refused: "409 " + reason}
	case err != nil:
		return Outcome{Err: fmt.Errorf("read back position %s: %w", p.IUPD, err)}
	}
	if !sameOptions(g, p) {
		return Outcome{Refused: fmt.Sprintf("409 %s: GPD holds iupd %s with other notices / GPD ha la posizione %s con altri avvisi", reason, p.IUPD, p.IUPD)}
	}
	if pagopa.Status(g.Status) == pagopa.Draft {
		if g, err = b.Single.PublishPosition(ctx, org, p.IUPD); err != nil {
			return Outcome{Err: fmt.Errorf("publish position %s: %w", p.IUPD, err)}
		}
	}
	return Outcome{Status: pagopa.Status(g.Status)}
}

// sameOptions reports whether GPD's position has the IUVs and amounts of ours.
func sameOptions(g, p *pagopa.GPDPosition) bool {
	if g.FiscalCode != p.FiscalCode || len(g.PaymentOption) != len(p.PaymentOption) {
		return false
	}
	for i := range p.PaymentOption {
		if g.PaymentOption[i].IUV != p.PaymentOption[i].IUV || g.PaymentOption[i].Amount != p.PaymentOption[i].Amount {
			return false
		}
	}
	return true
}
