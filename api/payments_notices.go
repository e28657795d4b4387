package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// positionCursor is the part of the payment store a bulk render of notices
// reads; *pagopa.Store implements it.
type positionCursor interface {
	Cursor(ctx context.Context, f pagopa.PositionFilter, batch int) pagopa.PositionSource
}

// noticeRoutes registers the bulk notice downloads of an ente's office.
func (h *Payments) noticeRoutes(r *Router) {
	r.Handle(Route{Method: http.MethodGet, Path: "/api/payments/notices.zip", Perm: Perm{"position", "read"}, Tag: "payments",
		Summary: "Every notice of the ente, one PDF per debtor, as a zip streamed as it renders; ?lang=it|en|sl, ?ente= for the region. " +
			"Notices that cannot be rendered are listed in errori-errors.csv"}, h.noticesZip)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/payments/notices/print", Perm: Perm{"position", "read"}, Tag: "payments",
		Summary: "Every notice of the ente merged into one PDF ordered for postal dispatch (CAP, province, city, street, number); ?lang=, ?ente="}, h.noticesPrint)
}

// bulkScope is the ente whose notices an operator may download in bulk:
// their own, or any for the region; citizens download their notices one by one.
func bulkScope(c echo.Context) (pagopa.PositionFilter, string, error) {
	p := PrincipalOf(c)
	var f pagopa.PositionFilter
	switch {
	case p == nil:
		return f, "", errs.E(errs.Unauth, "sign in to download notices")
	case p.Role == RoleCitizen:
		return f, "", &errs.Error{Code: errs.Forbidden, Reason: "staff_only", Message: "bulk notices are for the ente's offices"}
	case p.Role == RoleRegionalAdmin:
		f.Ente = c.QueryParam("ente")
		if f.Ente == "" {
			return f, "", errs.Field("ente", "is required")
		}
	default:
		if p.Ente == "" {
			return f, "", &errs.Error{Code: errs.Forbidden, Reason: "no_ente", Message: "you belong to no ente"}
		}
		f.Ente = p.Ente
	}
	l := c.QueryParam("lang")
	if l == "" {
		l = lang(c)
	}
	switch l {
	case "it", "en", "sl":
	default:
		return f, "", errs.Field("lang", "must be one of it, en, sl")
	}
	return f, l, nil
}

func (h *Payments) cursor(ctx context.Context, f pagopa.PositionFilter) (pagopa.PositionSource, error) {
	cur, ok := h.Store.(positionCursor)
	if !ok {
		return nil, errs.E(errs.Internal, "the payment store cannot read positions in bulk")
	}
	return cur.Cursor(ctx, f, 500), nil
}

func (h *Payments) noticesZip(c echo.Context) error {
	f, l, err := bulkScope(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	next, err := h.cursor(ctx, f)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "application/zip")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="avvisi-`+zipSafe(f.Ente)+`-`+l+`.zip"`)
	w.WriteHeader(http.StatusOK)
	st, err := pagopa.WriteNoticesZip(ctx, w, next, l, 0)
	if err != nil { // the status is sent: the client sees a cut zip, the log says why
		slog.Error("notices zip", "ente", f.Ente, "notices", st.Notices, "err", err)
		return err
	}
	slog.Info("notices zip", "ente", f.Ente, "notices", st.Notices, "failed", len(st.Failed), "elapsed", st.Elapsed)
	return nil
}

func (h *Payments) noticesPrint(c echo.Context) error {
	f, l, err := bulkScope(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	next, err := h.cursor(ctx, f)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "application/pdf")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="avvisi-stampa-`+zipSafe(f.Ente)+`-`+l+`.pdf"`)
	st, err := pagopa.WritePrintFile(ctx, w, next, l, 0)
	if err != nil {
		slog.Error("notices print file", "ente", f.Ente, "notices", st.Notices, "err", err)
		return err
	}
	slog.Info("notices print file", "ente", f.Ente, "notices", st.Notices, "pages", st.Pages, "failed", len(st.Failed), "elapsed", st.Elapsed)
	return nil
}

// zipSafe keeps a file name to letters, digits, - and _.
func zipSafe(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}
