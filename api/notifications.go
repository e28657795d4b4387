package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// Campaigns plans and starts App IO campaigns; *appio.Launcher implements it.
type Campaigns interface {
	Plan(ctx context.Context, in appio.CampaignInput) ([]appio.Planned, error)
	Start(ctx context.Context, in appio.CampaignInput) (string, error)
}

// Notifications are the App IO campaign routes and the identity card registry.
type Notifications struct {
	Campaigns Campaigns
	Store     *appio.Store
	Now       func() time.Time
}

// NewNotifications returns the notifications module.
func NewNotifications(c Campaigns, st *appio.Store) *Notifications {
	return &Notifications{Campaigns: c, Store: st}
}

// CampaignBody configures a run of the identity card expiry reminder.
type CampaignBody struct {
	Service    string `json:"service"`
	DaysBefore int    `json:"daysBefore"`
	Day        string `json:"day,omitempty"` // default today, Europe/Rome
}

// CampaignStarted answers a started run.
type CampaignStarted struct {
	WorkflowID string `json:"workflowId"`
}

// Routes registers the notification routes.
func (h *Notifications) Routes(r *Router) {
	upd := Perm{"campaign", "update"}
	body := CampaignBody{Service: "c_l424.cie-scadenza", DaysBefore: 30}
	r.Handle(Route{Method: http.MethodPost, Path: "/api/campaigns/cie-scadenza/dry-run", Perm: upd, Tag: "notifications", Domain: queryEnte,
		Summary: "Dry run of the identity card expiry reminder: who would get which App IO message; nothing is sent",
		Request: body, Response: []appio.Planned{}}, h.dryRun)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/campaigns/cie-scadenza/runs", Perm: upd, Tag: "notifications", Domain: queryEnte,
		Summary: "Start the identity card expiry reminder now (the Schedule runs it every morning); each card is reminded once",
		Request: body, Response: CampaignStarted{WorkflowID: "campaign-cie-scadenza-c_l424-2026-11-27"}}, h.start)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/campaigns/cie-scadenza/cards", Perm: upd, Tag: "notifications", Domain: queryEnte,
		Summary:  "Import identity cards (CSV: card_number,fiscal_code,expires_on[,given_name]); cards already known are skipped",
		Response: appio.ImportResult{Added: 120}}, h.importCards)
}

func (h *Notifications) input(c echo.Context) (appio.CampaignInput, error) {
	ente, err := staffEnte(c, false)
	if err != nil {
		return appio.CampaignInput{}, err
	}
	var b CampaignBody
	if err := BindStrict(c, &b); err != nil {
		return appio.CampaignInput{}, err
	}
	if !strings.HasPrefix(b.Service, ente+".") {
		return appio.CampaignInput{}, errs.Field("service", "must be a service of %s", ente)
	}
	if b.Day == "" {
		now := time.Now
		if h.Now != nil {
			now = h.Now
		}
		b.Day = now().In(calendar.Rome).Format(time.DateOnly)
	}
	return appio.CampaignInput{Ente: ente, Service: b.Service, DaysBefore: b.DaysBefore, Day: b.Day}, nil
}

func (h *Notifications) dryRun(c echo.Context) error {
	in, err := h.input(c)
	if err != nil {
		return err
	}
	out, err := h.Campaigns.Plan(c.Request().Context(), in)
	if err != nil {
		return err
	}
	if out == nil {
		out = []appio.Planned{}
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Notifications) start(c echo.Context) error {
	in, err := h.input(c)
	if err != nil {
		return err
	}
	id, err := h.Campaigns.Start(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, CampaignStarted{WorkflowID: id})
}

func (h *Notifications) importCards(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	if mt := mediaType(c); mt != "text/csv" {
		return errs.Field("Content-Type", "must be text/csv")
	}
	res, err := h.Store.ImportCards(c.Request().Context(), ente, http.MaxBytesReader(c.Response(), c.Request().Body, 16<<20))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// PraticaExtra adds the pratica's App IO messages to its detail under "messages".
func (h *Notifications) PraticaExtra() PraticaExtra {
	return func(ctx context.Context, p *pratica.Pratica) (string, any, error) {
		msgs, err := h.Store.List(ctx, appio.MessageFilter{PraticaID: p.ID, Limit: 50})
		return "messages", msgs, err
	}
}
