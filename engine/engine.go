// Package engine starts pratiche and forwards actions to their Temporal
// workflows. The HTTP layer calls it; it never touches workflow internals.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
)

// Service is what the engine needs to know of a catalog service to start a pratica.
type Service struct {
	ID       string
	Ente     string
	Template string
	Version  int
	Hash     string
	// Online is false for services offered only at the front desk; Reason says why, in Italian and English.
	Online bool
	Reason string
}

// Services resolves a catalog service to the template it runs.
type Services interface {
	Resolve(ctx context.Context, serviceID string) (Service, error)
}

// Forms validates the citizen's first submission against the template's form,
// normalising data in place (what is stored is the normalised value); owner is
// the applicant the form's rules see.
type Forms interface {
	ValidateSubmission(ctx context.Context, template string, version int, owner string, data map[string]any, lang string) error
}

// Offices checks that an office belongs to an ente's organisation chart.
type Offices interface {
	Office(ctx context.Context, ente, office string) error
}

// Engine starts pratiche and sends them actions.
type Engine struct {
	Temporal  client.Client
	Store     *pratica.Store
	Services  Services
	Forms     Forms
	TaskQueue string
	Log       *slog.Logger
	// Offices, when set, checks the office a task is reassigned to.
	Offices Offices
	// Attachments, when set, binds the files a submission or an integration
	// names to the pratica (see attachments.go).
	Attachments Attachments
}

// StartRequest is a citizen's request to start a pratica.
type StartRequest struct {
	Service string         `json:"service"`
	Data    map[string]any `json:"data"`
	Lang    string         `json:"-"`
	// OwnerName is the citizen's name from the sign-in, for the debtor on notices.
	OwnerName string `json:"-"`
	// Key is the Idempotency-Key header: a retry with the same key by the same
	// citizen gets the same pratica.
	Key string `json:"-"`
}

// Start validates the request and writes the pratica row together with the
// intent to start its workflow, then starts the workflow (its id is the
// pratica's) and marks the intent done. A crash or a Temporal failure in
// between leaves the intent, which Reconcile finishes, so no row is ever left
// without its execution. With a key the citizen already used, it returns that
// key's pratica (created false) and starts nothing new.
func (e *Engine) Start(ctx context.Context, owner string, req StartRequest) (p *pratica.Pratica, created bool, err error) {
	if req.Service == "" {
		return nil, false, errs.Field("service", "is required")
	}
	if owner == "" {
		return nil, false, errs.E(errs.Forbidden, "only a citizen signed in with a codice fiscale can start a pratica")
	}
	if len(req.Key) > 200 {
		return nil, false, errs.Field(KeyHeader, "must be at most 200 characters / al massimo 200 caratteri")
	}
	hash := requestHash(req)
	if req.Key != "" {
		if st, err := e.Store.StartByKey(ctx, owner, req.Key); err == nil {
			p, err := e.replay(ctx, st, hash)
			return p, false, err
		} else if !errs.Is(err, errs.NotFound) {
			return nil, false, err
		}
	}
	svc, err := e.Services.Resolve(ctx, req.Service)
	if err != nil {
		return nil, false, err
	}
	if !svc.Online {
		return nil, false, &errs.Error{Code: errs.Conflict, Reason: "not_online",
			Message: fmt.Sprintf("service %s cannot be started online: %s", svc.ID, svc.Reason)}
	}
	if req.Data == nil {
		req.Data = map[string]any{}
	}
	if e.Forms != nil {
		if err := e.Forms.ValidateSubmission(ctx, svc.Template, svc.Version, owner, req.Data, req.Lang); err != nil {
			return nil, false, err
		}
	}
	p = &pratica.Pratica{
		ID: uuid.NewString(), Ente: svc.Ente, Service: svc.ID,
		Template: fmt.Sprintf("%s@%d", svc.Template, svc.Version), TemplateHash: svc.Hash,
		Owner: owner, Status: pratica.Submitted, Holder: pratica.HolderCitizen, Data: pratica.MustJSON(req.Data),
		Actions: pratica.Strings{},
	}
	st := &pratica.Start{Owner: owner, Key: req.Key, RequestHash: hash, Lang: req.Lang, OwnerName: debtorName(req.OwnerName)}
	claimed, err := e.claim(ctx, owner, p, req.Data)
	if err != nil {
		return nil, false, err
	}
	prev, err := e.Store.CreateStarting(ctx, p, st)
	if err != nil || prev != nil {
		e.release(ctx, p.ID, claimed)
	}
	if err != nil {
		return nil, false, err
	}
	if prev != nil {
		p, err := e.replay(ctx, prev, hash)
		return p, false, err
	}
	if err := e.launch(ctx, p, st); err != nil {
		// The row and its intent are stored: the reconciler starts the workflow.
		e.Log.Warn("pratica stored, its workflow will be started by the reconciler", "pratica", p.ID, "err", err)
		return p, true, nil
	}
	e.Log.Info("pratica started", "pratica", p.ID, "service", svc.ID, "template", p.Template)
	return p, true, nil
}

// KeyHeader is the header a client sends so that retrying a start is safe.
const KeyHeader = "Idempotency-Key"

// replay answers a retry: the pratica its key started, once the request is the
// same; its workflow is started now if the first attempt did not get that far.
func (e *Engine) replay(ctx context.Context, st *pratica.Start, hash string) (*pratica.Pratica, error) {
	if st.RequestHash != hash {
		return nil, &errs.Error{Code: errs.Invalid, Reason: "key_reused",
			Message: KeyHeader + ": was already used for a different request; send a new key for a new pratica / " +
				"è già stata usata per una richiesta diversa: usare una nuova chiave per una nuova pratica",
			Fields: []errs.FieldError{{Field: KeyHeader, Message: "was already used for a different request / già usata per una richiesta diversa"}}}
	}
	p, err := e.Store.Get(ctx, st.PraticaID)
	if err != nil {
		return nil, err
	}
	if st.StartedAt == nil {
		if err := e.launch(ctx, p, st); err != nil {
			e.Log.Warn("pratica stored, its workflow will be started by the reconciler", "pratica", p.ID, "err", err)
		}
	}
	return p, nil
}

// launch starts the workflow of a stored pratica, with the pratica id as its
// workflow id, and marks its intent done; a workflow that already exists counts as started.
func (e *Engine) launch(ctx context.Context, p *pratica.Pratica, st *pratica.Start) error {
	var data map[string]any
	if err := json.Unmarshal(p.Data, &data); err != nil {
		return errs.Wrap(err, "decode data of pratica %s", p.ID)
	}
	pin := p.Pinned()
	in := workflows.PraticaInput{PraticaID: p.ID, Ente: p.Ente, Service: p.Service, Template: pin.ID,
		Version: pin.Version, Hash: pin.Hash, Owner: p.Owner, OwnerName: st.OwnerName, Lang: st.Lang, Data: data}
	_, err := e.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    workflows.PraticaWorkflowID(p.ID),
		TaskQueue:             e.TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.PraticaWorkflow, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) {
		return errs.Wrap(err, "start pratica workflow")
	}
	return e.Store.MarkStarted(context.WithoutCancel(ctx), p.ID)
}

// requestHash identifies a start request by its service and data, so a retry
// is told from another request under the same key.
func requestHash(req StartRequest) string {
	b, _ := json.Marshal(struct {
		Service string         `json:"service"`
		Data    map[string]any `json:"data"`
	}{req.Service, req.Data})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Act sends an action to a pratica's workflow as an update. The workflow's
// validator refuses an action not allowed now before it is recorded; that comes
// back as a conflict listing the allowed actions.
func (e *Engine) Act(ctx context.Context, id string, req workflows.ActionRequest) (*workflows.ActionResult, error) {
	if strings.TrimSpace(req.Action) == "" {
		return nil, errs.Field("action", "is required")
	}
	if err := e.checkOffice(ctx, id, req); err != nil {
		return nil, err
	}
	claimed, err := e.claimIntegration(ctx, id, req)
	if err != nil {
		return nil, err
	}
	h, err := e.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.PraticaWorkflowID(id),
		UpdateName:   workflows.ActionUpdate,
		Args:         []any{req},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	var res workflows.ActionResult
	if err == nil {
		err = h.Get(ctx, &res)
	}
	if err != nil {
		err = e.actionError(ctx, id, req.Action, err)
		if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) {
			// Refused for sure: the files go back to their uploader. Any other
			// failure (a timeout) may hide an integration that landed, whose files stay.
			e.release(ctx, id, claimed)
		}
		return nil, err
	}
	return &res, nil
}

func (e *Engine) actionError(ctx context.Context, id, action string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return &errs.Error{Code: errs.Conflict, Reason: "pratica_closed", Allowed: []string{},
			Message: fmt.Sprintf("pratica %s is closed: no action is allowed", id)}
	}
	if mapped := workflows.ActionError(action, err); mapped != err {
		return mapped
	}
	return errs.Wrap(err, "act %s on pratica %s", action, id)
}

// Signal delivers a payment receipt to a pratica's workflow.
func (e *Engine) Signal(ctx context.Context, praticaID, name string, arg any) error {
	err := e.Temporal.SignalWorkflow(ctx, workflows.PraticaWorkflowID(praticaID), "", name, arg)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return errs.E(errs.NotFound, "pratica %s has no running workflow", praticaID)
	}
	return err
}

// checkOffice refuses a reassignment to an office the pratica's ente does not
// have: nobody would see the task. A missing office is left to the workflow's
// validator, which names the field too.
func (e *Engine) checkOffice(ctx context.Context, id string, req workflows.ActionRequest) error {
	office, _ := req.Data["office"].(string)
	if req.Action != workflows.ActReassign || e.Offices == nil || strings.TrimSpace(office) == "" {
		return nil
	}
	p, err := e.Store.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := e.Offices.Office(ctx, p.Ente, office); err != nil {
		if errs.Is(err, errs.NotFound) {
			return errs.Field("data.office", "%s is not an office of %s / non è un ufficio dell'ente", office, p.Ente)
		}
		return fmt.Errorf("check office %s: %w", office, err)
	}
	return nil
}
