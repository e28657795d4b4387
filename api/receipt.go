package api

import (
	"bytes"
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
		Summary: "Download the payment receipt of a paid pratica: the RT as the pagoPA node sent it, or with format=pdf the citizen's receipt in the Accept-Language (it, en, sl); ?notice= picks one of several (installments), default the last paid"}, h.receipt)
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
	var found *paidReceipt
	for _, p := range ps {
		rs, err := h.Positions.PaidReceipts(ctx, p.ID)
		if err != nil {
			return err
		}
		for i := range rs {
			if notice == "" || rs[i].NoticeNumber == notice {
				found = &paidReceipt{rs[i], p}
			}
		}
	}
	if found == nil {
		return &errs.Error{Code: errs.NotFound, Reason: "not_paid",
			Message: "no payment receipt for this pratica yet / nessuna ricevuta di pagamento per questa pratica"}
	}
	hd := c.Response().Header()
	if c.QueryParam("format") == "pdf" {
		var b bytes.Buffer
		l := c.QueryParam("lang")
		if l == "" {
			l = lang(c)
		}
		if err := pagopa.WriteReceiptPDF(&b, found.position, found.StoredReceipt, l); err != nil {
			return err
		}
		hd.Set("Content-Disposition", `attachment; filename="ricevuta-`+found.NoticeNumber+`.pdf"`)
		hd.Set("X-Content-Type-Options", "nosniff")
		return c.Blob(http.StatusOK, "application/pdf", b.Bytes())
	}
	typ, ext := "application/xml", ".xml"
	if found.Source == "json" {
		typ, ext = "application/json", ".json"
	}
	hd.Set("Content-Disposition", `attachment; filename="ricevuta-`+found.NoticeNumber+ext+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, typ, []byte(found.Body))
}

// paidReceipt is a receipt with the position it pays.
type paidReceipt struct {
	pagopa.StoredReceipt
	position *pagopa.Position
}
