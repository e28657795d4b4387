package modeler

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

type concepts map[string]string

func (c concepts) Concept(_ context.Context, id string) ([]byte, error) {
	s, ok := c[id]
	if !ok {
		return nil, errs.E(errs.NotFound, "concept %s not found", id)
	}
	return []byte(s), nil
}

func TestFormResolvesCatalogConcepts(t *testing.T) {
	cf := "https://catalog.sportello.invalid/concepts/codice-fiscale"
	src := concepts{cf: `{"$id": "` + cf + `", "type": "string", "format": "codice-fiscale"}`}
	f := &Form{ID: "c", Version: 1, Schema: []byte(`{"type": "object", "properties": {"cf": {"$ref": "` + cf + `"}}, "required": ["cf"]}`)}
	sch, err := NewForms(src).Compile(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		data any
		lang string
		want []errs.FieldError
	}{
		{map[string]any{"cf": "RSSMRA80A01L424F"}, "it", nil},
		{map[string]any{"cf": "RSSMRA80A01L424X"}, "it", []errs.FieldError{{Field: "/cf", Message: "non è un codice fiscale valido"}}},
		{map[string]any{"cf": 12}, "en", []errs.FieldError{{Field: "/cf", Message: "must be a string"}}},
		{map[string]any{}, "en", []errs.FieldError{{Field: "/cf", Message: "is required"}}},
	}
	for _, tt := range tests {
		var got []errs.FieldError
		if e, ok := errs.As(Validate(sch, tt.data, tt.lang)); ok {
			got = e.Fields
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tt.data, diff)
		}
	}
	missing := &Form{ID: "m", Version: 1, Schema: []byte(`{"properties": {"x": {"$ref": "https://catalog.sportello.invalid/concepts/none"}}}`)}
	if _, err := NewForms(src).Compile(context.Background(), missing); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("unknown concept: %v, want invalid", err)
	}
}
