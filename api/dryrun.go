package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/workflows/dryrun"
)

// DryRun runs a published template version with sample data in the Temporal
// test environment and tells the designer the path it takes.
type DryRun struct {
	Plans interface {
		Plan(ctx context.Context, id string, version int) (*modeler.Plan, error)
	}
	// ServiceInfo gives the catalog context of a service, for amounts, IBANs and offices.
	ServiceInfo func(ctx context.Context, serviceID string) (activities.ServiceInfo, error)
}

// DryRunBody is a dry run request: the sample, and optionally the service whose
// catalog data (ente, IBAN, office, accounting references) the run uses.
type DryRunBody struct {
	dryrun.Request
	Service string `json:"service,omitempty"`
}

// Routes registers the dry run.
func (h *DryRun) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/templates/:id/versions/:version/dry-run", Perm: Perm{"template", "read"},
		Tag: "modeler", Summary: "Dry run: the path a pratica takes with sample data, its deadlines, positions and messages / Simulazione",
		Request: DryRunBody{}, Response: dryrun.Result{}}, h.run)
}

func (h *DryRun) run(c echo.Context) error {
	var body DryRunBody
	if err := BindStrict(c, &body); err != nil {
		return err
	}
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version < 0 {
		return errs.Field("version", "must be a version number (0: the latest)")
	}
	ctx := c.Request().Context()
	plan, err := h.Plans.Plan(ctx, c.Param("id"), version)
	if err != nil {
		return err
	}
	var svc activities.ServiceInfo
	if body.Service != "" {
		if svc, err = h.ServiceInfo(ctx, body.Service); err != nil {
			return err
		}
	}
	if body.Lang == "" {
		body.Lang = lang(c)
	}
	res, err := dryrun.Run(plan, svc, body.Request)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
