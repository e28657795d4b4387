package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// PraticaReceipts serves the payment receipts (RT) of a pratica to whoever may see it.
type PraticaReceipts struct {
	Pratiche  *pratica.Store
	Positions *pagopa.Store
}

// Routes registers the receipt download.
func (h *PraticaReceipts) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodGet, Path: "/api/pratiche/:id/receipt", Perm: Perm{"pratica", "read"}, Tag: "payments",
		Summary: "Download the payment receipt (the RT as the pagoPA node sent it) of a paid pratica; ?notice= picks one of several (installments), default the last paid"}, h.receipt)
}

func (h *PraticaReceipts) receipt(c echo.Context) error {
	ctx := c.Request().Context()
	pr, err := h.Pratiche.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	if err := CanSee(PrincipalOf(c), pr); err != nil {
		return err
	}
	ps, err := h.Positions.List(ctx, pagopa.PositionFilter{PraticaID: pr.ID})
	if err != nil {
		return err
	}
	notice := c.QueryParam("notice")
	var found *pagopa.StoredReceipt
	for _, p := range ps {
		rs, err := h.Positions.PaidReceipts(ctx, p.ID)
		if err != nil {
			return err
		}
		for i := range rs {
			if notice == "" || rs[i].NoticeNumber == notice {
				found = &rs[i]
			}
		}
	}
	if found == nil {
		return &errs.Error{Code: errs.NotFound, Reason: "not_paid",
			Message: "no payment receipt for this pratica yet / nessuna ricevuta di pagamento per questa pratica"}
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
