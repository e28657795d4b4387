// Package engine starts pratiche and forwards actions to their Temporal
// workflows. The HTTP layer calls it; it never touches workflow internals.
package engine

import (
	"context"
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

// Forms validates the citizen's first submission against the template's form.
type Forms interface {
	ValidateSubmission(ctx context.Context, template string, version int, data map[string]any, lang string) error
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
}

// StartRequest is a citizen's request to start a pratica.
type StartRequest struct {
	Service string         `json:"service"`
	Data    map[string]any `json:"data"`
	Lang    string         `json:"-"`
}

// Start validates the request, writes the pratica row, then starts its workflow;
// if the workflow cannot start, the row is removed, so nothing half-made stays.
func (e *Engine) Start(ctx context.Context, owner string, req StartRequest) (*pratica.Pratica, error) {
	if req.Service == "" {
		return nil, errs.Field("service", "is required")
	}
	if owner == "" {
		return nil, errs.E(errs.Forbidden, "only a citizen signed in with a codice fiscale can start a pratica")
	}
	svc, err := e.Services.Resolve(ctx, req.Service)
	if err != nil {
		return nil, err
	}
	if !svc.Online {
		return nil, &errs.Error{Code: errs.Conflict, Reason: "not_online",
			Message: fmt.Sprintf("service %s cannot be started online: %s", svc.ID, svc.Reason)}
	}
	if req.Data == nil {
		req.Data = map[string]any{}
	}
	if e.Forms != nil {
		if err := e.Forms.ValidateSubmission(ctx, svc.Template, svc.Version, req.Data, req.Lang); err != nil {
			return nil, err
		}
	}
	p := &pratica.Pratica{
		ID: uuid.NewString(), Ente: svc.Ente, Service: svc.ID,
		Template: fmt.Sprintf("%s@%d", svc.Template, svc.Version), TemplateHash: svc.Hash,
		Owner: owner, Status: pratica.Submitted, Holder: "citizen", Data: pratica.MustJSON(req.Data),
		Actions: pratica.Strings{},
	}
	if err := e.Store.Create(ctx, p); err != nil {
		return nil, err
	}
	in := workflows.PraticaInput{PraticaID: p.ID, Ente: svc.Ente, Service: svc.ID, Template: svc.Template,
		Version: svc.Version, Hash: svc.Hash, Owner: owner, Lang: req.Lang, Data: req.Data}
	_, err = e.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    workflows.PraticaWorkflowID(p.ID),
		TaskQueue:             e.TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.PraticaWorkflow, in)
	if err != nil {
		if derr := e.Store.Delete(context.WithoutCancel(ctx), p.ID); derr != nil {
			e.Log.Error("remove pratica after failed start", "pratica", p.ID, "err", derr)
		}
		return nil, errs.Wrap(err, "start pratica workflow")
	}
	e.Log.Info("pratica started", "pratica", p.ID, "service", svc.ID, "template", p.Template)
	return p, nil
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
		return nil, e.actionError(ctx, id, req.Action, err)
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
