package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/errs"
)

// appioRoutes registers the campaign's App IO view: counts per message kind
// and the debtors the notice could not reach on IO, for paper.
func (h *Issuances) appioRoutes(r *Router, read Perm) {
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/appio", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary:  "The campaign on App IO: the notice's messages sent, not on IO, service disabled, failed, unknown (an attempt ended without IO's answer), pending; each reminder's",
		Response: issuance.IOReport{}}, h.appio)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/appio/paper", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary:  "The debtors the notice could not reach on App IO (not on IO, service disabled, refused by IO), for paper, in line order; ?format=csv for the print office",
		Response: []issuance.PaperDebtor{}}, h.paper)
}

func (h *Issuances) appio(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	rep, err := h.Service.Store.IOReport(c.Request().Context(), camp)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// paper streams the paper list, JSON or CSV, never all in memory.
func (h *Issuances) paper(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		return errs.Field("format", "must be json or csv / deve essere json o csv")
	}
	w := c.Response()
	ctx := c.Request().Context()
	if format == "csv" {
		w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="non-su-io-`+camp.ID+`.csv"`)
		w.WriteHeader(http.StatusOK)
		cw := csv.NewWriter(w)
		cw.Write([]string{"line", "fiscal_code", "name", "address", "status", "reason"})
		err := h.Service.Store.EachPaperDebtor(ctx, camp.ID, func(d *issuance.PaperDebtor) error {
			cw.Write([]string{strconv.Itoa(d.Line), d.FiscalCode, d.Name, d.Address, string(d.Status), d.Reason})
			return cw.Error()
		})
		cw.Flush()
		return err
	}
	return streamJSONArray(w, func(emit func(any) error) error {
		return h.Service.Store.EachPaperDebtor(ctx, camp.ID, func(d *issuance.PaperDebtor) error { return emit(d) })
	})
}
