package api

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// NoticesTotalHeader carries how many notices a campaign's bulk download
// holds, sent before the stream so a client can show its progress.
const NoticesTotalHeader = "X-Notices-Total"

// WithNotices lets the issuance module render a campaign's notices, reading
// its positions from l.
func (h *Issuances) WithNotices(l issuance.PositionLoader) *Issuances {
	h.positions = l
	return h
}

// noticeRoutes registers the bulk notice downloads of a campaign.
func (h *Issuances) noticeRoutes(r *Router) {
	read := Perm{"issuance", "read"}
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/notices.zip", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "The campaign's notices as a zip streamed as they render: one PDF per debtor with all its options (a QR code each, the Poste data matrix " +
			"where the ente has a postal account); ?lang=it|en|sl (default the plan's); the " + NoticesTotalHeader + " header says how many. " +
			"Notices that cannot be rendered are listed in errori-errors.csv"}, h.noticesZip)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/issuances/:id/notices/print", Perm: read, Tag: "issuance", Domain: queryEnte,
		Summary: "The campaign's notices merged into one PDF ordered for postal dispatch (CAP, province, city, street, number; no address last); ?lang="}, h.noticesPrint)
}

// noticeSource is the campaign of the path, its notices' language and source.
func (h *Issuances) noticeSource(c echo.Context) (*issuance.Campaign, string, pagopa.PositionSource, int, error) {
	if h.positions == nil {
		return nil, "", nil, 0, errs.E(errs.Internal, "the issuance module cannot read positions")
	}
	camp, err := h.campaign(c)
	if err != nil {
		return nil, "", nil, 0, err
	}
	l := c.QueryParam("lang")
	switch {
	case l == "" && (camp.Plan.Lang == "en" || camp.Plan.Lang == "sl"):
		l = camp.Plan.Lang
	case l == "":
		l = "it"
	case l != "it" && l != "en" && l != "sl":
		return nil, "", nil, 0, errs.Field("lang", "must be one of it, en, sl / deve essere it, en o sl")
	}
	ctx := c.Request().Context()
	n, err := h.Service.Store.CountIssued(ctx, camp.ID)
	if err != nil {
		return nil, "", nil, 0, err
	}
	return camp, l, h.Service.Store.Notices(ctx, camp.ID, h.positions), n, nil
}

func (h *Issuances) noticesZip(c echo.Context) error {
	camp, l, next, n, err := h.noticeSource(c)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "application/zip")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="avvisi-`+zipSafe(camp.Plan.Tax)+`-`+strconv.Itoa(camp.Plan.Year)+`-`+l+`.zip"`)
	w.Header().Set(NoticesTotalHeader, strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)
	st, err := pagopa.WriteNoticesZip(c.Request().Context(), w, next, l, 0)
	if err != nil { // the status is sent: the client sees a cut zip, the log says why
		slog.Error("campaign notices zip", "campaign", camp.ID, "notices", st.Notices, "err", err)
		return err
	}
	slog.Info("campaign notices zip", "campaign", camp.ID, "notices", st.Notices, "failed", len(st.Failed), "elapsed", st.Elapsed)
	return nil
}

func (h *Issuances) noticesPrint(c echo.Context) error {
	camp, l, next, n, err := h.noticeSource(c)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "application/pdf")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="avvisi-stampa-`+zipSafe(camp.Plan.Tax)+`-`+strconv.Itoa(camp.Plan.Year)+`-`+l+`.pdf"`)
	w.Header().Set(NoticesTotalHeader, strconv.Itoa(n))
	st, err := pagopa.WritePrintFile(c.Request().Context(), w, next, l, 0)
	if err != nil {
		slog.Error("campaign notices print file", "campaign", camp.ID, "notices", st.Notices, "err", err)
		return err
	}
	slog.Info("campaign notices print file", "campaign", camp.ID, "notices", st.Notices, "pages", st.Pages, "failed", len(st.Failed), "elapsed", st.Elapsed)
	return nil
}
