package modeler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/errs"
)

// Form is a JSON Schema 2020-12 document with its UI schema. Properties refer to
// business-catalog concepts with "$ref" set to the concept's $id.
type Form struct {
	ID      string          `json:"id"`
	Version int             `json:"version"`
	Title   Text            `json:"title"`
	Schema  json.RawMessage `json:"schema"`
	UI      *UISchema       `json:"ui,omitempty"`
	// Rules are cross-field checks the schema cannot express (two fields differ,
	// the applicant is one of the spouses), checked on every submission.
	Rules []Rule `json:"rules,omitempty"`
	// Dates bound date fields relative to the day of the submission.
	Dates []DateBound `json:"dates,omitempty"`
}

// UISchema tells a renderer how to lay a form out. Conditional parts come from
// the schema's own if/then/else, so the browser and the server agree.
type UISchema struct {
	// Order lists the top-level properties in display order.
	Order []string `json:"order,omitempty"`
	// Groups gather properties under a heading.
	Groups []UIGroup `json:"groups,omitempty"`
	// Fields configures each field by its JSON pointer, e.g. "/sposo/codiceFiscale".
	Fields map[string]UIField `json:"fields,omitempty"`
}

// UIGroup is a fieldset of the form.
type UIGroup struct {
	ID     string   `json:"id"`
	Label  Text     `json:"label"`
	Fields []string `json:"fields"`
}

// UIField is how one field is shown.
type UIField struct {
	Widget string `json:"widget,omitempty"` // text, textarea, select, radio, date, checkbox, hidden, file
	Label  Text   `json:"label"`
	Help   Text   `json:"help,omitempty"`
}

// FormRef points to a form version.
type FormRef struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// Key is "id@version", the key of the compiled-schema cache.
func (r FormRef) Key() string { return fmt.Sprintf("%s@%d", r.ID, r.Version) }

// ConceptSource gives the JSON Schema of a business-catalog concept by its $id
// (the absolute URL a form's "$ref" names). The catalog implements it.
type ConceptSource interface {
	Concept(ctx context.Context, id string) ([]byte, error)
}

// Forms compiles form schemas once and caches them by (form id, version).
type Forms struct {
	Concepts ConceptSource

	mu    sync.Mutex
	cache map[string]*jsonschema.Schema
}

// NewForms returns a compiler resolving concepts through concepts (nil: forms may not use concepts).
func NewForms(concepts ConceptSource) *Forms {
	return &Forms{Concepts: concepts, cache: map[string]*jsonschema.Schema{}}
}

// formURL is the base URL a form's schema is compiled under.
func formURL(key string) string { return "https://forms.sportello.invalid/" + key + ".json" }

// Compile compiles a form's schema, or returns the cached one for (ID, Version).
// Errors are invalid and name the schema location at fault.
func (f *Forms) Compile(ctx context.Context, form *Form) (*jsonschema.Schema, error) {
	key := FormRef{ID: form.ID, Version: form.Version}.Key()
	f.mu.Lock()
	sch, ok := f.cache[key]
	f.mu.Unlock()
	if ok {
		return sch, nil
	}
	sch, err := f.compile(ctx, key, form.Schema)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	if f.cache == nil {
		f.cache = map[string]*jsonschema.Schema{}
	}
	f.cache[key] = sch
	f.mu.Unlock()
	return sch, nil
}

// Forget drops a cached schema, for a draft that changed.
func (f *Forms) Forget(ref FormRef) {
	f.mu.Lock()
	delete(f.cache, ref.Key())
	f.mu.Unlock()
}

func (f *Forms) compile(ctx context.Context, key string, schema []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, errs.Field("/schema", "is not valid JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	for _, fm := range customFormats {
		c.RegisterFormat(fm)
	}
	c.UseLoader(conceptLoader{ctx: ctx, src: f.Concepts})
	url := formURL(key)
	if err := c.AddResource(url, doc); err != nil {
		return nil, errs.Field("/schema", "%v", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, errs.Field("/schema", "does not compile: %s", strings.ReplaceAll(err.Error(), formURL(key), ""))
	}
	return sch, nil
}

// conceptLoader resolves "$ref"s to concepts through the catalog.
type conceptLoader struct {
	ctx context.Context
	src ConceptSource
}

func (l conceptLoader) Load(url string) (any, error) {
	if l.src == nil {
		return nil, fmt.Errorf("concept %s: no business catalog configured", url)
	}
	b, err := l.src.Concept(l.ctx, url)
	if err != nil {
		return nil, fmt.Errorf("concept %s: %w", url, err)
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// Validate checks data against a compiled form and returns every problem at once
// as an invalid errs.Error, messages in lang ("it" or "en"); nil when valid.
func Validate(sch *jsonschema.Schema, data any, lang string) error {
	err := sch.Validate(data)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return errs.E(errs.Invalid, "%v", err)
	}
	var out []errs.FieldError
	collect(ve, lang, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return errs.Fields(dedupe(out))
}

func dedupe(in []errs.FieldError) []errs.FieldError {
	seen := map[errs.FieldError]bool{}
	out := in[:0]
	for _, f := range in {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// collect walks the error tree to its leaves: each leaf is one problem.
func collect(ve *jsonschema.ValidationError, lang string, out *[]errs.FieldError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collect(c, lang, out)
		}
		return
	}
	*out = append(*out, fieldErrors(ve, lang)...)
}

// pointer joins instance location tokens into a JSON pointer.
func pointer(tokens []string) string {
	if len(tokens) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}
