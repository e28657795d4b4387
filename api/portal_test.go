package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

// portalCatalog is the catalog as a map, for the portal's tests.
type portalCatalog map[string]*catalog.Service

func (m portalCatalog) GetService(_ context.Context, id string) (*catalog.Service, error) {
	if s, ok := m[id]; ok {
		return s, nil
	}
	return nil, errs.E(errs.NotFound, "service %s not found", id)
}

func (m portalCatalog) ListEnti(context.Context) ([]catalog.Ente, error) {
	return []catalog.Ente{{ID: "c_l424", Name: "Comune di Trieste", Kind: "comune", FiscalCode: "00210240321",
		Accounts: []catalog.Account{{}}}}, nil
}

func TestPortalStartForm(t *testing.T) {
	db := storetest.SQLite(t)
	if err := modeler.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	svc := func(id string, channels []string, tmpl *catalog.TemplateRef) *catalog.Service {
		s := &catalog.Service{}
		s.ID, s.Channels, s.Interactivity, s.Template = id, channels, catalog.TwoWay, tmpl
		s.Availability = &catalog.Availability{Status: catalog.Active}
		return s
	}
	services := portalCatalog{
		"c_l424.richiesta-generica": svc("c_l424.richiesta-generica", []string{"web"}, &catalog.TemplateRef{ID: "richiesta-generica", Version: 1}),
		"c_f081.matrimonio":         svc("c_f081.matrimonio", []string{"sportello"}, &catalog.TemplateRef{ID: "matrimonio", Version: 1}),
		"c_l424.nuovo":              svc("c_l424.nuovo", []string{"web"}, nil),
	}
	srv := New(Options{}, NewPortal(services, modeler.NewService(db, modeler.DefaultRefs(), nil, nil)))
	get := func(path string) (int, []byte) {
		rec := httptest.NewRecorder()
		srv.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code, rec.Body.Bytes()
	}
	type answer struct {
		Online   bool
		Reason   string
		Template string
		Version  int
		FormID   string
		Fields   []string
		Code     string
	}
	read := func(status int, b []byte) answer {
		var out struct {
			StartForm
			Error errs.Error `json:"error"`
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%d %s: %v", status, b, err)
		}
		a := answer{Online: out.Online, Template: out.Template, Version: out.Version, Code: string(out.Error.Code)}
		if out.Reason != nil {
			a.Reason = out.Reason.En
		}
		if out.Form != nil {
			a.FormID = out.Form.ID
			var sch struct{ Required []string }
			_ = json.Unmarshal(out.Form.Schema, &sch)
			a.Fields = sch.Required
		}
		return a
	}
	for _, tc := range []struct {
		name, id   string
		wantStatus int
		want       answer
	}{
		{"online service gives its start form", "c_l424.richiesta-generica", http.StatusOK,
			answer{Online: true, Template: "richiesta-generica", Version: 1, FormID: "richiesta-generica", Fields: []string{"oggetto", "testo"}}},
		{"front desk only says so and gives no form", "c_f081.matrimonio", http.StatusOK,
			answer{Reason: "the service is offered at the front desk only: please contact the ente's offices"}},
		{"no template yet", "c_l424.nuovo", http.StatusOK, answer{Reason: "the service has no published pratica template yet"}},
		{"unknown service", "c_l424.nessuno", http.StatusNotFound, answer{Code: "not_found"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, b := get("/api/portal/services/" + tc.id + "/start")
			if status != tc.wantStatus {
				t.Fatalf("status = %d, want %d: %s", status, tc.wantStatus, b)
			}
			if diff := cmp.Diff(tc.want, read(status, b)); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}

	status, b := get("/api/portal/enti")
	var enti []PortalEnte
	if err := json.Unmarshal(b, &enti); err != nil || status != http.StatusOK {
		t.Fatalf("enti: %d %s", status, b)
	}
	if diff := cmp.Diff([]PortalEnte{{ID: "c_l424", Name: "Comune di Trieste", Kind: "comune"}}, enti); diff != "" {
		t.Errorf("enti (-want +got):\n%s", diff)
	}
}
