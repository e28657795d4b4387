package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// TaxPositions is what the citizen's tax routes read; *pagopa.Store implements it.
type TaxPositions interface {
	Get(ctx context.Context, id string) (*pagopa.Position, error)
	PaidReceipts(ctx context.Context, positionID string) ([]pagopa.StoredReceipt, error)
}

// Taxes is TARI online: a citizen's own positions from the ente's campaigns
// (bollettazione massiva), year by year, each option with its state, the
// notice and the receipts. Only the debtor sees them.
type Taxes struct {
	Holdings  *issuance.Store
	Positions TaxPositions
	Now       func() time.Time
}

// Routes registers the citizen's tax routes.
func (h *Taxes) Routes(r *Router) {
	read := Perm{"position", "read"}
	r.Handle(Route{Method: http.MethodGet, Path: "/api/taxes", Perm: read, Tag: "payments",
		Summary: "The signed-in citizen's tax positions from the campaigns (e.g. TARI), newest year first: each option (single payment, installments) " +
			"with amount, due date and state (paid, due, overdue, superseded), the debtor's standing and the receipts", Response: []issuance.TaxPosition{}}, h.list)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/taxes/:id", Perm: read, Tag: "payments",
		Summary: "One of the citizen's tax positions (:id is the position's id); another person's does not exist for them", Response: issuance.TaxPosition{}}, h.get)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/taxes/:id/receipt", Perm: read, Tag: "payments",
		Summary: "The payment receipt (RT) of an option of the citizen's tax position; ?notice= the option's notice number (default the last paid)"}, h.receipt)
}

func (h *Taxes) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// debtor is the caller's codice fiscale: tax positions are for citizens.
func debtor(c echo.Context) (string, error) {
	p := PrincipalOf(c)
	switch {
	case p == nil:
		return "", errs.E(errs.Unauth, "sign in to see your taxes")
	case p.Role != RoleCitizen:
		return "", &errs.Error{Code: errs.Forbidden, Reason: "citizens_only",
			Message: "tax positions are shown to their debtor; offices read them in the campaign / le posizioni si vedono nella campagna"}
	case p.FiscalCode == "":
		return "", &errs.Error{Code: errs.Forbidden, Reason: "no_fiscal_code", Message: "your identity carries no fiscal code"}
	}
	return p.FiscalCode, nil
}

func (h *Taxes) list(c echo.Context) error {
	cf, err := debtor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	hs, err := h.Holdings.Holdings(ctx, cf)
	if err != nil {
		return err
	}
	out := make([]issuance.TaxPosition, 0, len(hs))
	for _, hd := range hs {
		tp, err := h.position(ctx, hd)
		if err != nil {
			return err
		}
		out = append(out, tp)
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Taxes) position(ctx context.Context, hd issuance.Holding) (issuance.TaxPosition, error) {
	pos, err := h.Positions.Get(ctx, hd.PositionID)
	if err != nil {
		return issuance.TaxPosition{}, err
	}
	rs, err := h.Positions.PaidReceipts(ctx, pos.ID)
	if err != nil {
		return issuance.TaxPosition{}, err
	}
	return issuance.NewTaxPosition(hd, pos, rs, h.now()), nil
}

// one finds the caller's holding with position id: another person's
// position, like one that does not exist, is not found.
func (h *Taxes) one(c echo.Context) (issuance.TaxPosition, error) {
	cf, err := debtor(c)
	if err != nil {
		return issuance.TaxPosition{}, err
	}
	ctx := c.Request().Context()
	hs, err := h.Holdings.Holdings(ctx, cf)
	if err != nil {
		return issuance.TaxPosition{}, err
	}
	for _, hd := range hs {
		if hd.PositionID == c.Param("id") {
			return h.position(ctx, hd)
		}
	}
	return issuance.TaxPosition{}, errs.E(errs.NotFound, "tax position %s does not exist / posizione inesistente", c.Param("id"))
}

func (h *Taxes) get(c echo.Context) error {
	tp, err := h.one(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tp)
}

func (h *Taxes) receipt(c echo.Context) error {
	tp, err := h.one(c)
	if err != nil {
		return err
	}
	rs := tp.Receipts
	notice := c.QueryParam("notice")
	var found *pagopa.StoredReceipt
	for i := range rs {
		if notice == "" || rs[i].NoticeNumber == notice {
			found = &rs[i]
		}
	}
	if found == nil {
		return &errs.Error{Code: errs.NotFound, Reason: "not_paid",
			Message: "no payment receipt for this notice yet / nessuna ricevuta di pagamento per questo avviso"}
	}
	typ, ext := "application/xml", ".xml"
	if found.Source == "json" {
		typ, ext = "application/json", ".json"
	}
	hd := c.Response().Header()
	hd.Set("Content-Disposition", `attachment; filename="ricevuta-`+found.NoticeNumber+ext+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, typ, []byte(found.Body))
}
