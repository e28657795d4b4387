package catalog_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestConcepts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		b, err := s.Concept(ctx, catalog.ConceptID("persona", 1))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		got := []any{doc["$id"], doc["$schema"], doc["title"], doc["x-label"], doc["x-version"]}
		want := []any{"https://sportello.regione.fvg.it/concepts/persona/v1", "https://json-schema.org/draft/2020-12/schema",
			"Persona fisica", map[string]any{"it": "Persona fisica", "en": "Natural person"}, float64(1)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("persona (-want +got):\n%s", diff)
		}

		// A new version keeps the old one: concepts are immutable.
		cf, err := s.ConceptInfo(ctx, "codice-fiscale")
		if err != nil {
			t.Fatal(err)
		}
		in := catalog.ConceptInput{Name: "codice-fiscale", Label: catalog.Text{It: "Codice fiscale", En: "Tax code"},
			Help:     catalog.Text{It: "Codice fiscale della persona fisica o giuridica", En: "Tax code of a person or company"},
			Schema:   json.RawMessage(`{"type":"string","pattern":"^([A-Z0-9]{16}|[0-9]{11})$"}`),
			Examples: []json.RawMessage{json.RawMessage(`"00210240321"`)}}
		v2, err := s.PublishConcept(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.PublishConcept(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || again.ID != v2.ID || cf.Version != 1 {
			t.Errorf("versions: first %d, new %d, republished %s", cf.Version, v2.Version, again.ID)
		}
		old, err := s.Concept(ctx, catalog.ConceptID("codice-fiscale", 1))
		if err != nil || string(old) != string(cf.Schema) {
			t.Errorf("version 1 changed: %v", err)
		}
		latest, _ := s.ConceptInfo(ctx, "codice-fiscale")
		if latest.Version != 2 {
			t.Errorf("latest = v%d", latest.Version)
		}
		list, err := s.Concepts(ctx, "fiscale", false)
		if err != nil || len(list) != 1 || list[0].Version != 2 {
			t.Errorf("search latest = %+v, %v", list, err)
		}
		if _, err := s.Concept(ctx, "nessuno"); !errs.Is(err, errs.NotFound) {
			t.Errorf("missing concept = %v", err)
		}
	})
}

func TestBadConcepts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		label := catalog.Text{It: "Età", En: "Age"}
		for _, tc := range []struct {
			name string
			in   catalog.ConceptInput
			want []errs.FieldError
		}{
			{"example does not match", catalog.ConceptInput{Name: "eta", Label: label, Help: label,
				Schema: json.RawMessage(`{"type":"integer","minimum":0}`), Examples: []json.RawMessage{json.RawMessage(`12`), json.RawMessage(`-1`)}},
				[]errs.FieldError{{Field: "examples[1]", Message: "does not match the schema: jsonschema validation failed with 'https://sportello.regione.fvg.it/concepts/eta/v1#' - at '': minimum: got -1, want 0"}}},
			{"missing labels and examples", catalog.ConceptInput{Name: "Eta", Label: catalog.Text{It: "Età"}, Schema: json.RawMessage(`{"type":"integer"}`)},
				[]errs.FieldError{{Field: "name", Message: "must be lower-case letters, digits and dashes"},
					{Field: "help.en", Message: "is required"}, {Field: "help.it", Message: "is required"},
					{Field: "label.en", Message: "is required"}, {Field: "examples", Message: "at least one example is required"}}},
			{"example with a wrong check character", catalog.ConceptInput{Name: "cf-coniuge", Label: label, Help: label,
				Schema:   json.RawMessage(`{"$ref":"` + catalog.ConceptID("codice-fiscale", 1) + `"}`),
				Examples: []json.RawMessage{json.RawMessage(`"RSSMRA80A01L424F"`), json.RawMessage(`"RSSMRA80A01L424X"`)}},
				[]errs.FieldError{{Field: "examples[1]", Message: "does not match the schema: jsonschema validation failed with 'https://sportello.regione.fvg.it/concepts/cf-coniuge/v1#' - at '': 'RSSMRA80A01L424X' is not valid codice-fiscale: check character is wrong"}}},
			{"reference to a missing concept", catalog.ConceptInput{Name: "coppia", Label: label, Help: label,
				Schema:   json.RawMessage(`{"type":"object","properties":{"a":{"$ref":"` + catalog.ConceptID("sposo", 1) + `"}}}`),
				Examples: []json.RawMessage{json.RawMessage(`{}`)}}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.PublishConcept(ctx, tc.in)
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				if tc.want == nil {
					if len(e.Fields) != 1 || e.Fields[0].Field != "schema" {
						t.Errorf("fields = %v, want one on schema", e.Fields)
					}
					return
				}
				sortFields(e.Fields)
				sortFields(tc.want)
				if diff := cmp.Diff(tc.want, e.Fields); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func sortFields(f []errs.FieldError) {
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && f[j].Field+f[j].Message < f[j-1].Field+f[j-1].Message; j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
}
