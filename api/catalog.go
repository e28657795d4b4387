package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// Catalog is the HTTP face of the anagrafe dei servizi: procedimenti and
// services with their origins, master data, concepts, the pagoPA taxonomy and
// the monitoring of the agreement.
type Catalog struct {
	Store *catalog.Store
	// Activity tells which services have issued or collected a pagoPA notice.
	Activity catalog.PaymentActivity
}

// NewCatalog returns the catalog module on st; act is the payments area's view
// of which services are active on pagoPA.
func NewCatalog(st *catalog.Store, act catalog.PaymentActivity) *Catalog {
	return &Catalog{Store: st, Activity: act}
}

// catDomainOfID is the ente a definition id belongs to: "c_l424.matrimonio" is
// Trieste's, an id without a dot is regional.
func catDomainOfID(c echo.Context) string {
	if ente, _, ok := strings.Cut(c.Param("id"), "."); ok {
		return ente
	}
	return Region
}

func catDomainOfEnte(c echo.Context) string { return pathParam(c, "ente") }

func catRegionDomain(echo.Context) string { return Region }

// Routes registers the catalog routes.
func (h *Catalog) Routes(r *Router) {
	read, update := Perm{"catalog", "read"}, Perm{"catalog", "update"}
	for _, k := range []struct {
		path, name string
		example    any
	}{{"services", "service", catalog.Service{}}, {"procedimenti", "procedimento", catalog.Procedimento{}}} {
		base := "/api/catalog/" + k.path
		r.Handle(Route{Method: http.MethodGet, Path: base, Perm: read, Tag: "catalog", Response: []any{k.example},
			Summary: "List " + k.path + " (merged views, each field with its origin); filters: ente (or region), base, q" +
				map[bool]string{true: ", taxonomy, channel, interactivity, online=true", false: ", start"}[k.name == "service"]}, h.list(k.name))
		r.Handle(Route{Method: http.MethodGet, Path: base + "/:id", Perm: read, Tag: "catalog", Domain: catDomainOfID, Response: k.example,
			Summary: "One " + k.name + ": the merged view with origins, revision in the ETag"}, h.get(k.name))
		r.Handle(Route{Method: http.MethodPut, Path: base + "/:id", Perm: update, Tag: "catalog", Domain: catDomainOfID,
			Request: catalog.Input{}, Response: k.example,
			Summary: "Create a " + k.name + ", or update it with If-Match; an ente's spec holds only its overrides"}, h.put(k.name))
		r.Handle(Route{Method: http.MethodDelete, Path: base + "/:id", Perm: update, Tag: "catalog", Domain: catDomainOfID,
			Summary: "Delete a " + k.name + " nobody uses (If-Match required)"}, h.del(k.name))
		r.Handle(Route{Method: http.MethodGet, Path: base + "/:id/changes", Perm: read, Tag: "catalog", Domain: catDomainOfID,
			Response: []catalog.Change{}, Summary: "What changed in the regional definition since the ente's " + k.name + " was based on it"}, h.changes(k.name))
		r.Handle(Route{Method: http.MethodPost, Path: base + "/:id/rebase", Perm: update, Tag: "catalog", Domain: catDomainOfID,
			Response: k.example, Summary: "Accept the current regional definition (If-Match required)"}, h.rebase(k.name))
	}
	h.masterRoutes(r)
	h.crestRoutes(r)
	h.otherRoutes(r)
}

// catIfMatch reads the If-Match header: absent means create, * updates whatever
// revision is stored (412 when nothing is), otherwise the ETag "<id>.<revision>"
// of the stored row.
func catIfMatch(c echo.Context, id string) (int64, error) {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	switch v {
	case "":
		return 0, nil
	case "*":
		return catalog.AnyRevision, nil
	}
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	i := strings.LastIndex(v, ".")
	rev, err := strconv.ParseInt(v[i+1:], 10, 64)
	if i < 0 || err != nil || rev <= 0 {
		return 0, errs.Field("If-Match", "must be the ETag you read, e.g. \"%s.3\"", id)
	}
	if v[:i] != id {
		return 0, echo.NewHTTPError(http.StatusPreconditionFailed, fmt.Sprintf("If-Match names %s, not %s", v[:i], id))
	}
	return rev, nil
}

// catNeedIfMatch is catIfMatch for operations on an existing row, where it is required.
func catNeedIfMatch(c echo.Context, id string) (int64, error) {
	if c.Request().Header.Get("If-Match") == "" {
		return 0, errs.Field("If-Match", "is required: send the ETag you read, so nobody's change is lost")
	}
	return catIfMatch(c, id)
}

// catPrecondition turns a stale If-Match into 412 Precondition Failed.
func catPrecondition(err error) error {
	if e, ok := errs.As(err); ok && e.Reason == catalog.ReasonStale {
		return echo.NewHTTPError(http.StatusPreconditionFailed, e.Message)
	}
	return err
}

// catMayEdit checks on the object what the authorizer checked on the route: an
// ente's definitions are edited by its own staff, regional ones by the region.
func catMayEdit(c echo.Context, domain string) error {
	p := PrincipalOf(c)
	switch {
	case p == nil:
		return errs.E(errs.Unauth, "sign in to change the catalog")
	case p.Role == RoleRegionalAdmin:
		return nil
	case domain != Region && p.Ente == domain:
		return nil
	}
	return &errs.Error{Code: errs.Forbidden, Reason: "other_ente", Message: fmt.Sprintf("only %s and the region change this", domain)}
}

func catActor(c echo.Context) string {
	if p := PrincipalOf(c); p != nil {
		return p.Subject
	}
	return ""
}

func catWithETag(c echo.Context, etag string, status int, v any) error {
	c.Response().Header().Set("ETag", etag)
	return c.JSON(status, v)
}

func (h *Catalog) list(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, q := c.Request().Context(), c.QueryParam
		if kind == "service" {
			out, err := h.Store.ListServices(ctx, catalog.ServiceFilter{Ente: q("ente"), Base: q("base"), Taxonomy: q("taxonomy"),
				Channel: q("channel"), Interactivity: q("interactivity"), Q: q("q"), Online: q("online") == "true"})
			if err != nil {
				return err
			}
			return c.JSON(http.StatusOK, out)
		}
		out, err := h.Store.ListProcedimenti(ctx, catalog.ProcedimentoFilter{Ente: q("ente"), Base: q("base"), Start: q("start"), Q: q("q")})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

func (h *Catalog) get(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, id := c.Request().Context(), c.Param("id")
		if kind == "service" {
			sv, err := h.Store.GetService(ctx, id)
			if err != nil {
				return err
			}
			return catWithETag(c, sv.ETag(), http.StatusOK, sv)
		}
		p, err := h.Store.GetProcedimento(ctx, id)
		if err != nil {
			return err
		}
		return catWithETag(c, p.ETag(), http.StatusOK, p)
	}
}

func (h *Catalog) put(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if err := catMayEdit(c, catDomainOfID(c)); err != nil {
			return err
		}
		var in catalog.Input
		if err := BindStrict(c, &in); err != nil {
			return err
		}
		if in.ID != "" && in.ID != id {
			return errs.Field("id", "is %s in the body and %s in the path", in.ID, id)
		}
		in.ID = id
		match, err := catIfMatch(c, id)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if match == 0 {
			status = http.StatusCreated
		}
		ctx := c.Request().Context()
		if kind == "service" {
			sv, err := h.Store.PutService(ctx, in, match, catActor(c))
			if err != nil {
				return catPrecondition(err)
			}
			return catWithETag(c, sv.ETag(), status, sv)
		}
		p, err := h.Store.PutProcedimento(ctx, in, match, catActor(c))
		if err != nil {
			return catPrecondition(err)
		}
		return catWithETag(c, p.ETag(), status, p)
	}
}

func (h *Catalog) del(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if err := catMayEdit(c, catDomainOfID(c)); err != nil {
			return err
		}
		match, err := catNeedIfMatch(c, id)
		if err != nil {
			return err
		}
		if kind == "service" {
			err = h.Store.DeleteService(c.Request().Context(), id, match)
		} else {
			err = h.Store.DeleteProcedimento(c.Request().Context(), id, match)
		}
		if err != nil {
			return catPrecondition(err)
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (h *Catalog) changes(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var out []catalog.Change
		var err error
		if kind == "service" {
			out, err = h.Store.ServiceChanges(c.Request().Context(), c.Param("id"))
		} else {
			out, err = h.Store.ProcedimentoChanges(c.Request().Context(), c.Param("id"))
		}
		if err != nil {
			return err
		}
		if out == nil {
			out = []catalog.Change{}
		}
		return c.JSON(http.StatusOK, out)
	}
}

func (h *Catalog) rebase(kind string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if err := catMayEdit(c, catDomainOfID(c)); err != nil {
			return err
		}
		match, err := catNeedIfMatch(c, id)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		if kind == "service" {
			sv, err := h.Store.RebaseService(ctx, id, match)
			if err != nil {
				return catPrecondition(err)
			}
			return catWithETag(c, sv.ETag(), http.StatusOK, sv)
		}
		p, err := h.Store.RebaseProcedimento(ctx, id, match)
		if err != nil {
			return catPrecondition(err)
		}
		return catWithETag(c, p.ETag(), http.StatusOK, p)
	}
}

var errNoActivity = errors.New("catalog: no payment activity source configured")
