package pagopa

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/errs"
)

// Activity names, persisted in workflow histories: never rename one.
const (
	IssuePositionName      = "pagopa.IssuePosition"
	PublishPositionName    = "pagopa.PublishPosition"
	InvalidatePositionName = "pagopa.InvalidatePosition"
	RenderNoticeName       = "pagopa.RenderNotice"
)

// ReceiptSignal is the name of the signal a pratica receives when its receipt arrives.
const ReceiptSignal = "pagopa.receipt"

// Payments is what the activities do; *Service implements it.
type Payments interface {
	Issue(ctx context.Context, req IssueRequest) (*Position, error)
	Publish(ctx context.Context, org, iupd string) (*Position, error)
	Invalidate(ctx context.Context, org, iupd string) (*Position, error)
}

// PositionReader finds positions; *Store implements it.
type PositionReader interface {
	ByIUPD(ctx context.Context, orgFiscalCode, iupd string) (*Position, error)
}

// Activities are the Temporal activities of the payment step.
type Activities struct {
	Payments  Payments
	Positions PositionReader
}

// PositionRef names a position: the ente's fiscal code and the iupd.
type PositionRef struct {
	OrgFiscalCode string `json:"orgFiscalCode"`
	IUPD          string `json:"iupd"`
}

// NoticeRequest asks for the notice PDF of a position in a language.
type NoticeRequest struct {
	PositionRef
	Lang string `json:"lang"`
}

// NoticeFile is a rendered notice.
type NoticeFile struct {
	Name string `json:"name"`
	PDF  []byte `json:"pdf"`
}

// IssuePosition creates (or finds, for the same iupd) the position, sends it
// to GPD and publishes it when asked. Bad input fails for good.
func (a *Activities) IssuePosition(ctx context.Context, req IssueRequest) (*Position, error) {
	p, err := a.Payments.Issue(ctx, req)
	return p, temporalError(err)
}

// PublishPosition publishes a draft position.
func (a *Activities) PublishPosition(ctx context.Context, ref PositionRef) (*Position, error) {
	p, err := a.Payments.Publish(ctx, ref.OrgFiscalCode, ref.IUPD)
	return p, temporalError(err)
}

// InvalidatePosition cancels an unpaid position: the compensation of the payment step.
func (a *Activities) InvalidatePosition(ctx context.Context, ref PositionRef) (*Position, error) {
	p, err := a.Payments.Invalidate(ctx, ref.OrgFiscalCode, ref.IUPD)
	return p, temporalError(err)
}

// RenderNotice renders the notice PDF of a position (a few tens of kilobytes,
// well within Temporal's payload limit).
func (a *Activities) RenderNotice(ctx context.Context, req NoticeRequest) (*NoticeFile, error) {
	if req.Lang == "" {
		req.Lang = "it"
	}
	p, err := a.Positions.ByIUPD(ctx, req.OrgFiscalCode, req.IUPD)
	if err != nil {
		return nil, temporalError(err)
	}
	pdf, err := RenderNotice(p, req.Lang)
	if err != nil {
		return nil, temporalError(err)
	}
	return &NoticeFile{Name: NoticeFileName(p, req.Lang), PDF: pdf}, nil
}

// temporalError makes coded errors that retrying cannot fix non-retryable,
// with the code as the error type the workflow branches on.
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
