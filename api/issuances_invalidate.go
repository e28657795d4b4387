package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/errs"
)

// PositionInvalidator cancels a position at GPD and here, with the ledger's
// riduzione di accertamento (pagopa.Service).
type PositionInvalidator interface {
	Invalidate(ctx context.Context, org, iupd string) (*pagopa.Position, error)
	InvalidateRest(ctx context.Context, org, iupd string) (*pagopa.Position, error)
}

// InvalidateBody is the reason the finance office gives for an annullamento.
type InvalidateBody struct {
	Reason string `json:"reason"`
}

// WithInvalidator lets the finance office cancel one issued position of a campaign.
func (h *Issuances) WithInvalidator(v PositionInvalidator) *Issuances {
	h.invalidator = v
	return h
}

// invalidateRoutes registers the annullamento of one campaign position.
func (h *Issuances) invalidateRoutes(r *Router) {
	r.Handle(Route{Method: http.MethodPost, Path: "/api/issuances/:id/positions/:iupd/invalidate", Perm: Perm{"issuance", "update"}, Tag: "issuance", Domain: queryEnte,
		Summary: "Cancel (annullamento) one issued position of the campaign with a reason: invalid at GPD, riduzione di accertamento in the ledger; " +
			"unpaid installments of a partly paid plan are cancelled, paid ones kept; a position paid in full is a conflict; calling again answers the same state",
		Request: InvalidateBody{Reason: "cessata occupazione dell'immobile"}, Response: pagopa.Position{}}, h.invalidate)
}

func (h *Issuances) invalidate(c echo.Context) error {
	camp, err := h.campaign(c)
	if err != nil {
		return err
	}
	var b InvalidateBody
	if err := BindStrict(c, &b); err != nil {
		return err
	}
	if strings.TrimSpace(b.Reason) == "" {
		return errs.Field("reason", "is required / motivo obbligatorio")
	}
	if h.invalidator == nil {
		return errs.E(errs.Internal, "position cancellation is not configured / annullamento non configurato")
	}
	ctx := c.Request().Context()
	iupd := c.Param("iupd")
	if err := h.Service.Store.HasIssued(ctx, camp.ID, iupd); err != nil {
		return err
	}
	pos, err := h.invalidator.Invalidate(ctx, camp.OrgFiscalCode, iupd)
	if e, ok := errs.As(err); ok && e.Code == errs.Conflict && strings.Contains(e.Error(), string(pagopa.PartiallyPaid)) {
		pos, err = h.invalidator.InvalidateRest(ctx, camp.OrgFiscalCode, iupd)
	}
	if err != nil {
		if e, ok := errs.As(err); ok && e.Code == errs.Conflict {
			return errs.E(errs.Conflict, "position %s is paid: it cannot be cancelled / posizione pagata: non annullabile", iupd)
		}
		return err
	}
	slog.Info("campaign position cancelled", "campaign", camp.ID, "iupd", iupd, "by", PrincipalOf(c).Subject, "reason", b.Reason)
	return c.JSON(http.StatusOK, pos)
}
