package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/store/storetest"
)

// TestStepTypesRoute asks the modeller API for the palette of step types: each
// of the ten types comes with a schema whose properties carry labels.
func TestStepTypesRoute(t *testing.T) {
	db := storetest.SQLite(t)
	if err := modeler.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	who := &Principal{Subject: "designer", Role: RoleDesigner, Ente: Region}
	srv := New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, who); return next(c) }
		}
	}}, NewModeler(modeler.NewService(db, modeler.DefaultRefs(), nil, nil)))
	rec := httptest.NewRecorder()
	srv.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/modeler/step-types", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d %s", rec.Code, rec.Body)
	}
	var got []struct {
		Type   string `json:"type"`
		Label  map[string]string
		Schema struct {
			Properties map[string]struct {
				Label map[string]string `json:"x-label"`
			} `json:"properties"`
			Defs map[string]any `json:"$defs"`
		} `json:"schema"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// The property form shows properties in the order the schema lists them.
	if body := rec.Body.String(); strings.Index(body, `"role"`) > strings.Index(body, `"outcomes"`) {
		t.Errorf("the task's properties lost their order: role comes after outcomes")
	}
	if len(got) != 10 {
		t.Fatalf("%d step types, want 10", len(got))
	}
	for _, st := range got {
		if len(st.Schema.Properties) == 0 || st.Schema.Defs["text"] == nil {
			t.Errorf("step type %s: schema without properties or shared definitions", st.Type)
		}
		for name, p := range st.Schema.Properties {
			if p.Label["it"] == "" || p.Label["en"] == "" || p.Label["sl"] == "" {
				t.Errorf("step type %s property %s: label %v", st.Type, name, p.Label)
			}
		}
	}
}
