package api

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// crestRoutes registers an ente's crest: anyone may see it (the portal's
// header shows it before sign-in), its staff and the region may change it.
func (h *Catalog) crestRoutes(r *Router) {
	r.Handle(Route{Method: http.MethodGet, Path: "/api/catalog/enti/:ente/crest", Perm: Public, Tag: "masterdata",
		Summary: "The ente's crest (SVG or PNG), the generic shield when it has none / Lo stemma dell'ente"}, h.crest)
	r.Handle(Route{Method: http.MethodPut, Path: "/api/catalog/enti/:ente/crest", Perm: Perm{"masterdata", "update"}, Tag: "masterdata",
		Domain: catDomainOfEnte, Response: catalog.Crest{},
		Summary: "Replace the ente's crest: the body is a PNG or a plain SVG (no scripts, nothing from elsewhere), at most 256 KB / Sostituisce lo stemma"}, h.putCrest)
}

func (h *Catalog) crest(c echo.Context) error {
	cr, err := h.Store.Crest(c.Request().Context(), pathParam(c, "ente"))
	if err != nil {
		return err
	}
	etag := `"` + cr.SHA256 + `"`
	hd := c.Response().Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "public, max-age=300")
	// An SVG opened on its own must not run anything, whatever slipped through.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	hd.Set("X-Content-Type-Options", "nosniff")
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, cr.MediaType, cr.Content)
}

func (h *Catalog) putCrest(c echo.Context) error {
	id := pathParam(c, "ente")
	if err := catMayEdit(c, id); err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(c.Request().Body, catalog.MaxCrest+1))
	if err != nil {
		return errs.Wrap(err, "read crest")
	}
	cr, err := h.Store.PutCrest(c.Request().Context(), id, b, catActor(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/catalog/enti/%s/crest", id))
	return c.JSON(http.StatusOK, cr)
}
