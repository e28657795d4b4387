package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/errs"
)

// Reconciliation is the operators' and machine clients' face of the ledger:
// imports of flows and journals, the exceptions queue, the day report, the
// ledger's CSV export.
type Reconciliation struct {
	Ledger *ledger.Service
}

// NewReconciliation returns the reconciliation module.
func NewReconciliation(svc *ledger.Service) *Reconciliation { return &Reconciliation{Ledger: svc} }

// queryEnte lets a regional admin name the ente; others act on their own.
func queryEnte(c echo.Context) string { return c.QueryParam("ente") }

// Routes registers the reconciliation and ledger routes.
func (h *Reconciliation) Routes(r *Router) {
	imp := Perm{"reconciliation", "import"}
	r.Handle(Route{Method: http.MethodPost, Path: "/api/reconciliation/imports/fdr", Perm: imp, Tag: "reconciliation", Domain: queryEnte,
		Summary:  "Import a flusso di rendicontazione: FlussoRiversamento XML, or the FdR API's JSON {flow, payments: [pages]}; the same flow again is a no-op",
		Response: ledger.ImportResult{Kind: "fdr", Ente: "c_l424", ID: "2026-11-27BCITITMM-S2026112701", Added: 10}}, h.importFDR)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/reconciliation/imports/giornale", Perm: imp, Tag: "reconciliation", Domain: queryEnte,
		Summary:  "Import a giornale di cassa: OPI XML 1.4 to 1.8 (application/xml) or CSV (text/csv); movements already imported are skipped",
		Response: ledger.ImportResult{Kind: "giornale", Ente: "c_l424", ID: "GDC-20261127", Added: 3}}, h.importJournal)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/reconciliation/runs", Perm: Perm{"reconciliation", "update"}, Tag: "reconciliation", Domain: queryEnte,
		Summary: "Reconcile the ente's receipts, flows and credits up to a day now (the daily Schedule does it every morning)",
		Request: RunBody{Day: "2026-11-27"}, Response: ledger.RunReport{}}, h.run)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/reconciliation/exceptions", Perm: Perm{"reconciliation", "read"}, Tag: "reconciliation", Domain: queryEnte,
		Summary: "The exceptions queue: what did not match, with pratica and position when known (?status=open|resolved&outcome=&day=&intermediary=)", Response: []ledger.Exception{}}, h.exceptions)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/reconciliation/exceptions/:id/resolve", Perm: Perm{"reconciliation", "update"}, Tag: "reconciliation", Domain: queryEnte,
		Summary: "Resolve an exception with a note", Request: ResolveBody{Resolution: "Riversamento verificato con il PSP"}, Response: ledger.Exception{}}, h.resolve)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/reconciliation/report", Perm: Perm{"reconciliation", "read"}, Tag: "reconciliation", Domain: queryEnte,
		Summary: "The day's reconciliation of the ente (?day=YYYY-MM-DD): items by outcome, amounts, open exceptions", Response: ledger.DayReport{}}, h.report)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/ledger/entries.csv", Perm: Perm{"ledger", "read"}, Tag: "ledger", Domain: queryEnte,
		Summary: "The ledger's entries as CSV for the ente's accounting system (?from=&to=, YYYY-MM-DD)"}, h.entriesCSV)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/ledger/balance", Perm: Perm{"ledger", "read"}, Tag: "ledger", Domain: queryEnte,
		Summary: "Trial balance of the ente's ledger", Response: ledger.Balance{}}, h.balance)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/ledger/entries/:id/reverse", Perm: Perm{"ledger", "update"}, Tag: "ledger", Domain: queryEnte,
		Summary: "Correct an entry by posting its reversal (storno); entries never change", Request: ResolveBody{Resolution: "capitolo errato"}, Response: ledger.Entry{}}, h.reverse)
}

// RunBody asks for a reconciliation run.
type RunBody struct {
	Day string `json:"day"`
}

// ResolveBody closes an exception or explains a reversal.
type ResolveBody struct {
	Resolution string `json:"resolution"`
}

// fdrJSON is a flow read from the FdR API: the flow and its payment pages.
type fdrJSON struct {
	Flow     json.RawMessage   `json:"flow"`
	Payments []json.RawMessage `json:"payments"`
}

// staffEnte is the ente a staff caller acts on: their own, or for the region
// the one named by ?ente=. importing allows the region to import for any ente.
func staffEnte(c echo.Context, importing bool) (string, error) {
	p := PrincipalOf(c)
	switch {
	case p == nil:
		return "", errs.E(errs.Unauth, "sign in first")
	case p.Role == RoleCitizen:
		return "", &errs.Error{Code: errs.Forbidden, Reason: "staff_only", Message: "reconciliation is for the ente's staff"}
	case p.Role == RoleRegionalAdmin || p.Ente == Region:
		if e := c.QueryParam("ente"); e != "" || importing {
			return e, nil
		}
		return "", errs.Field("ente", "is required for regional users")
	case p.Ente == "":
		return "", &errs.Error{Code: errs.Forbidden, Reason: "no_ente", Message: "you belong to no ente"}
	}
	return p.Ente, nil
}

func mediaType(c echo.Context) string {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	return mt
}

func (h *Reconciliation) importFDR(c echo.Context) error {
	ente, err := staffEnte(c, true)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	body := bytes.NewReader(raw)
	var res ledger.ImportResult
	switch mt := mediaType(c); {
	case mt == "application/json":
		var in fdrJSON
		dec := json.NewDecoder(body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return errs.Field("body", "must be {\"flow\": ..., \"payments\": [...]}: %v", err)
		}
		if len(in.Flow) == 0 {
			return errs.Field("flow", "is required")
		}
		pages := make([]io.Reader, len(in.Payments))
		for i, p := range in.Payments {
			pages[i] = bytes.NewReader(p)
		}
		res, err = h.Ledger.ImportFDRJSON(ctx, ente, bytes.NewReader(in.Flow), pages...)
	case mt == "application/xml" || mt == "text/xml":
		res, err = h.Ledger.ImportFDRXML(ctx, ente, body)
	default:
		return errs.Field("Content-Type", "must be application/xml or application/json")
	}
	if err != nil {
		return err
	}
	return c.JSON(importStatus(res), res)
}

func (h *Reconciliation) importJournal(c echo.Context) error {
	ente, err := staffEnte(c, true)
	if err != nil {
		return err
	}
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	body := bytes.NewReader(raw)
	var res ledger.ImportResult
	switch mt := mediaType(c); mt {
	case "application/xml", "text/xml":
		res, err = h.Ledger.ImportOPIXML(c.Request().Context(), ente, body)
	case "text/csv":
		res, err = h.Ledger.ImportOPICSV(c.Request().Context(), ente, body)
	default:
		return errs.Field("Content-Type", "must be application/xml or text/csv")
	}
	if err != nil {
		return err
	}
	return c.JSON(importStatus(res), res)
}

// importStatus is 201 when an import added something, 200 when it was all known.
func importStatus(res ledger.ImportResult) int {
	if res.Added > 0 {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (h *Reconciliation) run(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	var in RunBody
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	rep, err := h.Ledger.Reconcile(c.Request().Context(), ente, in.Day)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

func (h *Reconciliation) exceptions(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	f := ledger.ExceptionFilter{Ente: ente, Status: c.QueryParam("status"), Outcome: ledger.Outcome(c.QueryParam("outcome")), Day: c.QueryParam("day")}
	if f.Status != "" && f.Status != ledger.Open && f.Status != ledger.Resolved {
		return errs.Field("status", "must be open or resolved")
	}
	if im := c.QueryParam("intermediary"); im != "" {
		if f.SegregationCodes, err = h.Ledger.IntermediaryCodes(c.Request().Context(), ente, im); err != nil {
			return err
		}
	}
	pg, err := PageOf(c, 100, 500)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	out, err := h.Ledger.Exceptions(c.Request().Context(), f)
	if err != nil {
		return err
	}
	total, err := h.Ledger.CountExceptions(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

func (h *Reconciliation) resolve(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	var in ResolveBody
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	x, err := h.Ledger.Resolve(c.Request().Context(), ente, c.Param("id"), PrincipalOf(c).Subject, strings.TrimSpace(in.Resolution))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, x)
}

func (h *Reconciliation) report(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	rep, err := h.Ledger.Report(c.Request().Context(), ente, c.QueryParam("day"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

func (h *Reconciliation) entriesCSV(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.Ledger.ExportCSV(c.Request().Context(), ente, c.QueryParam("from"), c.QueryParam("to"), &buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="ledger-`+ente+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (h *Reconciliation) balance(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	b, err := h.Ledger.Balance(c.Request().Context(), ente)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (h *Reconciliation) reverse(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	var in ResolveBody
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	if len(strings.TrimSpace(in.Resolution)) < 3 {
		return errs.Field("resolution", "must say why the entry is reversed")
	}
	e, err := h.Ledger.Reverse(c.Request().Context(), ente, c.Param("id"), in.Resolution)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}
