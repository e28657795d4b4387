package api

import (
	"context"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/attachment"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

// AttachmentPath is the upload route; its body limit is MaxAttachmentBody.
const AttachmentPath = "/api/attachments"

// MaxAttachmentBody is the upload route's body limit: the largest file a form field may take.
const MaxAttachmentBody = modeler.MaxAttachmentSize

// Attachments uploads files and serves them with the authorization of their pratica.
type Attachments struct {
	Service  *attachment.Service
	Pratiche *pratica.Store
	// Storage names the Blobs in use ("db", "dir"), kept on each row.
	Storage string
}

// Routes registers the attachment routes.
func (h *Attachments) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodPost, Path: AttachmentPath, Perm: Perm{"pratica", "act"}, Tag: "attachments",
		Summary: "Upload a file (the body as is, its type in Content-Type, ?name= the file name, ?field= the form field for errors) " +
			"before submitting the form or integration that names its id; checked by its content (PDF, PNG, JPEG, P7M), " +
			"bound to the uploader until a pratica claims it, deleted after a day if none does. The same file sent again answers 200 with the same id",
		Response: attachment.Attachment{}}, h.upload)
	r.Handle(Route{Method: http.MethodGet, Path: AttachmentPath + "/:id", Perm: Perm{"pratica", "act"}, Tag: "attachments",
		Summary: "An upload of one's own not yet attached to a pratica (its content with ?download=1)", Response: attachment.Attachment{}}, h.own)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/pratiche/:id/attachments", Perm: Perm{"pratica", "read"}, Tag: "attachments",
		Summary: "The files attached to a pratica, for whoever may see the pratica", Response: []attachment.Attachment{}}, h.list)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/pratiche/:id/attachments/:aid", Perm: Perm{"pratica", "read"}, Tag: "attachments",
		Summary: "Download a file attached to a pratica, with the pratica's authorization"}, h.download)
}

// uploader is who owns an upload: the codice fiscale of a citizen (as the
// pratica's owner and actor are), the subject of staff.
func uploader(p *Principal) string {
	if p == nil {
		return ""
	}
	return actorOf(p).Subject
}

func (h *Attachments) upload(c echo.Context) error {
	p := PrincipalOf(c)
	if p == nil {
		return errs.E(errs.Unauth, "sign in to upload files")
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	a, created, err := h.Service.Upload(c.Request().Context(), attachment.Upload{Owner: uploader(p), Name: c.QueryParam("name"),
		Type: c.Request().Header.Get(echo.HeaderContentType), Field: c.QueryParam("field"), Content: body, Storage: h.Storage})
	if err != nil {
		return err
	}
	if created {
		return c.JSON(http.StatusCreated, a)
	}
	return c.JSON(http.StatusOK, a)
}

func (h *Attachments) own(c echo.Context) error {
	a, err := h.Service.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if a.Owner != uploader(PrincipalOf(c)) || a.PraticaID != nil {
		// Another's upload, or one a pratica holds (served by its route), is not found here.
		return errs.E(errs.NotFound, "attachment %s not found", c.Param("id"))
	}
	if c.QueryParam("download") != "" {
		return h.serve(c, a)
	}
	return c.JSON(http.StatusOK, a)
}

// loadPratica applies the pratica's own rule (CanSee) before any of its files.
func (h *Attachments) loadPratica(c echo.Context) (*pratica.Pratica, error) {
	pr, err := h.Pratiche.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if err := CanSee(PrincipalOf(c), pr); err != nil {
		return nil, err
	}
	return pr, nil
}

func (h *Attachments) list(c echo.Context) error {
	pr, err := h.loadPratica(c)
	if err != nil {
		return err
	}
	out, err := h.Service.List(c.Request().Context(), pr.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Attachments) download(c echo.Context) error {
	pr, err := h.loadPratica(c)
	if err != nil {
		return err
	}
	a, err := h.Service.Get(c.Request().Context(), c.Param("aid"))
	if err != nil {
		return err
	}
	if a.PraticaID == nil || *a.PraticaID != pr.ID {
		return errs.E(errs.NotFound, "attachment %s not found in pratica %s", a.ID, pr.ID)
	}
	return h.serve(c, a)
}

// serve sends the content as a download of its sniffed type: never inline,
// never re-sniffed by the browser.
func (h *Attachments) serve(c echo.Context, a *attachment.Attachment) error {
	b, err := h.Service.Content(c.Request().Context(), a)
	if err != nil {
		return err
	}
	hd := c.Response().Header()
	cd := mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})
	if cd == "" { // a name mime cannot quote: the type's own
		cd = mime.FormatMediaType("attachment", map[string]string{"filename": "allegato" + attachment.Extension(a.MediaType)})
	}
	hd.Set("Content-Disposition", cd)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	hd.Set("ETag", `"`+a.SHA256+`"`)
	return c.Blob(http.StatusOK, a.MediaType, b)
}

// PraticaExtra lists the pratica's files in its detail under "attachments".
func (h *Attachments) PraticaExtra() PraticaExtra {
	return func(ctx context.Context, pr *pratica.Pratica) (string, any, error) {
		out, err := h.Service.List(ctx, pr.ID)
		return "attachments", out, err
	}
}
