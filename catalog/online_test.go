package catalog_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/catalog"
)

func TestOnlineAt(t *testing.T) {
	from := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	online := func(mod func(*catalog.ServiceSpec)) catalog.Service {
		sv := catalog.Service{ServiceSpec: catalog.ServiceSpec{Channels: []string{catalog.ChannelWeb}, Interactivity: catalog.TwoWay,
			Availability: &catalog.Availability{Status: catalog.Active}, Template: &catalog.TemplateRef{ID: "richiesta-generica"}}}
		mod(&sv.ServiceSpec)
		return sv
	}
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		sv   catalog.Service
		at   time.Time
		want string // the English reason, empty when online
	}{
		{"web two-way active", online(func(*catalog.ServiceSpec) {}), now, ""},
		{"app only, transactional", online(func(s *catalog.ServiceSpec) { s.Channels, s.Interactivity = []string{"app"}, catalog.Transactional }), now, ""},
		{"front desk", online(func(s *catalog.ServiceSpec) { s.Channels = []string{"sportello", "telefono"} }), now,
			"the service is offered at the front desk only: please contact the ente's offices"},
		{"downloadable forms", online(func(s *catalog.ServiceSpec) { s.Interactivity = catalog.Downloadable }), now,
			"the service does not take requests online"},
		{"suspended", online(func(s *catalog.ServiceSpec) { s.Availability.Status = catalog.Suspended }), now, "the service is not available now"},
		{"scheduled, inside the window", online(func(s *catalog.ServiceSpec) {
			s.Availability = &catalog.Availability{Status: catalog.Scheduled, From: &from, Until: &until}
		}), now, ""},
		{"scheduled, before", online(func(s *catalog.ServiceSpec) {
			s.Availability = &catalog.Availability{Status: catalog.Scheduled, From: &from, Until: &until}
		}), from.Add(-time.Second), "the service is not available now"},
		{"scheduled, at the end", online(func(s *catalog.ServiceSpec) {
			s.Availability = &catalog.Availability{Status: catalog.Scheduled, From: &from, Until: &until}
		}), until, "the service is not available now"},
		{"no template", online(func(s *catalog.ServiceSpec) { s.Template = nil }), now, "the service has no published pratica template yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, why := tc.sv.OnlineAt(tc.at)
			if diff := cmp.Diff(tc.want, why.En); diff != "" || ok != (tc.want == "") {
				t.Errorf("OnlineAt = %v %q (-want +got):\n%s", ok, why.En, diff)
			}
			if !ok && why.It == "" {
				t.Error("no Italian reason")
			}
		})
	}
}
