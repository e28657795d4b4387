package engine

import (
	"context"

	"github.com/sportello/sportello/attachment"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
)

// Attachments binds uploaded files to the pratica whose data names them
// (attachment.Service). Claim checks each against its form field and returns
// the ids it bound now; Release unbinds them when the submission fails after.
type Attachments interface {
	Claim(ctx context.Context, c attachment.Claim) ([]string, error)
	Release(ctx context.Context, praticaID string, ids []string) error
}

// claim binds the files of a first submission to the pratica about to be
// written. The claim comes first: a crash before the row leaves files bound to
// a pratica that does not exist, which the attachment sweeper deletes.
func (e *Engine) claim(ctx context.Context, owner string, p *pratica.Pratica, data map[string]any) ([]string, error) {
	if e.Attachments == nil {
		return nil, nil
	}
	pin := p.Pinned()
	return e.Attachments.Claim(ctx, attachment.Claim{Owner: owner, PraticaID: p.ID, Template: pin.ID, Version: pin.Version, Data: data})
}

// claimIntegration binds the files of a citizen's integration (the answer to
// an office asking for a document) to the pratica, checked against the start
// form's file fields the integration is merged into.
func (e *Engine) claimIntegration(ctx context.Context, id string, req workflows.ActionRequest) ([]string, error) {
	if e.Attachments == nil || req.Action != workflows.ActIntegrate || len(req.Data) == 0 {
		return nil, nil
	}
	p, err := e.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return e.claim(ctx, req.Actor.Subject, p, req.Data)
}

// release unbinds files a failed submission claimed; failing to is only logged,
// because the files are the uploader's and stay listed on their own pratica.
func (e *Engine) release(ctx context.Context, praticaID string, ids []string) {
	if e.Attachments == nil || len(ids) == 0 {
		return
	}
	if err := e.Attachments.Release(context.WithoutCancel(ctx), praticaID, ids); err != nil {
		e.Log.Warn("release attachments", "pratica", praticaID, "err", err)
	}
}
