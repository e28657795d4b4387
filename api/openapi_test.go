package api

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSchema(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type doc struct {
		Name    string          `json:"name"`
		At      time.Time       `json:"at"`
		Spec    json.RawMessage `json:"spec"`
		Tags    []string        `json:"tags,omitempty"`
		Inner   *inner          `json:"inner"`
		Skipped string          `json:"-"`
	}
	got := Schema(reflect.TypeOf(doc{}))
	want := map[string]any{"type": "object", "properties": map[string]any{
		"name":  map[string]any{"type": "string"},
		"at":    map[string]any{"type": "string", "format": "date-time"},
		"spec":  map[string]any{},
		"tags":  map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
		"inner": map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer"}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Schema (-want +got):\n%s", diff)
	}
}

func TestOpenAPIPaths(t *testing.T) {
	doc := OpenAPI([]Route{{Method: "GET", Path: "/api/pratiche/:id", Perm: Perm{"pratica", "read"}, Summary: "one"},
		{Method: "GET", Path: "/healthz", Perm: Public}}, "test")
	paths := doc["paths"].(map[string]any)
	op := paths["/api/pratiche/{id}"].(map[string]any)["get"].(map[string]any)
	if op["operationId"] != "getApiPraticheId" || op["security"] == nil {
		t.Errorf("operation = %v", op)
	}
	if _, ok := paths["/healthz"].(map[string]any)["get"].(map[string]any)["security"]; ok {
		t.Error("a public route asks for credentials")
	}
}
