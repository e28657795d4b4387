package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

func (h *Catalog) masterRoutes(r *Router) {
	read, update, imp := Perm{"masterdata", "read"}, Perm{"masterdata", "update"}, Perm{"masterdata", "import"}
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/enti", Perm: read, Tag: "masterdata", Domain: catRegionDomain,
		Summary: "List the enti with their pagoPA master data", Response: []catalog.Ente{}}, h.listEnti)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/enti/:ente", Perm: read, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary: "One ente, revision in the ETag", Response: catalog.Ente{}}, h.getEnte)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/catalog/enti/:ente", Perm: update, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary: "Create an ente or update it with If-Match; codice fiscale and IBANs are checked", Request: catalog.Ente{}, Response: catalog.Ente{}}, h.putEnte)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/enti/:ente/units", Perm: read, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary: "The ente's organisation, parents before children", Response: []catalog.Unit{}}, h.units)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/catalog/enti/:ente/units/:code", Perm: update, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary: "Create or edit one organisation unit by hand; a cycle is refused", Request: catalog.Unit{}, Response: catalog.Unit{}}, h.putUnit)
	r.Handle(Route{Method: http.MethodDelete, Path: "/api/catalog/enti/:ente/units/:code", Perm: update, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary: "Delete an organisation unit without children"}, h.deleteUnit)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/catalog/enti/:ente/units/import", Perm: imp, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary:  "Replace the organisation with the personnel system's CSV (codice;padre;denominazione;tipo;responsabile), all or nothing, bad lines reported",
		Response: catalog.OrgImport{}}, h.importUnits)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/enti/:ente/units/history", Perm: read, Tag: "masterdata", Domain: catDomainOfEnte,
		Summary: "History of the changes to the organisation", Response: []catalog.UnitChange{}}, h.unitHistory)
}

func (h *Catalog) listEnti(c echo.Context) error {
	out, err := h.Store.ListEnti(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) getEnte(c echo.Context) error {
	e, err := h.Store.GetEnte(c.Request().Context(), pathParam(c, "ente"))
	if err != nil {
		return err
	}
	return catWithETag(c, e.ETag(), http.StatusOK, e)
}

func (h *Catalog) putEnte(c echo.Context) error {
	id := pathParam(c, "ente")
	if err := catMayEdit(c, id); err != nil {
		return err
	}
	var e catalog.Ente
	if err := BindStrict(c, &e); err != nil {
		return err
	}
	if e.ID != "" && e.ID != id {
		return errs.Field("id", "is %s in the body and %s in the path", e.ID, id)
	}
	e.ID = id
	match, err := catIfMatch(c, id)
	if err != nil {
		return err
	}
	out, err := h.Store.PutEnte(c.Request().Context(), e, match)
	if err != nil {
		return catPrecondition(err)
	}
	return catWithETag(c, out.ETag(), http.StatusOK, out)
}

func (h *Catalog) units(c echo.Context) error {
	out, err := h.Store.Units(c.Request().Context(), pathParam(c, "ente"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) putUnit(c echo.Context) error {
	ente, code := pathParam(c, "ente"), pathParam(c, "code")
	if err := catMayEdit(c, ente); err != nil {
		return err
	}
	if err := catalog.CheckUnitCode("code", code); err != nil {
		return err
	}
	var u catalog.Unit
	if err := BindStrict(c, &u); err != nil {
		return err
	}
	if u.Code != "" && u.Code != code {
		return errs.Field("code", "is %s in the body and %s in the path", u.Code, code)
	}
	u.Code = code
	out, err := h.Store.PutUnit(c.Request().Context(), ente, u, catActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) deleteUnit(c echo.Context) error {
	ente := pathParam(c, "ente")
	if err := catMayEdit(c, ente); err != nil {
		return err
	}
	if err := h.Store.DeleteUnit(c.Request().Context(), ente, pathParam(c, "code"), catActor(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *Catalog) importUnits(c echo.Context) error {
	ente := pathParam(c, "ente")
	if err := catMayEdit(c, ente); err != nil {
		return err
	}
	body, err := catReadBody(c)
	if err != nil {
		return err
	}
	out, err := h.Store.ImportOrgCSV(c.Request().Context(), ente, body, catActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) unitHistory(c echo.Context) error {
	out, err := h.Store.UnitHistory(c.Request().Context(), pathParam(c, "ente"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// catReadBody reads an import's raw body within the body limit policy (413 beyond it).
func catReadBody(c echo.Context) ([]byte, error) { return readBody(c) }

func (h *Catalog) otherRoutes(r *Router) {
	read := Perm{"catalog", "read"}
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/taxonomy", Perm: read, Tag: "taxonomy",
		Summary:  "Browse and search the pagoPA taxonomy: q (accents ignored), enteType, macroArea, validAt (RFC 3339 or yyyy-mm-dd), limit, offset",
		Response: []catalog.TaxonomyEntry{}}, h.taxonomy)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/taxonomy/versions", Perm: read, Tag: "taxonomy",
		Summary: "Imported versions of the taxonomy, newest first", Response: []catalog.TaxonomyVersion{}}, h.taxonomyVersions)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/catalog/taxonomy/import", Perm: Perm{"taxonomy", "import"}, Tag: "taxonomy", Domain: catRegionDomain,
		Summary:  "Import the official taxonomy JSON; the same version again changes nothing, a newer one withdraws the codes it drops",
		Response: catalog.ImportResult{}}, h.importTaxonomy)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/concepts", Perm: read, Tag: "concepts",
		Summary: "Business catalog concepts, latest versions (all=true for every version), q searches labels and help", Response: []catalog.Concept{}}, h.concepts)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/concepts/:name", Perm: read, Tag: "concepts",
		Summary: "A concept's JSON Schema, the latest version or ?version=N"}, h.concept)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/catalog/concepts", Perm: Perm{"catalog", "update"}, Tag: "concepts", Domain: catRegionDomain,
		Summary: "Publish a new, immutable version of a concept", Request: catalog.ConceptInput{}, Response: catalog.Concept{}}, h.publishConcept)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/monitoring", Perm: Perm{"monitoring", "read"}, Tag: "monitoring", Domain: catQueryEnte,
		Summary: "The agreement's figures per ente (?ente=) and region-wide; format=csv for the spreadsheet", Response: catalog.Monitoring{}}, h.monitoring)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/monitoring/trend", Perm: Perm{"monitoring", "read"}, Tag: "monitoring", Domain: catQueryEnte,
		Summary: "The agreement's indicator and the payments month by month (?ente=, ?months= 1-60, default 12); format=csv for the spreadsheet", Response: catalog.Trend{}}, h.trend)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/export", Perm: read, Tag: "catalog",
		Summary: "JSON export: ?ente= one ente, region the regional definitions, none everything", Response: catalog.Bundle{}}, h.export)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/catalog/import", Perm: Perm{"catalog", "import"}, Tag: "catalog", Domain: catRegionDomain,
		Summary: "JSON import of an export, all or nothing, every bad entry named", Request: catalog.Bundle{}, Response: catalog.BundleResult{}}, h.importBundle)
}

func (h *Catalog) taxonomy(c echo.Context) error {
	q := c.QueryParam
	f := catalog.TaxonomyFilter{Q: q("q"), EnteType: q("enteType"), MacroArea: q("macroArea")}
	pg, err := PageOf(c, 100, 500)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.Limit, pg.Offset
	if v := q("validAt"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			if t, err = time.ParseInLocation(time.DateOnly, v, rome); err != nil {
				return errs.Field("validAt", "must be a date, e.g. 2026-06-01")
			}
		}
		f.At = &t
	}
	out, err := h.Store.SearchTaxonomy(c.Request().Context(), f)
	if err != nil {
		return err
	}
	total, err := h.Store.CountTaxonomy(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return Paged(c, out, total, pg)
}

func (h *Catalog) taxonomyVersions(c echo.Context) error {
	out, err := h.Store.TaxonomyVersions(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) importTaxonomy(c echo.Context) error {
	body, err := catReadBody(c)
	if err != nil {
		return err
	}
	out, err := h.Store.ImportTaxonomy(c.Request().Context(), body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) concepts(c echo.Context) error {
	out, err := h.Store.Concepts(c.Request().Context(), c.QueryParam("q"), c.QueryParam("all") == "true")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) concept(c echo.Context) error {
	id := c.Param("name")
	if v := c.QueryParam("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return errs.Field("version", "must be a positive whole number")
		}
		id = catalog.ConceptID(id, n)
	}
	b, err := h.Store.Concept(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/schema+json", b)
}

func (h *Catalog) publishConcept(c echo.Context) error {
	if err := catMayEdit(c, Region); err != nil {
		return err
	}
	var in catalog.ConceptInput
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	out, err := h.Store.PublishConcept(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Catalog) monitoring(c echo.Context) error {
	if h.Activity == nil {
		return errNoActivity
	}
	m, err := h.Store.Monitor(c.Request().Context(), h.Activity, c.QueryParam("ente"))
	if err != nil {
		return err
	}
	if c.QueryParam("format") == "csv" {
		b, err := m.CSV()
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="monitoraggio-accordo.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
	}
	return c.JSON(http.StatusOK, m)
}

func (h *Catalog) trend(c echo.Context) error {
	src, ok := h.Activity.(catalog.PaymentTrend)
	if !ok {
		return errNoActivity
	}
	months := 12
	if v := c.QueryParam("months"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errs.Field("months", "must be a whole number of months")
		}
		months = n
	}
	t, err := h.Store.Trend(c.Request().Context(), src, c.QueryParam("ente"), months, time.Now())
	if err != nil {
		return err
	}
	if c.QueryParam("format") == "csv" {
		b, err := t.CSV()
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="monitoraggio-andamento.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b)
	}
	return c.JSON(http.StatusOK, t)
}

func (h *Catalog) export(c echo.Context) error {
	b, err := h.Store.Export(c.Request().Context(), c.QueryParam("ente"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (h *Catalog) importBundle(c echo.Context) error {
	if err := catMayEdit(c, Region); err != nil {
		return err
	}
	var b catalog.Bundle
	if err := BindStrict(c, &b); err != nil {
		return err
	}
	out, err := h.Store.Import(c.Request().Context(), &b, catActor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// catQueryEnte is the ente a monitoring request names with ?ente=, the region otherwise.
func catQueryEnte(c echo.Context) string {
	if e := c.QueryParam("ente"); e != "" {
		return e
	}
	return Region
}
