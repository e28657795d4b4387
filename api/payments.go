package api

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// PaymentStore is what the payment routes read; *pagopa.Store implements it.
type PaymentStore interface {
	Get(ctx context.Context, id string) (*pagopa.Position, error)
	List(ctx context.Context, f pagopa.PositionFilter) ([]*pagopa.Position, error)
	CountPositions(ctx context.Context, f pagopa.PositionFilter) (int64, error)
	Anomalies(ctx context.Context, f pagopa.AnomalyFilter) ([]pagopa.Anomaly, error)
	CountAnomalies(ctx context.Context, f pagopa.AnomalyFilter) (int64, error)
}

// Payments is the pagoPA area: the receipt endpoints the node (through the
// intermediary) calls, positions and their notices, spontaneous payments and
// the anomalies queue.
type Payments struct {
	Receipts    *pagopa.Receipts
	Store       PaymentStore
	Spontaneous *pagopa.Spontaneous
	// FiscalCodeOf maps an ente's IPA code to its fiscal code (from the catalog),
	// to scope the anomalies an operator sees.
	FiscalCodeOf func(ctx context.Context, ente string) (string, error)
	// EnteOf maps a creditor's fiscal code to the ente's IPA code (from the
	// catalog), to check that a receipt's creditor is one the caller serves.
	EnteOf func(ctx context.Context, fiscalCode string) (string, error)
}

// NewPayments returns the payments module.
func NewPayments(receipts *pagopa.Receipts, st PaymentStore, spo *pagopa.Spontaneous, fiscalCodeOf func(ctx context.Context, ente string) (string, error)) *Payments {
	return &Payments{Receipts: receipts, Store: st, Spontaneous: spo, FiscalCodeOf: fiscalCodeOf}
}

// ReceiptAnswer is the answer to a JSON receipt.
type ReceiptAnswer struct {
	ReceiptID string         `json:"receiptId"`
	Outcome   pagopa.Outcome `json:"outcome"`
}

// Routes registers the payment routes.
func (h *Payments) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodPost, Path: "/api/payments/receipts/soap", Perm: Perm{"receipt", "create"}, Tag: "payments",
		Summary: "Receive a receipt as SOAP paSendRT or paSendRTV2 (text/xml); answers paSendRTRes / paSendRTV2Response"}, h.soap)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/payments/receipts", Perm: Perm{"receipt", "create"}, Tag: "payments",
		Summary:  "Receive a receipt as JSON (biz events CtReceiptModelResponse); idempotent on receiptId",
		Response: ReceiptAnswer{ReceiptID: "c110729d258c4ab1b765fe902aae41d6", Outcome: pagopa.OutcomePaid}}, h.json)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/payments/positions", Perm: Perm{"position", "read"}, Tag: "payments",
		Summary: "Debt positions: a citizen's own, or an operator's ente's; ?praticaId=", Response: []pagopa.Position{}}, h.list)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/payments/positions/:id", Perm: Perm{"position", "read"}, Tag: "payments",
		Summary: "A debt position with its options (notice numbers, amounts, due dates, status)", Response: pagopa.Position{}}, h.position)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/payments/positions/:id/notice", Perm: Perm{"position", "read"}, Tag: "payments",
		Summary: "The payment notice PDF (avviso di pagamento); ?lang=it|en|sl"}, h.notice)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/payments/spontaneous", Perm: Perm{"payment", "create"}, Tag: "payments",
		Summary: "Start a spontaneous payment of a service: issues a notice to pay at any PSP",
		Request: pagopa.SpontaneousRequest{ServiceID: "c_l424.suolo-pubblico", Quantity: 12, Reason: "dehors"}, Response: pagopa.Position{}}, h.spontaneous)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/payments/anomalies", Perm: Perm{"anomaly", "read"}, Tag: "payments",
		Summary: "Receipts that matched no payable notice, for operators; ?unresolved=true", Response: []pagopa.Anomaly{}}, h.anomalies)
	h.noticeRoutes(r)
}

func (h *Payments) soap(c echo.Context) error {
	status, body := h.Receipts.SOAP(c.Request().Context(), c.Request().Body, h.creditorCheck(PrincipalOf(c)))
	return c.Blob(status, "text/xml; charset=utf-8", body)
}

func (h *Payments) json(c echo.Context) error {
	data, err := io.ReadAll(io.LimitReader(c.Request().Body, pagopa.MaxReceiptBody+1))
	if err != nil {
		return errs.Field("body", "cannot be read")
	}
	if len(data) > pagopa.MaxReceiptBody {
		return errs.Field("body", "is larger than %d bytes", pagopa.MaxReceiptBody)
	}
	r, err := pagopa.ReceiptFromJSON(data)
	if err != nil {
		return err
	}
	if err := h.creditorCheck(PrincipalOf(c))(c.Request().Context(), r.FiscalCode); err != nil {
		return err
	}
	rec, err := h.Receipts.Record(c.Request().Context(), r, "json", data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReceiptAnswer{ReceiptID: r.ReceiptID, Outcome: rec.Outcome})
}

// CanSeePosition is the object-level rule of positions: the debtor, staff of
// the creditor ente, or the region.
func CanSeePosition(p *Principal, pos *pagopa.Position) error {
	switch {
	case p == nil:
		return errs.E(errs.Unauth, "sign in to see payments")
	case p.Role == RoleRegionalAdmin:
		return nil
	case p.Role == RoleCitizen:
		if p.FiscalCode != "" && p.FiscalCode == pos.Debtor.FiscalCode {
			return nil
		}
		return &errs.Error{Code: errs.Forbidden, Reason: "not_debtor", Message: "this payment belongs to someone else"}
	default:
		if p.Ente != "" && p.Ente == pos.Creditor.Ente {
			return nil
		}
		return &errs.Error{Code: errs.Forbidden, Reason: "other_ente", Message: "this payment belongs to another ente"}
	}
}

func (h *Payments) load(c echo.Context) (*pagopa.Position, error) {
	pos, err := h.Store.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if err := CanSeePosition(PrincipalOf(c), pos); err != nil {
		return nil, err
	}
	return pos, nil
}

func (h *Payments) list(c echo.Context) error {
	p := PrincipalOf(c)
	f := pagopa.PositionFilter{PraticaID: c.QueryParam("praticaId")}
	pg, err := PageOf(c, 100, 500)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	switch {
	case p == nil:
		return errs.E(errs.Unauth, "sign in to see payments")
	case p.Role == RoleCitizen:
		if p.FiscalCode == "" {
			return &errs.Error{Code: errs.Forbidden, Reason: "no_fiscal_code", Message: "your identity carries no fiscal code"}
		}
		f.Debtor = p.FiscalCode
	case p.Role == RoleRegionalAdmin:
		f.Ente = c.QueryParam("ente")
	default:
		if p.Ente == "" {
			return &errs.Error{Code: errs.Forbidden, Reason: "no_ente", Message: "you belong to no ente"}
		}
		f.Ente = p.Ente
	}
	out, err := h.Store.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	total, err := h.Store.CountPositions(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

// PraticaExtra adds the pratica's payment positions to its detail under
// "payments", each option with its state now (paid, due, overdue, superseded).
func (h *Payments) PraticaExtra() PraticaExtra {
	return func(ctx context.Context, pr *pratica.Pratica) (string, any, error) {
		ps, err := h.Store.List(ctx, pagopa.PositionFilter{PraticaID: pr.ID})
		if err != nil {
			return "payments", nil, err
		}
		now := time.Now()
		out := make([]pagopa.PositionView, 0, len(ps))
		for _, p := range ps {
			out = append(out, p.View(now))
		}
		return "payments", out, nil
	}
}

func (h *Payments) position(c echo.Context) error {
	pos, err := h.load(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pos)
}

func (h *Payments) notice(c echo.Context) error {
	pos, err := h.load(c)
	if err != nil {
		return err
	}
	l := c.QueryParam("lang")
	if l == "" {
		l = lang(c)
	}
	pdf, err := pagopa.RenderNotice(pos, l)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="`+pagopa.NoticeFileName(pos, l)+`"`)
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}

func (h *Payments) spontaneous(c echo.Context) error {
	p := PrincipalOf(c)
	if p == nil || p.Role != RoleCitizen || p.FiscalCode == "" {
		return &errs.Error{Code: errs.Forbidden, Reason: "citizens_only", Message: "only citizens start spontaneous payments"}
	}
	var req pagopa.SpontaneousRequest
	if err := BindStrict(c, &req); err != nil {
		return err
	}
	name := p.Name
	if name == "" {
		name = p.FiscalCode
	}
	pos, err := h.Spontaneous.Start(c.Request().Context(), pagopa.Debtor{Type: "F", FiscalCode: p.FiscalCode, FullName: name}, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, pos)
}

func (h *Payments) anomalies(c echo.Context) error {
	p := PrincipalOf(c)
	f := pagopa.AnomalyFilter{Unresolved: c.QueryParam("unresolved") == "true"}
	pg, err := PageOf(c, 100, 500)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	switch {
	case p == nil:
		return errs.E(errs.Unauth, "sign in to see anomalies")
	case p.Role == RoleRegionalAdmin:
		f.OrgFiscalCode = c.QueryParam("orgFiscalCode")
	case p.Role == RoleCitizen || p.Ente == "":
		return &errs.Error{Code: errs.Forbidden, Reason: "staff_only", Message: "anomalies are for the ente's staff"}
	case h.FiscalCodeOf == nil:
		return errs.E(errs.Internal, "payments: FiscalCodeOf is not configured")
	default:
		cf, err := h.FiscalCodeOf(c.Request().Context(), p.Ente)
		if err != nil {
			return err
		}
		f.OrgFiscalCode = cf
	}
	out, err := h.Store.Anomalies(c.Request().Context(), f)
	if err != nil {
		return err
	}
	total, err := h.Store.CountAnomalies(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

// creditorCheck refuses a receipt for a creditor the caller does not serve with
// the node's own fault, PAA_ID_DOMINIO_ERRATO: an ente's key delivers that
// ente's receipts, the intermediary's station key those of the enti it serves.
func (h *Payments) creditorCheck(p *Principal) pagopa.CreditorCheck {
	return func(ctx context.Context, org string) error {
		refuse := &errs.Error{Code: errs.Forbidden, Reason: pagopa.FaultDomain,
			Message: "this credential does not serve the creditor " + org + " / la credenziale non serve l'ente creditore " + org}
		if h.EnteOf == nil {
			return errs.E(errs.Internal, "payments: EnteOf is not configured")
		}
		ente, err := h.EnteOf(ctx, org)
		if errs.Is(err, errs.NotFound) {
			return refuse
		}
		if err != nil {
			return err
		}
		if !p.ServesEnte(ente) {
			return refuse
		}
		return nil
	}
}
