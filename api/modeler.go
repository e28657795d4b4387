package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
)

// Modeler is the modeller API: designers edit forms and regional templates,
// ente-admins their overlays, anyone signed in validates a submission.
type Modeler struct {
	Service *modeler.Service
}

// NewModeler returns the modeller routes over s.
func NewModeler(s *modeler.Service) *Modeler { return &Modeler{Service: s} }

func enteParam(c echo.Context) string { return pathParam(c, "ente") }

// Routes registers the modeller routes.
func (h *Modeler) Routes(r *Router) {
	read, update, publish := Perm{"template", "read"}, Perm{"template", "update"}, Perm{"template", "publish"}
	tag := "modeler"
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/forms", Perm: read, Tag: tag,
		Summary: "List form versions", Response: []modeler.FormRecord{}}, h.listForms)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/modeler/forms/:id", Perm: update, Tag: tag,
		Summary: "Save a form (JSON Schema 2020-12 + UI schema) as its draft", Request: modeler.Form{}, Response: modeler.FormRecord{}}, h.saveForm)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/forms/:id/versions/:version", Perm: Authenticated, Tag: tag,
		Summary: "One form version, to render it", Response: modeler.Form{}}, h.getForm)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/forms/:id/publish", Perm: publish, Tag: tag,
		Summary: "Publish the form's draft as an immutable version", Response: modeler.FormRecord{}}, h.publishForm)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/forms/:id/versions/:version/validate", Perm: Authenticated, Tag: tag,
		Summary: "Validate data against a form version; 422 lists every problem in the Accept-Language", Request: map[string]any{}, Response: map[string]bool{"valid": true}}, h.validateData)

	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/templates", Perm: read, Tag: tag,
		Summary: "List template versions with their status and problems", Response: []modeler.TemplateRecord{}}, h.listTemplates)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/modeler/templates/:id", Perm: update, Tag: tag,
		Summary: "Save a template document (JSON or YAML) as its draft; the answer lists its problems", Request: modeler.Template{}, Response: modeler.TemplateRecord{}}, h.saveTemplate)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/templates/:id/versions", Perm: read, Tag: tag,
		Summary: "Versions of a template, newest first", Response: []modeler.TemplateRecord{}}, h.versions)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/templates/:id/versions/:version", Perm: read, Tag: tag,
		Summary: "One template version with its document", Response: modeler.TemplateRecord{}}, h.getTemplate)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/templates/:id/versions/:version/validate", Perm: read, Tag: tag,
		Summary: "Check a template version again: every problem with its JSON pointer", Response: []errs.FieldError{}}, h.checkTemplate)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/templates/:id/publish", Perm: publish, Tag: tag,
		Summary: "Publish the draft as the next immutable version with its content hash; 422 lists every problem", Response: modeler.TemplateRecord{}}, h.publishTemplate)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/templates/:id/diff", Perm: read, Tag: tag,
		Summary: "Differences between versions ?from=&to=, breaking changes flagged", Response: modeler.Diff{}}, h.diff)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/templates/:id/versions/:version/plan", Perm: read, Tag: tag,
		Summary: "The executable plan of a published version", Response: modeler.Plan{}}, h.plan)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/templates/:id/overlays/check", Perm: read, Tag: tag,
		Summary: "Check every ente overlay against the latest published version and show the differences", Response: []modeler.OverlayCheck{}}, h.recheck)

	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/overlays/:ente", Perm: Perm{"overlay", "read"}, Tag: tag, Domain: enteParam,
		Summary: "The ente's overlays with their review state: needs_review lists the problems and the differences a regional publish left to fix", Response: []modeler.OverlayRecord{}}, h.enteOverlays)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/overlays/:ente/:template", Perm: Perm{"overlay", "read"}, Tag: tag, Domain: enteParam,
		Summary: "An ente's overlay of a regional template", Response: modeler.Overlay{}}, h.getOverlay)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/modeler/overlays/:ente/:template", Perm: Perm{"overlay", "update"}, Tag: tag, Domain: enteParam,
		Summary: "Set the ente's values of the template's declared parameters", Request: modeler.Overlay{}, Response: modeler.OverlayRecord{}}, h.saveOverlay)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/modeler/overlays/:ente/:template/publish", Perm: Perm{"overlay", "update"}, Tag: tag, Domain: enteParam,
		Summary: "Publish the resolved template <ente>.<template> as its next version", Response: modeler.TemplateRecord{}}, h.publishOverlay)
	r.Handle(Route{Method: http.MethodDelete, Path: "/api/modeler/overlays/:ente/:template", Perm: Perm{"overlay", "delete"}, Tag: tag, Domain: enteParam,
		Summary: "Delete the ente's overlay (204); versions already published stay, and so do the pratiche on them"}, h.deleteOverlay)
	h.stepTypeRoutes(r)
}

// ownEnte refuses an ente-scoped caller acting on another ente.
func ownEnte(c echo.Context) error {
	p := PrincipalOf(c)
	if p == nil || p.Role == RoleRegionalAdmin || p.Role == RoleDesigner && p.Ente == Region {
		return nil
	}
	if p.Ente != enteParam(c) {
		return &errs.Error{Code: errs.Forbidden, Reason: "other_ente", Message: "you may only edit your own ente's overlays"}
	}
	return nil
}

func intParam(c echo.Context, name string) (int, error) {
	n, err := strconv.Atoi(c.Param(name))
	if err != nil || n < 1 {
		return 0, errs.Field(name, "must be a version number, from 1")
	}
	return n, nil
}

func (h *Modeler) listForms(c echo.Context) error {
	out, err := h.Service.Store.FormVersions(c.Request().Context(), c.QueryParam("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Modeler) saveForm(c echo.Context) error {
	var f modeler.Form
	if err := BindStrict(c, &f); err != nil {
		return err
	}
	if f.ID == "" {
		f.ID = c.Param("id")
	}
	if f.ID != c.Param("id") {
		return errs.Field("id", "must match the path")
	}
	rec, err := h.Service.SaveForm(c.Request().Context(), &f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) getForm(c echo.Context) error {
	v, err := intParam(c, "version")
	if err != nil {
		return err
	}
	f, err := h.Service.Form(c.Request().Context(), modeler.FormRef{ID: c.Param("id"), Version: v})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func (h *Modeler) publishForm(c echo.Context) error {
	rec, err := h.Service.PublishForm(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) validateData(c echo.Context) error {
	v, err := intParam(c, "version")
	if err != nil {
		return err
	}
	var data any
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &data); err != nil {
		return errs.Field("body", "is not valid JSON")
	}
	if err := h.Service.ValidateData(c.Request().Context(), modeler.FormRef{ID: c.Param("id"), Version: v}, data, lang(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"valid": true})
}

func (h *Modeler) listTemplates(c echo.Context) error {
	out, err := h.Service.Store.TemplateVersions(c.Request().Context(), "")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Modeler) saveTemplate(c echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	t, err := modeler.ParseTemplate(body)
	if err != nil {
		return err
	}
	if t.ID != c.Param("id") {
		return errs.Field("/id", "must match the path")
	}
	rec, err := h.Service.SaveTemplate(c.Request().Context(), body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) versions(c echo.Context) error {
	out, err := h.Service.Store.TemplateVersions(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Modeler) getTemplate(c echo.Context) error {
	v, err := intParam(c, "version")
	if err != nil {
		return err
	}
	rec, err := h.Service.Store.TemplateVersion(c.Request().Context(), c.Param("id"), v)
	if err != nil {
		return err
	}
	rec.Doc = json.RawMessage(rec.Document)
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) checkTemplate(c echo.Context) error {
	v, err := intParam(c, "version")
	if err != nil {
		return err
	}
	ps, err := h.Service.CheckTemplate(c.Request().Context(), c.Param("id"), v)
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []errs.FieldError{}
	}
	return c.JSON(http.StatusOK, ps)
}

func (h *Modeler) publishTemplate(c echo.Context) error {
	rec, err := h.Service.PublishTemplate(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) diff(c echo.Context) error {
	from, err1 := strconv.Atoi(c.QueryParam("from"))
	to, err2 := strconv.Atoi(c.QueryParam("to"))
	if err1 != nil || err2 != nil || from < 1 || to < 1 {
		return errs.Fields([]errs.FieldError{{Field: "from", Message: "from and to must be version numbers"}})
	}
	d, err := h.Service.DiffVersions(c.Request().Context(), c.Param("id"), from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *Modeler) plan(c echo.Context) error {
	v, err := intParam(c, "version")
	if err != nil {
		return err
	}
	p, err := h.Service.Plan(c.Request().Context(), c.Param("id"), v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *Modeler) recheck(c echo.Context) error {
	out, err := h.Service.RecheckOverlays(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Modeler) enteOverlays(c echo.Context) error {
	out, err := h.Service.EnteOverlays(c.Request().Context(), enteParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Modeler) getOverlay(c echo.Context) error {
	o, err := h.Service.Overlay(c.Request().Context(), enteParam(c), pathParam(c, "template"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

func (h *Modeler) saveOverlay(c echo.Context) error {
	if err := ownEnte(c); err != nil {
		return err
	}
	var o modeler.Overlay
	if err := BindStrict(c, &o); err != nil {
		return err
	}
	o.Ente, o.Template = enteParam(c), pathParam(c, "template")
	rec, err := h.Service.SaveOverlay(c.Request().Context(), &o)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) publishOverlay(c echo.Context) error {
	if err := ownEnte(c); err != nil {
		return err
	}
	rec, err := h.Service.PublishOverlay(c.Request().Context(), enteParam(c), pathParam(c, "template"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rec)
}

func (h *Modeler) deleteOverlay(c echo.Context) error {
	if err := ownEnte(c); err != nil {
		return err
	}
	if err := h.Service.DeleteOverlay(c.Request().Context(), enteParam(c), pathParam(c, "template")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
