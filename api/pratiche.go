package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/engine"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
)

// PraticaExtra adds what other areas know of a pratica (payments, messages) to its detail.
type PraticaExtra func(ctx context.Context, p *pratica.Pratica) (key string, value any, err error)

// Pratiche is the citizen status API and the operator inbox.
type Pratiche struct {
	Engine *engine.Engine
	Store  *pratica.Store
	Extras []PraticaExtra
	Now    func() time.Time
}

// Routes registers the pratiche routes.
func (h *Pratiche) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodPost, Path: "/api/pratiche", Perm: Perm{"pratica", "create"}, Tag: "pratiche",
		Summary: "Start a pratica of a service with the citizen's form data; a retry with the same Idempotency-Key header returns the same pratica (200), the same key with another body is 422", Request: engine.StartRequest{}, Response: pratica.Pratica{}}, h.start)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/pratiche", Perm: Perm{"pratica", "read"}, Tag: "pratiche",
		Summary: "List pratiche: a citizen's own, or an operator's ente's", Response: []pratica.Pratica{}}, h.list)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/pratiche/:id", Perm: Perm{"pratica", "read"}, Tag: "pratiche",
		Summary: "One pratica with its timeline, holder, deadline, payments and messages", Response: Detail{}}, h.get)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/pratiche/:id/actions", Perm: Perm{"pratica", "act"}, Tag: "pratiche",
		Summary: "Act on a pratica (submit, integrate, withdraw, take charge, approve, reject ...); 409 lists the actions allowed now",
		Request: ActionBody{}, Response: workflows.ActionResult{}}, h.act)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/tasks", Perm: Perm{"task", "read"}, Tag: "inbox",
		Summary: "Operator inbox: the ente's open tasks with service, applicant, office, state, legal deadline and days left; " +
			"?service=, ?state=open,claimed,done,cancelled, ?overdue=true, ?q= (pratica id start or applicant name), " +
			"?sort=deadline|created|service|applicant|office|state (- for descending; default deadline), paged", Response: []pratica.Task{}}, h.tasks)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/tasks/:id", Perm: Perm{"task", "read"}, Tag: "inbox",
		Summary: "One task of the inbox, with its days left, for the task page", Response: pratica.Task{}}, h.oneTask)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/tasks/:id/claim", Perm: Perm{"task", "act"}, Tag: "inbox",
		Summary: "Claim a task: the pratica's workflow takes it in charge (take_charge) and the timeline shows it", Response: pratica.Task{}}, h.claim)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/tasks/:id/complete", Perm: Perm{"task", "act"}, Tag: "inbox",
		Summary: "Complete a task with an outcome and its form data", Request: ActionBody{}, Response: workflows.ActionResult{}}, h.complete)
}

// ActionBody is an action on a pratica or the completion of a task.
type ActionBody struct {
	Action string         `json:"action"`
	Data   map[string]any `json:"data,omitempty"`
	Reason string         `json:"reason,omitempty"`
}

// Detail is one pratica as the citizen and the operator see it.
type Detail struct {
	pratica.Pratica
	StatusLabel string `json:"statusLabel"`
	// TemplateVersion names the template version the pratica runs, pinned at its start.
	TemplateVersion pratica.Pinned  `json:"templateVersion"`
	DaysLeft        *int            `json:"daysLeft,omitempty"`
	Timeline        []pratica.Event `json:"timeline"`
	Tasks           []pratica.Task  `json:"tasks"`
	Extra           map[string]any  `json:"extra,omitempty"`
}

// lang is the language of the answer: English, Slovenian (a form rule's
// message, for the Slovenian-speaking minority of Friuli Venezia Giulia;
// every other text falls back to Italian) or Italian.
func lang(c echo.Context) string {
	al := strings.ToLower(c.Request().Header.Get("Accept-Language"))
	switch {
	case strings.HasPrefix(al, "en"):
		return "en"
	case strings.HasPrefix(al, "sl"):
		return "sl"
	}
	return "it"
}

func (h *Pratiche) start(c echo.Context) error {
	p := PrincipalOf(c)
	var req engine.StartRequest
	if err := BindStrict(c, &req); err != nil {
		return err
	}
	if p == nil || p.Role != RoleCitizen {
		return &errs.Error{Code: errs.Forbidden, Reason: "citizens_only", Message: "only citizens start pratiche"}
	}
	req.Lang, req.Key, req.OwnerName = lang(c), c.Request().Header.Get(engine.KeyHeader), p.Name
	pr, created, err := h.Engine.Start(c.Request().Context(), p.FiscalCode, req)
	if err != nil {
		return err
	}
	if !created {
		return c.JSON(http.StatusOK, pr) // a retry with the same Idempotency-Key
	}
	return c.JSON(http.StatusCreated, pr)
}

func (h *Pratiche) list(c echo.Context) error {
	p := PrincipalOf(c)
	f := pratica.Filter{Status: pratica.Status(c.QueryParam("status"))}
	pg, err := PageOf(c, pratica.DefaultPage, pratica.MaxPage)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	switch {
	case p == nil:
		return errs.E(errs.Unauth, "sign in to list pratiche")
	case p.Role == RoleCitizen:
		f.Owner = p.FiscalCode
	case p.Role == RoleRegionalAdmin:
		f.Ente = c.QueryParam("ente")
	default:
		f.Ente = p.Ente
		f.Office = c.QueryParam("office")
	}
	out, err := h.Store.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	total, err := h.Store.Count(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

// load returns the pratica if the caller may see it: its owner, or staff of its ente, or the region.
func (h *Pratiche) load(c echo.Context, id string) (*pratica.Pratica, error) {
	pr, err := h.Store.Get(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if err := CanSee(PrincipalOf(c), pr); err != nil {
		return nil, err
	}
	return pr, nil
}

// CanSee is the object-level rule of pratiche: citizens see their own, staff their ente's.
func CanSee(p *Principal, pr *pratica.Pratica) error {
	switch {
	case p == nil:
		return errs.E(errs.Unauth, "sign in to see pratiche")
	case p.Role == RoleRegionalAdmin:
		return nil
	case p.Role == RoleCitizen:
		if p.FiscalCode != "" && p.FiscalCode == pr.Owner {
			return nil
		}
		return &errs.Error{Code: errs.Forbidden, Reason: "not_owner", Message: "this pratica belongs to someone else"}
	default:
		if p.Ente != "" && p.Ente == pr.Ente {
			return nil
		}
		return &errs.Error{Code: errs.Forbidden, Reason: "other_ente", Message: "this pratica belongs to another ente"}
	}
}

func (h *Pratiche) get(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := h.load(c, c.Param("id"))
	if err != nil {
		return err
	}
	d := Detail{Pratica: *pr, StatusLabel: pr.Status.Label(lang(c)), TemplateVersion: pr.Pinned(), Extra: map[string]any{}}
	if d.Timeline, err = h.Store.Timeline(ctx, pr.ID); err != nil {
		return err
	}
	if d.Tasks, err = h.Store.OpenTasks(ctx, pr.ID); err != nil {
		return err
	}
	switch {
	case pr.Status.Final():
	case pr.Suspended && pr.DaysRemaining != nil:
		// A suspended term does not run: its days left are those it kept.
		n := *pr.DaysRemaining
		d.DaysLeft = &n
	case pr.Deadline != nil:
		n := pratica.DaysLeft(h.now(), *pr.Deadline)
		d.DaysLeft = &n
	}
	for _, x := range h.Extras {
		k, v, err := x(ctx, pr)
		if err != nil {
			return err
		}
		d.Extra[k] = v
	}
	return c.JSON(http.StatusOK, d)
}

func (h *Pratiche) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// rome is where dates typed by people are read (DESIGN decision 5).
var rome = calendar.Rome

func actorOf(p *Principal) workflows.Actor {
	a := workflows.Actor{Subject: p.Subject, Role: p.Role, Ente: p.Ente, Office: p.Office}
	if p.Role == RoleCitizen {
		a.Subject = p.FiscalCode
	}
	return a
}

func (h *Pratiche) act(c echo.Context) error {
	var body ActionBody
	if err := BindStrict(c, &body); err != nil {
		return err
	}
	pr, err := h.load(c, c.Param("id"))
	if err != nil {
		return err
	}
	res, err := h.Engine.Act(c.Request().Context(), pr.ID, workflows.ActionRequest{
		Action: body.Action, Actor: actorOf(PrincipalOf(c)), Data: body.Data, Reason: body.Reason})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (h *Pratiche) tasks(c echo.Context) error {
	p := PrincipalOf(c)
	if p == nil {
		return errs.E(errs.Unauth, "sign in to see the inbox")
	}
	f := pratica.TaskFilter{Ente: p.Ente, Office: p.Office, Role: c.QueryParam("role")}
	if p.Role == RoleRegionalAdmin || p.Role == RoleEnteAdmin {
		f.Office = c.QueryParam("office")
		if p.Role == RoleRegionalAdmin && c.QueryParam("ente") != "" {
			f.Ente = c.QueryParam("ente")
		}
	}
	now := h.now()
	if err := inboxQuery(c, &f, now); err != nil {
		return err
	}
	pg, err := PageOf(c, pratica.DefaultPage, pratica.MaxPage)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	out, err := h.Store.Tasks(c.Request().Context(), f)
	if err != nil {
		return err
	}
	withDaysLeft(out, now)
	total, capped, err := h.Store.CountTasksUpTo(c.Request().Context(), f, countCapOf(pg))
	if err != nil {
		return err
	}
	return PagedUpTo(c, out, total, capped, pg)
}

func (h *Pratiche) task(c echo.Context) (*pratica.Task, error) {
	t, err := h.Store.Task(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	p := PrincipalOf(c)
	if p == nil || (p.Role != RoleRegionalAdmin && p.Ente != t.Ente) {
		return nil, &errs.Error{Code: errs.Forbidden, Reason: "other_ente", Message: "this task belongs to another ente"}
	}
	if p.Role == RoleOperator && p.Office != "" && t.Office != "" && p.Office != t.Office {
		return nil, &errs.Error{Code: errs.Forbidden, Reason: "other_office", Message: "this task belongs to office " + t.Office}
	}
	return t, nil
}

// claim takes a task in charge through the pratica's workflow (an update), so
// the workflow knows who holds it; the inbox row follows the recorded transition.
// Claiming again a task one already holds changes nothing.
func (h *Pratiche) claim(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := h.task(c)
	if err != nil {
		return err
	}
	p := PrincipalOf(c)
	switch {
	case t.State == pratica.TaskClaimed && t.ClaimedBy == p.Subject:
		return c.JSON(http.StatusOK, t)
	case t.State == pratica.TaskClaimed:
		return &errs.Error{Code: errs.Conflict, Reason: "claimed_by_other", Message: "task claimed by " + t.ClaimedBy}
	case t.State != pratica.TaskOpen:
		return &errs.Error{Code: errs.Conflict, Reason: "task_closed", Message: "task is " + t.State}
	}
	if _, err := h.Engine.Act(ctx, t.PraticaID, workflows.ActionRequest{
		Action: workflows.ActTakeCharge, Actor: actorOf(p), Task: t.Step}); err != nil {
		return err
	}
	if t, err = h.Store.Task(ctx, t.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *Pratiche) complete(c echo.Context) error {
	var body ActionBody
	if err := BindStrict(c, &body); err != nil {
		return err
	}
	t, err := h.task(c)
	if err != nil {
		return err
	}
	p := PrincipalOf(c)
	if t.State == pratica.TaskClaimed && t.ClaimedBy != p.Subject {
		return &errs.Error{Code: errs.Conflict, Reason: "claimed_by_other", Message: "task claimed by " + t.ClaimedBy}
	}
	if t.State != pratica.TaskOpen && t.State != pratica.TaskClaimed {
		return &errs.Error{Code: errs.Conflict, Reason: "task_closed", Message: "task is " + t.State}
	}
	res, err := h.Engine.Act(c.Request().Context(), t.PraticaID, workflows.ActionRequest{
		Action: body.Action, Actor: actorOf(p), Task: t.Step, Data: body.Data, Reason: body.Reason})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
