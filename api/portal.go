package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
)

// Portal answers what the web portal needs and no other route gives a citizen:
// which form starts a service. Citizens may not read templates (they are the
// designers'), so the portal asks the server to resolve service → published
// template version → start step → form, the same chain the engine follows.
type Portal struct {
	Services PortalServices
	Forms    PortalForms
	Now      func() time.Time
}

// PortalServices is the catalog seen by the portal.
type PortalServices interface {
	GetService(ctx context.Context, id string) (*catalog.Service, error)
	ListEnti(ctx context.Context) ([]catalog.Ente, error)
}

// PortalForms is the modeller seen by the portal.
type PortalForms interface {
	Plan(ctx context.Context, id string, version int) (*modeler.Plan, error)
	Form(ctx context.Context, ref modeler.FormRef) (*modeler.Form, error)
}

// NewPortal returns the portal module on the catalog store and the modeller service.
func NewPortal(services PortalServices, forms PortalForms) *Portal {
	return &Portal{Services: services, Forms: forms}
}

// StartForm tells whether a service can be started online now and, when it can,
// the form version its first submission must satisfy.
type StartForm struct {
	Service  string        `json:"service"`
	Online   bool          `json:"online"`
	Reason   *catalog.Text `json:"reason,omitempty"` // why not online, in Italian and English
	Template string        `json:"template,omitempty"`
	Version  int           `json:"version,omitempty"`
	Form     *modeler.Form `json:"form,omitempty"`
}

// PortalEnte is what anyone signed in may know of an ente: its name, not its
// accounts or its pagoPA configuration (those are master data for its staff).
type PortalEnte struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Routes registers the portal routes.
func (h *Portal) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodGet, Path: "/api/portal/enti", Perm: Authenticated, Tag: "portal",
		Summary:  "The enti by IPA code with their names / Enti con il loro nome",
		Response: []PortalEnte{{ID: "c_l424", Name: "Comune di Trieste", Kind: "comune"}}}, h.enti)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/portal/services/:id/start", Perm: Authenticated, Tag: "portal",
		Domain:  catDomainOfID,
		Summary: "Can the service be started online now, and with which form / Avvio online del servizio e modulo da compilare",
		Response: StartForm{Service: "c_l424.richiesta-generica", Online: true, Template: "richiesta-generica", Version: 1,
			Form: &modeler.Form{ID: "richiesta-generica", Version: 1}}}, h.start)
}

func (h *Portal) start(c echo.Context) error {
	ctx := c.Request().Context()
	sv, err := h.Services.GetService(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	out := StartForm{Service: sv.ID}
	if ok, reason := sv.OnlineAt(now); !ok {
		out.Reason = &reason
		return c.JSON(http.StatusOK, out)
	}
	plan, err := h.Forms.Plan(ctx, sv.Template.ID, sv.Template.Version)
	if err != nil {
		return err
	}
	out.Online, out.Template, out.Version = true, plan.TemplateID, plan.Version
	st := plan.Steps[plan.Start]
	if st == nil || st.Form == nil {
		// A template that starts without a form takes an empty submission.
		return c.JSON(http.StatusOK, out)
	}
	if out.Form, err = h.Forms.Form(ctx, modeler.FormRef{ID: st.Form.FormID, Version: st.Form.Version}); err != nil {
		return errs.Wrap(err, "start form of %s", sv.ID)
	}
	return c.JSON(http.StatusOK, out)
}

func (h *Portal) enti(c echo.Context) error {
	all, err := h.Services.ListEnti(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]PortalEnte, 0, len(all))
	for _, e := range all {
		out = append(out, PortalEnte{ID: e.ID, Name: e.Name, Kind: e.Kind})
	}
	return c.JSON(http.StatusOK, out)
}
