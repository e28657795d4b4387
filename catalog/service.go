package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

// Service is the merged view of a service: a service type (regional or
// national), or an ente's service with each field's origin.
type Service struct {
	Header
	ServiceSpec
}

var serviceKind = kind{name: "service", table: "catalog_services", derive: deriveService}

func deriveService(merged fields) (map[string]any, error) {
	var sp ServiceSpec
	if err := strictDecode(merged, &sp); err != nil {
		return nil, err
	}
	var name, desc, info Text
	if sp.Name != nil {
		name = *sp.Name
	}
	if sp.Description != nil {
		desc = *sp.Description
	}
	if sp.Info != nil {
		info = *sp.Info
	}
	return map[string]any{
		"name":          name.It,
		"channels":      listColumn(sp.Channels),
		"interactivity": sp.Interactivity,
		"taxonomy":      listColumn(append(append([]string{}, sp.Taxonomy...), paymentCodes(sp.Payments)...)),
		"search":        Normalize(strings.Join([]string{name.It, name.En, desc.It, desc.En, info.It, info.En}, " ")),
	}, nil
}

// listColumn stores a list as ",a,b," so one LIKE '%,a,%' finds an element on both engines.
func listColumn(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return "," + strings.Join(l, ",") + ","
}

func paymentCodes(ps []Payment) []string {
	var out []string
	for _, p := range ps {
		if p.Taxonomy != "" {
			out = append(out, p.Taxonomy)
		}
	}
	return out
}

// PutService creates or updates a service type or an ente's service.
func (s *Store) PutService(ctx context.Context, in Input, ifMatch int64, actor string) (*Service, error) {
	r, err := putDef(ctx, s, serviceKind, in, ifMatch, actor, validateService)
	if err != nil {
		return nil, err
	}
	return s.serviceView(ctx, r, nil)
}

func (s *Store) serviceView(ctx context.Context, r *defRow, bases map[string]*defRow) (*Service, error) {
	h, merged, err := s.view(ctx, serviceKind, r, bases)
	if err != nil {
		return nil, err
	}
	sv := &Service{Header: h}
	if err := strictDecode(merged, &sv.ServiceSpec); err != nil {
		return nil, fmt.Errorf("service %s: %w", r.ID, err)
	}
	return sv, nil
}

// GetService returns the merged view of a service.
func (s *Store) GetService(ctx context.Context, id string) (*Service, error) {
	r, err := s.loadDef(ctx, serviceKind, id)
	if err != nil {
		return nil, err
	}
	return s.serviceView(ctx, r, nil)
}

// ServiceFilter narrows a list of services; every set field must match.
type ServiceFilter struct {
	Ente          string // an ente's services; Region lists the service types
	Base          string
	Taxonomy      string
	Channel       string
	Interactivity string
	Q             string // Italian full-text: every word, accents and case ignored
	// Online keeps only the services a citizen can start online now.
	Online bool
}

// ListServices returns merged views by id.
func (s *Store) ListServices(ctx context.Context, f ServiceFilter) ([]Service, error) {
	q := s.conn(ctx).Table(serviceKind.table)
	switch f.Ente {
	case "":
	case Region:
		q = q.Where("ente = ''")
	default:
		q = q.Where("ente = ?", f.Ente)
	}
	if f.Base != "" {
		q = q.Where("base = ?", f.Base)
	}
	if f.Taxonomy != "" {
		q = q.Where("taxonomy LIKE ?", "%,"+likeEscape(f.Taxonomy)+",%")
	}
	if f.Channel != "" {
		q = q.Where("channels LIKE ?", "%,"+likeEscape(f.Channel)+",%")
	}
	if f.Interactivity != "" {
		q = q.Where("interactivity = ?", f.Interactivity)
	}
	for _, w := range strings.Fields(Normalize(f.Q)) {
		q = q.Where("search LIKE ?", "%"+likeEscape(w)+"%")
	}
	var rows []*defRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}
	bases, err := s.bases(ctx, serviceKind, rows)
	if err != nil {
		return nil, err
	}
	out := make([]Service, 0, len(rows))
	for _, r := range rows {
		sv, err := s.serviceView(ctx, r, bases)
		if err != nil {
			return nil, err
		}
		if f.Online {
			if ok, _ := sv.OnlineAt(s.now()); !ok || sv.Ente == "" {
				continue
			}
		}
		out = append(out, *sv)
	}
	return out, nil
}

// ServiceChanges lists what changed in the service type since the ente's
// service was based on it.
func (s *Store) ServiceChanges(ctx context.Context, id string) ([]Change, error) {
	return s.changes(ctx, serviceKind, id)
}

// RebaseService records that the ente has seen the changes of its service type.
func (s *Store) RebaseService(ctx context.Context, id string, ifMatch int64) (*Service, error) {
	r, err := s.rebase(ctx, serviceKind, id, ifMatch)
	if err != nil {
		return nil, err
	}
	return s.serviceView(ctx, r, nil)
}

// DeleteService removes a service; a service type still specialised by an ente stays.
func (s *Store) DeleteService(ctx context.Context, id string, ifMatch int64) error {
	return s.deleteDef(ctx, serviceKind, id, ifMatch, func(context.Context, *Store) ([]string, error) { return nil, nil })
}

// SetTemplate records the template version a service runs; the modeller calls
// it when it publishes. On a service type it is inherited by the enti that do not override it.
func (s *Store) SetTemplate(ctx context.Context, serviceID string, t TemplateRef, actor string) (*Service, error) {
	var out *Service
	err := s.tx(ctx, func(ts *Store) error {
		r, err := ts.loadDef(ctx, serviceKind, serviceID)
		if err != nil {
			return err
		}
		own, err := decodeFields(r.Spec)
		if err != nil {
			return err
		}
		b, err := encodeJSON(t)
		if err != nil {
			return err
		}
		own["template"] = b
		out, err = ts.PutService(ctx, Input{ID: r.ID, Ente: r.Ente, Level: Level(r.Level), Base: r.Base, Spec: []byte(encodeFields(own))}, r.Revision, actor)
		return err
	})
	return out, err
}

// OnlineAt reports whether citizens can start a pratica of the service online at
// now; when not, reason says why in Italian and English.
func (sv *Service) OnlineAt(now time.Time) (ok bool, reason Text) {
	switch {
	case !contains(sv.Channels, ChannelWeb) && !contains(sv.Channels, ChannelApp):
		return false, Text{It: "il servizio è offerto solo allo sportello: rivolgersi agli uffici dell'ente",
			En: "the service is offered at the front desk only: please contact the ente's offices",
			Sl: "storitev je na voljo samo na okencu: obrnite se na urade ustanove"}
	case sv.Interactivity != OneWay && sv.Interactivity != TwoWay && sv.Interactivity != Transactional:
		return false, Text{It: "il servizio non prevede la presentazione di istanze online",
			En: "the service does not take requests online", Sl: "storitev ne sprejema vlog prek spleta"}
	case !sv.availableAt(now):
		return false, Text{It: "il servizio non è attualmente disponibile", En: "the service is not available now", Sl: "storitev trenutno ni na voljo"}
	case sv.Template == nil || sv.Template.ID == "":
		return false, Text{It: "il servizio non ha ancora un modello di pratica pubblicato",
			En: "the service has no published pratica template yet", Sl: "storitev še nima objavljene predloge vloge"}
	}
	return true, Text{}
}

// PayableOnlineAt reports whether citizens can pay the service online on their
// own initiative (a spontaneous payment) at now: it must be offered on the web
// or the app, transactionally, and be available; when not, reason says why.
func (sv *Service) PayableOnlineAt(now time.Time) (ok bool, reason Text) {
	switch {
	case !contains(sv.Channels, ChannelWeb) && !contains(sv.Channels, ChannelApp):
		return false, Text{It: "il servizio è offerto solo allo sportello: rivolgersi agli uffici dell'ente",
			En: "the service is offered at the front desk only: please contact the ente's offices",
			Sl: "storitev je na voljo samo na okencu: obrnite se na urade ustanove"}
	case sv.Interactivity != Transactional:
		return false, Text{It: "il servizio non prevede il pagamento online", En: "the service is not paid online"}
	case !sv.availableAt(now):
		return false, Text{It: "il servizio non è attualmente disponibile", En: "the service is not available now", Sl: "storitev trenutno ni na voljo"}
	}
	return true, Text{}
}

// Online reports whether citizens can start a pratica of the service online now.
func (sv *Service) Online() bool {
	ok, _ := sv.OnlineAt(time.Now())
	return ok
}

func (sv *Service) availableAt(now time.Time) bool {
	a := sv.Availability
	if a == nil {
		return false
	}
	switch a.Status {
	case Active:
		return true
	case Scheduled:
		return a.From != nil && !now.Before(*a.From) && (a.Until == nil || now.Before(*a.Until))
	}
	return false
}

// Resolved is what the pratiche engine needs of a service: the same fields, in
// the same order, as engine.Service, so engine.Service(r) converts it.
type Resolved struct {
	ID       string
	Ente     string
	Template string
	Version  int
	Hash     string
	Online   bool
	Reason   string
}

// Resolve returns the template an ente's service runs and whether it can be
// started online, with the reason in Italian and English when it cannot.
func (s *Store) Resolve(ctx context.Context, serviceID string) (Resolved, error) {
	sv, err := s.GetService(ctx, serviceID)
	if errs.Is(err, errs.NotFound) {
		return Resolved{}, errs.Field("service", "service %s does not exist", serviceID)
	}
	if err != nil {
		return Resolved{}, err
	}
	if sv.Ente == "" {
		return Resolved{}, errs.Field("service", "%s is a service type: start the service of an ente, e.g. c_l424.%s", serviceID, serviceID)
	}
	r := Resolved{ID: sv.ID, Ente: sv.Ente}
	if sv.Template != nil {
		r.Template, r.Version, r.Hash = sv.Template.ID, sv.Template.Version, sv.Template.Hash
	}
	ok, why := sv.OnlineAt(s.now())
	r.Online = ok
	if !ok {
		r.Reason = why.It + " / " + why.En
	}
	return r, nil
}

// CheckOnline is errs conflict (reason not_online) when the service cannot be started online now.
func (s *Store) CheckOnline(ctx context.Context, serviceID string) error {
	r, err := s.Resolve(ctx, serviceID)
	if err != nil {
		return err
	}
	if !r.Online {
		return &errs.Error{Code: errs.Conflict, Reason: "not_online",
			Message: fmt.Sprintf("service %s cannot be started online: %s", serviceID, r.Reason)}
	}
	return nil
}
