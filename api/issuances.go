package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Issuances are the routes of the bollettazione massiva: a finance office
// creates a campaign with its plan, uploads the roll, reads the dry run,
// confirms, follows the progress, steers it, and reads the payments back.
type Issuances struct {
	Service *issuance.Service
	Now     func() time.Time
	// positions reads the campaign's positions for its notices (WithNotices).
	positions issuance.PositionLoader
	// invalidator cancels one issued position (WithInvalidator).
	invalidator PositionInvalidator
}

// NewIssuances returns the issuance module.
func NewIssuances(svc *issuance.Service) *Issuances { return &Issuances{Service: svc} }

// IssuanceBody creates a campaign.
type IssuanceBody struct {
	Plan issuance.Plan `json:"plan"`
}

// Routes registers the issuance routes.
func (h *Issuances) Routes(r *Router) {
	read, create, upd := Perm{"issuance", "read"}, Perm{"issuance", "create"}, Perm{"issuance", "update"}
	ex := issuance.Campaign{ID: "8f0c…", Ente: "c_l424", Status: issuance.Issuing, Rows: 110000,
		Progress: &issuance.Progress{Total: 110000, Issued: 52000, Pending: 58000, Percent: 47.3, RatePerSec: 900, ETASeconds: 64}}
	r.Handle(Route{Method: http.MethodPost, Path: "/api/issuances", Perm: create, Tag: "issuance", Domain: queryEnte,
		Summary: "Create a draft campaign of positions (bollettazione massiva) with its plan: tax, year, single option and/or installments, components with beneficiary and accounting line",
		Request: IssuanceBody{Plan: issuance.Plan{Tax: "TARI", Year: 2026, Subject: "TARI 2026", SingleDue: "2026-04-30",
			Installments: []string{"2026-04-30", "2026-07-31", "2026-10-31"}}}, Response: ex}, h.create)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "The ente's campaigns, newest first (?limit=&offset=)", Response: []issuance.Campaign{ex}}, h.list)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "A campaign with its progress: rows pending, issued, failed, refused, rate and ETA", Response: ex}, h.get)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/issuances/:id/roll", Perm: upd, Tag: "issuance", Domain: queryEnte,
		Summary: "Upload the roll of a draft (text/csv: header tax_year,debtor_type,fiscal_code,name,address,<component>_amount[,<component>_capitolo,_articolo,_accertamento]; " +
			"or application/json {rows:[...]}, amounts in cents); answers the dry run; every bad row is refused with its line and field; nothing is issued",
		Response: issuance.DryRun{}}, h.upload)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/dry-run", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "The dry run of the roll: totals per option, beneficiary and accounting line, rows refused", Response: issuance.DryRun{}}, h.dryRun)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/issuances/:id/confirm", Perm: upd, Tag: "issuance", Domain: queryEnte,
		Summary: "Confirm a draft: one workflow issues its rows in chunks (a cancelled campaign's pending rows too)", Response: ex}, h.confirm)
	for _, a := range []string{"pause", "resume", "cancel"} {
		r.Handle(Route{Method: http.MethodPost, Path: "/api/issuances/:id/" + a, Perm: upd, Tag: "issuance", Domain: queryEnte,
			Summary: "The campaign's workflow is told to " + a + " (at the next chunk boundary); answers the state recorded", Response: ex}, h.act(a))
	}
	r.Handle(Route{Method: http.MethodPost, Path: "/api/issuances/:id/retry", Perm: upd, Tag: "issuance", Domain: queryEnte,
		Summary: "Issue again only the rows whose position failed", Response: ex}, h.retry)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/errors", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "The error list: rows refused by validation and rows refused when issued, by line (?limit=&offset=)", Response: []issuance.Problem{}}, h.problems)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/debtors", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "Riscontri: each issued debtor's state (paid, partially_paid, overdue, unpaid) with each option; ?state= filters (overdue: the next step, sollecito); " +
			"?format=csv gives one line per option for the tax office's software", Response: []issuance.DebtorState{}}, h.debtors)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/summary", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "Debtors by state with the amounts due and paid", Response: issuance.StateSummary{}}, h.summary)
	h.noticeRoutes(r)
	h.appioRoutes(r, read)
	h.invalidateRoutes(r)
}

func (h *Issuances) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// campaign loads the campaign of the path for a caller who serves its ente;
// another ente's campaign does not exist for them.
func (h *Issuances) campaign(c echo.Context) (*issuance.Campaign, error) {
	id := c.Param("id")
	camp, err := h.Service.Store.Get(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if p := PrincipalOf(c); !p.ServesEnte(camp.Ente) {
		return nil, errs.E(errs.NotFound, "campaign %s does not exist / campagna inesistente", id)
	}
	return camp, nil
}

func (h *Issuances) create(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	var b IssuanceBody
	if err := BindStrict(c, &b); err != nil {
		return err
	}
	camp, err := h.Service.Create(c.Request().Context(), ente, PrincipalOf(c).Subject, b.Plan)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, camp)
}

func (h *Issuances) list(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	pg, err := PageOf(c, 50, 500)
	if err != nil {
		return err
	}
	out, total, err := h.Service.Store.List(c.Request().Context(), ente, pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

func (h *Issuances) get(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, camp)
}

func (h *Issuances) upload(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	var format string
	switch mediaType(c) {
	case "text/csv":
		format = "csv"
	case "application/json":
		format = "json"
	default:
		return errs.Field("Content-Type", "must be text/csv or application/json / deve essere text/csv o application/json")
	}
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	d, err := h.Service.Upload(c.Request().Context(), camp, format, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *Issuances) dryRun(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	d, err := h.Service.Store.DryRunOf(c.Request().Context(), camp.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *Issuances) confirm(c echo.Context) error {
	return h.step(c, h.Service.Confirm)
}

func (h *Issuances) retry(c echo.Context) error {
	return h.step(c, h.Service.Retry)
}

func (h *Issuances) act(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		return h.step(c, func(ctx context.Context, camp *issuance.Campaign) (*issuance.Campaign, error) {
			return h.Service.Act(ctx, camp, action)
		})
	}
}

func (h *Issuances) step(c echo.Context, f func(context.Context, *issuance.Campaign) (*issuance.Campaign, error)) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	out, err := f(c.Request().Context(), camp)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Issuances) problems(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	pg, err := PageOf(c, 100, 500)
	if err != nil {
		return err
	}
	out, total, err := h.Service.Store.Problems(c.Request().Context(), camp.ID, pg.Limit, pg.Offset)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

func (h *Issuances) summary(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	var s issuance.StateSummary
	err = h.Service.Store.EachDebtor(c.Request().Context(), camp.ID, h.now(), func(d *issuance.DebtorState) error {
		s.Add(d)
		return nil
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// debtors streams the riscontri: JSON array or CSV, never all in memory.
func (h *Issuances) debtors(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	state := issuance.DebtorStatus(c.QueryParam("state"))
	switch state {
	case "", issuance.StatePaid, issuance.StatePartiallyPaid, issuance.StateOverdue, issuance.StateUnpaid, issuance.StateCancelled:
	default:
		return errs.Field("state", "must be paid, partially_paid, overdue, unpaid or cancelled")
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		return errs.Field("format", "must be json or csv")
	}
	w := c.Response()
	keep := func(d *issuance.DebtorState) bool { return state == "" || d.State == state }
	if format == "csv" {
		w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="riscontri-`+camp.ID+`.csv"`)
		w.WriteHeader(http.StatusOK)
		cw := csv.NewWriter(w)
		cw.Write([]string{"line", "fiscal_code", "name", "iupd", "state", "notice_number", "iuv", "installment", "due_date", "amount", "paid", "paid_at", "receipt_id"})
		err := h.Service.Store.EachDebtor(c.Request().Context(), camp.ID, h.now(), func(d *issuance.DebtorState) error {
			if !keep(d) {
				return nil
			}
			for _, o := range d.Options {
				paidAt := ""
				if o.PaidAt != nil {
					paidAt = o.PaidAt.In(calendar.Rome).Format(time.RFC3339)
				}
				cw.Write([]string{strconv.Itoa(d.Line), d.FiscalCode, d.Name, d.IUPD, string(d.State), o.NoticeNumber, o.IUV,
					strconv.FormatBool(o.Installment), o.DueDate.In(calendar.Rome).Format(time.DateOnly), issuance.Euro(o.Amount),
					strconv.FormatBool(o.Paid), paidAt, o.ReceiptID})
			}
			return cw.Error()
		})
		cw.Flush()
		return err
	}
	return streamJSONArray(w, func(emit func(any) error) error {
		return h.Service.Store.EachDebtor(c.Request().Context(), camp.ID, h.now(), func(d *issuance.DebtorState) error {
			if !keep(d) {
				return nil
			}
			return emit(d)
		})
	})
}
