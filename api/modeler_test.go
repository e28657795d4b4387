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

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

func TestModelerSubmissionAndOverlayScope(t *testing.T) {
	db := storetest.SQLite(t)
	if err := modeler.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	who := &Principal{Subject: "admin-medea", Role: RoleEnteAdmin, Ente: "c_f081"}
	srv := New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, who); return next(c) }
		}
	}}, NewModeler(modeler.NewService(db, modeler.DefaultRefs(), nil, nil)))

	do := func(method, path, body, lang string) (int, errs.Error) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		srv.Echo.ServeHTTP(rec, req)
		var out struct{ Error errs.Error }
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out.Error
	}
	code, e := do(http.MethodPost, "/api/modeler/forms/richiesta-generica/versions/1/validate", `{"oggetto":"ok"}`, "en")
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d", code)
	}
	want := []errs.FieldError{{Field: "/oggetto", Message: "must be at least 3 characters long"}, {Field: "/testo", Message: "is required"}}
	if diff := cmp.Diff(want, e.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if code, _ := do(http.MethodPost, "/api/modeler/forms/richiesta-generica/versions/1/validate", `{"oggetto":"Buche","testo":"Via Roma ha buche"}`, "it"); code != http.StatusOK {
		t.Errorf("valid data: status %d", code)
	}
	if code, e := do(http.MethodPut, "/api/modeler/overlays/c_l424/matrimonio", `{"baseVersion":1,"values":{}}`, "it"); code != http.StatusForbidden || e.Reason != "other_ente" {
		t.Errorf("other ente's overlay: status %d reason %q", code, e.Reason)
	}
	if code, _ := do(http.MethodPut, "/api/modeler/overlays/c_f081/matrimonio", `{"baseVersion":1,"values":{"tariffa":5000}}`, "it"); code != http.StatusOK {
		t.Errorf("own overlay: status %d", code)
	}
}
