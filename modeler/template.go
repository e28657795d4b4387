package modeler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sportello/sportello/errs"
)

// Template is the declarative document a designer writes: the steps of a
// procedure, its legal deadline and, for a regional template, the parameters an
// ente overlay may set. String values "${name}" (or containing it) are replaced by
// parameter values when the template is resolved.
type Template struct {
	ID    string `json:"id"`
	Title Text   `json:"title"`
	// Ente is the IPA code owning an ente-specific template or a resolved overlay; empty for regional ones.
	Ente string `json:"ente,omitempty"`
	// Base is "template@version" of the regional template an overlay resolved.
	Base  string `json:"base,omitempty"`
	Start string `json:"start"`
	// Deadline is the procedure's legal term, copied into the plan.
	Deadline *Deadline       `json:"deadline,omitempty"`
	Params   []Param         `json:"params,omitempty"`
	Steps    []TemplateStep  `json:"steps"`
	Extra    json.RawMessage `json:"x,omitempty"` // free designer notes, ignored by the compiler
}

// TemplateStep is a plan Step plus what only templates have.
type TemplateStep struct {
	Step
	// Optional names a boolean parameter: when false the step is dropped and its
	// predecessors go straight to its Next.
	Optional string `json:"optional,omitempty"`
}

// ParseTemplate reads a template document (JSON or YAML) with its parameters at
// their defaults: the regional view of the template.
func ParseTemplate(doc []byte) (*Template, error) {
	t, _, err := Resolve(doc, 0, nil)
	return t, err
}

// ToJSON returns doc as compact JSON, converting YAML when doc does not start with '{'.
func ToJSON(doc []byte) ([]byte, error) {
	doc = bytes.TrimSpace(doc)
	if len(doc) == 0 {
		return nil, errs.Field("document", "is empty")
	}
	if doc[0] != '{' {
		j, err := yamlToJSON(doc)
		if err != nil {
			return nil, errs.Field("document", "is neither JSON nor valid YAML: %v", err)
		}
		return j, nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		return nil, errs.Field("document", "is not valid JSON: %v", err)
	}
	return b.Bytes(), nil
}

// decodeStrict decodes JSON, or YAML when the document does not start with '{',
// into v, refusing unknown fields; the error is invalid and names the field.
func decodeStrict(doc []byte, v any) error {
	doc = bytes.TrimSpace(doc)
	if len(doc) == 0 {
		return errs.Field("document", "is empty")
	}
	if doc[0] != '{' {
		j, err := yamlToJSON(doc)
		if err != nil {
			return errs.Field("document", "is neither JSON nor valid YAML: %v", err)
		}
		doc = j
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typ *json.UnmarshalTypeError
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &typ):
			return errs.Field("/"+strings.ReplaceAll(typ.Field, ".", "/"), "has the wrong type: %s is not allowed here", typ.Value)
		case errors.As(err, &syn):
			return errs.Field("document", "is not valid JSON at byte %d", syn.Offset)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return errs.Field("document", "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return errs.Field("document", "%v", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errs.Field("document", "must hold one value only")
	}
	return nil
}

// yamlToJSON converts a YAML document to JSON, keys as strings.
func yamlToJSON(doc []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	v, err := jsonable(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func jsonable(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			j, err := jsonable(e)
			if err != nil {
				return nil, err
			}
			x[k] = j
		}
		return x, nil
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			j, err := jsonable(e)
			if err != nil {
				return nil, err
			}
			m[fmt.Sprint(k)] = j
		}
		return m, nil
	case []any:
		for i, e := range x {
			j, err := jsonable(e)
			if err != nil {
				return nil, err
			}
			x[i] = j
		}
		return x, nil
	}
	return v, nil
}

// stepIndex maps step ids to their position in t.Steps.
func (t *Template) stepIndex() map[string]int {
	idx := make(map[string]int, len(t.Steps))
	for i, s := range t.Steps {
		if _, dup := idx[s.ID]; !dup {
			idx[s.ID] = i
		}
	}
	return idx
}

// successors lists the step ids that can follow s, in declaration order.
func successors(s *Step) []string {
	var out []string
	add := func(id string) {
		if id != "" {
			out = append(out, id)
		}
	}
	if s.Parallel != nil {
		for _, b := range s.Parallel.Branches {
			add(b)
		}
	}
	add(s.Next)
	if s.Task != nil {
		for _, o := range s.Task.Outcomes {
			add(o.Next)
		}
	}
	if s.Decision != nil {
		for _, c := range s.Decision.Cases {
			add(c.Next)
		}
		add(s.Decision.Default)
	}
	if s.Payment != nil {
		add(s.Payment.OnExpiry)
	}
	if s.Deadline != nil {
		add(s.Deadline.Next)
	}
	return out
}
