package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/engine"
	"github.com/sportello/sportello/modeler"
)

// The adapters below join the domain packages where a consumer declared the
// small interface it needs: each is a few lines of translation, nothing more.

// catalogServices resolves catalog services for the pratiche engine.
type catalogServices struct{ c *catalog.Store }

func (s catalogServices) Resolve(ctx context.Context, id string) (engine.Service, error) {
	r, err := s.c.Resolve(ctx, id)
	return engine.Service(r), err
}

// planSource gives the interpreter its published plans and service contexts.
type planSource struct {
	m *modeler.Service
	c *catalog.Store
}

func (p planSource) Plan(ctx context.Context, template string, version int) (*modeler.Plan, error) {
	return p.m.Plan(ctx, template, version)
}

func (p planSource) ServiceInfo(ctx context.Context, id string) (activities.ServiceInfo, error) {
	sc, err := p.c.ServiceContext(ctx, id)
	if err != nil {
		return activities.ServiceInfo{}, err
	}
	e, sv := sc.Ente, sc.Service
	auxDigit, segregation, application, err := e.Scheme(paymentIntermediary(sv), "payments[0].intermediary")
	if err != nil {
		return activities.ServiceInfo{}, err
	}
	aux, _ := strconv.Atoi(auxDigit)
	info := activities.ServiceInfo{ID: sv.ID, Ente: e.ID, EnteName: e.Name, EnteFiscalCode: e.FiscalCode, AuxDigit: aux,
		SegregationCode: segregation, ApplicationCode: application, Patron: e.PatronDay,
		IBAN: sc.IBAN, PostalIBAN: sc.Ente.PostalIBAN(), Taxonomy: sc.Taxonomy, Capitolo: sc.Capitolo, Articolo: sc.Articolo, Accertamento: sc.Accertamento,
		Office: sc.Office, TermDays: sc.TermDays, WorkingDays: sc.WorkingDays, Substitute: sc.SubstituteOffice}
	if sv.AppIO != nil {
		info.IOServiceID, info.IOEnabled = sv.AppIO.ServiceID, sv.AppIO.Enabled
	}
	return info, nil
}

// formValidator validates task and integration data for the interpreter.
type formValidator struct{ m *modeler.Service }

func (f formValidator) Validate(ctx context.Context, c activities.DataCheck) error {
	return f.m.CheckData(ctx, modeler.FormRef{ID: c.FormID, Version: c.Version}, c.Data,
		modeler.Facts{Applicant: c.Applicant, Sent: c.Sent}, c.Lang)
}

// catalogRefs checks the modeller's references against the catalog: taxonomy
// codes in force and offices of the enti's organisation; roles are the platform's.
type catalogRefs struct{ c *catalog.Store }

func (r catalogRefs) Taxonomy(ctx context.Context, code string) error {
	return r.c.CheckTaxonomy(ctx, code, time.Now())
}

func (r catalogRefs) Role(ctx context.Context, role string) error {
	return modeler.DefaultRefs().Role(ctx, role)
}

func (r catalogRefs) Office(ctx context.Context, ente, office string) error {
	return r.c.Office(ctx, ente, office)
}

// Ente tells the modeller whether an ente exists (overlays are stored only for those).
func (r catalogRefs) Ente(ctx context.Context, ente string) error {
	_, err := r.c.GetEnte(ctx, ente)
	return err
}

// taxonomyChecker lets pagoPA check the taxonomy code of every transfer.
type taxonomyChecker struct{ c *catalog.Store }

func (t taxonomyChecker) Check(ctx context.Context, code string, at time.Time) error {
	return t.c.CheckTaxonomy(ctx, code, at)
}

// catalogLinks makes each version the modeller publishes live in the catalog:
// the services that run the template (an ente's only, for its overlay) start
// new pratiche on it.
type catalogLinks struct {
	c   *catalog.Store
	log *slog.Logger
}

func (l catalogLinks) Link(ctx context.Context, r modeler.Release) error {
	ids := []string{r.Template}
	if r.Base != "" {
		ids = append(ids, r.Base)
	}
	moved, err := l.c.LinkTemplate(ctx, r.Ente, ids, catalog.TemplateRef{ID: r.Template, Version: r.Version, Hash: r.Hash}, "modeler")
	if len(moved) > 0 {
		l.log.Info("services linked to a published version", "template", r.Template, "version", r.Version, "services", moved)
	}
	return err
}
