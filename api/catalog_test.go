package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

type catalogClient struct {
	t   *testing.T
	srv *Server
	who *Principal
}

func (cc *catalogClient) do(method, path, body string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	cc.srv.Echo.ServeHTTP(rec, req)
	return rec
}

func errorOf(rec *httptest.ResponseRecorder) errs.Error {
	var out struct{ Error errs.Error }
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return out.Error
}

func newCatalogClient(t *testing.T) *catalogClient {
	db := storetest.SQLite(t)
	if err := catalog.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	cc := &catalogClient{t: t, who: &Principal{Subject: "admin-ts", Role: RoleEnteAdmin, Ente: "c_l424"}}
	act := catalog.PaymentActivityFunc(func(_ context.Context, ente string) (map[string]bool, error) {
		return map[string]bool{"c_l424.matrimonio": true, "c_l424.tari": true}, nil
	})
	cc.srv = New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, cc.who); return next(c) }
		}
	}}, NewCatalog(catalog.NewStore(db), act))
	return cc
}

func TestCatalogSideBySideWithOrigins(t *testing.T) {
	cc := newCatalogClient(t)
	rec := cc.do(http.MethodGet, "/api/catalog/services?base=matrimonio&channel=", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var list []struct {
		ID            string            `json:"id"`
		Channels      []string          `json:"channels"`
		Interactivity string            `json:"interactivity"`
		Origins       map[string]string `json:"origins"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	type row struct{ ID, Channels, Interactivity, ChannelsFrom, NameFrom string }
	var got []row
	for _, s := range list {
		got = append(got, row{s.ID, strings.Join(s.Channels, "+"), s.Interactivity, s.Origins["channels"], s.Origins["name"]})
	}
	want := []row{
		{"c_e098.matrimonio", "web+app", "transazionale", "region", "region"},
		{"c_f081.matrimonio", "sportello", "informativo", "ente", "region"},
		{"c_l424.matrimonio", "web+app", "transazionale", "region", "region"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("side by side (-want +got):\n%s", diff)
	}
	rec = cc.do(http.MethodGet, "/openapi.json", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"/api/catalog/services/{id}/changes"`) {
		t.Errorf("openapi: %d, catalog paths missing", rec.Code)
	}
}

func TestCatalogIfMatchAndValidation(t *testing.T) {
	cc := newCatalogClient(t)
	rec := cc.do(http.MethodGet, "/api/catalog/services/c_l424.suolo-pubblico", "")
	etag := rec.Header().Get("ETag")
	if rec.Code != http.StatusOK || etag != `"c_l424.suolo-pubblico.1"` {
		t.Fatalf("get: %d etag %q", rec.Code, etag)
	}
	var sv catalog.Service
	if err := json.Unmarshal(rec.Body.Bytes(), &sv); err != nil {
		t.Fatal(err)
	}
	sv.Overrides["info"] = json.RawMessage(`{"it":"Dehors","en":"Outdoor seating"}`)
	spec, _ := json.Marshal(sv.Overrides)
	body := `{"ente":"c_l424","base":"suolo-pubblico","spec":` + string(spec) + `}`
	rec = cc.do(http.MethodPut, "/api/catalog/services/c_l424.suolo-pubblico", body, "If-Match", etag)
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"c_l424.suolo-pubblico.2"` {
		t.Fatalf("update: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodPut, "/api/catalog/services/c_l424.suolo-pubblico", body, "If-Match", etag)
	if e := errorOf(rec); rec.Code != http.StatusPreconditionFailed || e.Code != errs.Conflict {
		t.Errorf("stale If-Match: %d %+v", rec.Code, e)
	}
	rec = cc.do(http.MethodPut, "/api/catalog/services/c_l424.inesistente", body, "If-Match", "*")
	if rec.Code != http.StatusPreconditionFailed {
		t.Errorf("If-Match * on nothing: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodPut, "/api/catalog/services/c_l424.suolo-pubblico", body)
	if e := errorOf(rec); rec.Code != http.StatusConflict || e.Reason != "exists" {
		t.Errorf("no If-Match on an existing service: %d %+v", rec.Code, e)
	}
	rec = cc.do(http.MethodPut, "/api/catalog/services/c_l424.nuovo",
		`{"ente":"c_l424","base":"tari","spec":{"taxonomy":["9/0199999TS/"],"payments":[{"label":{"it":"X"},"amountCents":100,"taxonomy":"9/0101101IM/","iban":"IT00X0000000000000000000000"}]}}`)
	want := []errs.FieldError{
		{Field: "spec.taxonomy[0]", Message: "taxonomy code 9/0199999TS/ is unknown"},
		{Field: "spec.payments[0].iban", Message: "check digits are wrong"},
	}
	if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || !cmp.Equal(want, e.Fields) {
		t.Errorf("bad service: %d %s", rec.Code, cmp.Diff(want, e.Fields))
	}
	rec = cc.do(http.MethodPut, "/api/catalog/services/c_l424.nuovo", `{"ente":"c_l424","base":"tari","spec":{},"extra":1}`)
	if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || e.Fields[0].Field != "extra" {
		t.Errorf("unknown field: %d %+v", rec.Code, e)
	}
	// Trieste's admin cannot touch Medea nor the regional types.
	for _, path := range []string{"/api/catalog/services/c_f081.matrimonio", "/api/catalog/services/matrimonio"} {
		rec = cc.do(http.MethodPut, path, `{"spec":{}}`, "If-Match", "*")
		if e := errorOf(rec); rec.Code != http.StatusForbidden || e.Reason != "other_ente" {
			t.Errorf("PUT %s by Trieste: %d %+v", path, rec.Code, e)
		}
	}
	rec = cc.do(http.MethodDelete, "/api/catalog/services/c_l424.suolo-pubblico", "")
	if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || e.Fields[0].Field != "If-Match" {
		t.Errorf("delete without If-Match: %d %+v", rec.Code, e)
	}
}

func TestCatalogMasterDataAndMonitoring(t *testing.T) {
	cc := newCatalogClient(t)
	rec := cc.do(http.MethodPost, "/api/catalog/enti/c_l424/units/import", "codice;padre;denominazione\nroot;;Comune\nx;y;X\n;root;Z\n")
	want := []errs.FieldError{{Field: "line 4.codice", Message: "is required"}}
	if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || !cmp.Equal(want, e.Fields) {
		t.Errorf("bad CSV: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodPut, "/api/catalog/enti/c_l424", `{"name":"Comune di Trieste","kind":"comune","fiscalCode":"00210240321","auxDigit":"3","segregationCode":"02","accounts":[{"iban":"IT13X0306902230100000046002"}]}`, "If-Match", `"c_l424.1"`)
	if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || e.Fields[0].Field != "accounts[0].iban" {
		t.Errorf("bad IBAN: %d %s", rec.Code, rec.Body)
	}
	cc.who = &Principal{Subject: "regione", Role: RoleRegionalAdmin, Ente: Region}
	rec = cc.do(http.MethodGet, "/api/catalog/monitoring?format=csv", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "c_l424;Comune di Trieste;5;4;2;50,00;no;4;no") {
		t.Errorf("monitoring csv: %d\n%s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/concepts/persona", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"$id":"https://sportello.regione.fvg.it/concepts/persona/v1"`) {
		t.Errorf("concept: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodPost, "/api/catalog/taxonomy/import", string(catalog.Taxonomy))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"unchanged":true`) {
		t.Errorf("taxonomy re-import: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/taxonomy?q=matrimoni&enteType=01&validAt=2026-06-01", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "9/0104102TS/") {
		t.Errorf("taxonomy search: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/export?ente=c_f081", "")
	var b catalog.Bundle
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || len(b.Services) != 2 || len(b.Procedimenti) != 1 {
		t.Errorf("export of Medea: %d services, %d procedimenti, %v", len(b.Services), len(b.Procedimenti), err)
	}
}

func TestCatalogUpstreamChangesThroughAPI(t *testing.T) {
	cc := newCatalogClient(t)
	cc.who = &Principal{Subject: "regione", Role: RoleRegionalAdmin, Ente: Region}
	rec := cc.do(http.MethodGet, "/api/catalog/procedimenti/matrimonio", "")
	var p catalog.Procedimento
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	p.Deadlines = []catalog.Deadline{{Name: catalog.Text{It: "Pubblicazioni", En: "Banns"}, Days: 8}}
	spec, _ := json.Marshal(p.ProcedimentoSpec)
	rec = cc.do(http.MethodPut, "/api/catalog/procedimenti/matrimonio", `{"spec":`+string(spec)+`}`, "If-Match", rec.Header().Get("ETag"))
	if rec.Code != http.StatusOK {
		t.Fatalf("regional update: %d %s", rec.Code, rec.Body)
	}

	cc.who = &Principal{Subject: "admin-ts", Role: RoleEnteAdmin, Ente: "c_l424"}
	rec = cc.do(http.MethodGet, "/api/catalog/procedimenti/c_l424.matrimonio/changes", "")
	var changes []catalog.Change
	if err := json.Unmarshal(rec.Body.Bytes(), &changes); err != nil || len(changes) != 1 || changes[0].Field != "deadlines" {
		t.Fatalf("changes: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/procedimenti/c_l424.matrimonio", "")
	etag := rec.Header().Get("ETag")
	if !strings.Contains(rec.Body.String(), `"outdated":true`) || !strings.Contains(rec.Body.String(), `"deadlines":[{"name":{"it":"Pubblicazioni","en":"Banns"},"days":8}]`) {
		t.Errorf("merged view: %s", rec.Body)
	}
	rec = cc.do(http.MethodPost, "/api/catalog/procedimenti/c_l424.matrimonio/rebase", "", "If-Match", etag)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"outdated":true`) {
		t.Errorf("rebase: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/procedimenti/c_l424.matrimonio/changes", "")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "[]" {
		t.Errorf("changes after rebase: %d %s", rec.Code, rec.Body)
	}

	// Hand edits of the organisation are refused when they make a cycle, and kept in the history.
	rec = cc.do(http.MethodPut, "/api/catalog/enti/c_l424/units/demografici", `{"parent":"anagrafe","name":"Servizio demografici"}`)
	if e := errorOf(rec); rec.Code != http.StatusUnprocessableEntity || e.Fields[0].Field != "parent" {
		t.Errorf("cycle by hand: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodPut, "/api/catalog/enti/c_l424/units/urp", `{"parent":"ag-servizi","name":"Ufficio relazioni con il pubblico"}`)
	if rec.Code != http.StatusOK {
		t.Errorf("new unit: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/enti/c_l424/units/history", "")
	var hist []catalog.UnitChange
	if err := json.Unmarshal(rec.Body.Bytes(), &hist); err != nil || hist[len(hist)-1].Code != "urp" || hist[len(hist)-1].Actor != "admin-ts" {
		t.Errorf("history: %s", rec.Body)
	}
}

func TestCatalogRegionalAdminRoundTrip(t *testing.T) {
	cc := newCatalogClient(t)
	cc.who = &Principal{Subject: "regione", Role: RoleRegionalAdmin, Ente: Region}
	// A new regional procedimento, then deleted with its ETag.
	body := `{"spec":{"name":{"it":"Accesso agli atti","en":"Access to records"},"legalBasis":[{"title":"L. 241/1990","ref":"artt. 22-28"}],` +
		`"term":{"days":30},"start":"istanza-di-parte","end":"provvedimento-espresso","office":"protocollo"}}`
	rec := cc.do(http.MethodPut, "/api/catalog/procedimenti/accesso-atti", body)
	if rec.Code != http.StatusCreated || rec.Header().Get("ETag") != `"accesso-atti.1"` {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodDelete, "/api/catalog/procedimenti/accesso-atti", "", "If-Match", `"accesso-atti.1"`)
	if rec.Code != http.StatusNoContent {
		t.Errorf("delete: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/procedimenti/accesso-atti", "")
	if rec.Code != http.StatusNotFound {
		t.Errorf("after delete: %d", rec.Code)
	}
	// An If-Match naming another object is a failed precondition, not a silent write.
	rec = cc.do(http.MethodPut, "/api/catalog/services/tari", `{"spec":{}}`, "If-Match", `"mensa.1"`)
	if rec.Code != http.StatusPreconditionFailed {
		t.Errorf("If-Match of another id: %d %s", rec.Code, rec.Body)
	}
	// Export of the region and import back is a no-op.
	rec = cc.do(http.MethodGet, "/api/catalog/export?ente=region", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("export: %d", rec.Code)
	}
	rec = cc.do(http.MethodPost, "/api/catalog/import", rec.Body.String())
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"enti":0,"units":0,"procedimenti":3,"services":5,"concepts":9}` {
		t.Errorf("import: %d %s", rec.Code, rec.Body)
	}
	rec = cc.do(http.MethodGet, "/api/catalog/services/tari", "")
	if rec.Header().Get("ETag") != `"tari.1"` {
		t.Errorf("re-import changed the revision: %s", rec.Header().Get("ETag"))
	}
	rec = cc.do(http.MethodGet, "/api/catalog/monitoring?ente=c_f081", "")
	var m catalog.Monitoring
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || len(m.Enti) != 1 || m.Enti[0].Incasso != 2 || m.Enti[0].ActivePagoPA != 0 {
		t.Errorf("monitoring of Medea: %d %s", rec.Code, rec.Body)
	}
}
