package modeler

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

// Diff lists what changed between two versions of a template and flags the
// changes that break callers: a field removed, a field newly required, a step
// removed or changing type.
type Diff struct {
	From           string   `json:"from"`
	To             string   `json:"to"`
	FieldsAdded    []string `json:"fieldsAdded"`
	FieldsRemoved  []string `json:"fieldsRemoved"`
	FieldsRequired []string `json:"fieldsRequired"`
	StepsAdded     []string `json:"stepsAdded"`
	StepsRemoved   []string `json:"stepsRemoved"`
	StepsChanged   []string `json:"stepsChanged"`
	Breaking       bool     `json:"breaking"`
	// Reasons say why the diff is breaking, one line each.
	Reasons []string `json:"reasons"`
	// Texts are the titles and texts that changed (never breaking).
	Texts []TextChange `json:"texts"`
}

// flattenFields records every property of schema as a JSON pointer; required
// ones also go into req when it is not nil.
func flattenFields(schema map[string]any, prefix string, _ bool, out map[string]bool, req map[string]bool) {
	if schema == nil {
		return
	}
	defs, _ := schema["$defs"].(map[string]any)
	var walk func(s map[string]any, prefix string, depth int)
	walk = func(s map[string]any, prefix string, depth int) {
		if s == nil || depth > 10 {
			return
		}
		if ref, ok := s["$ref"].(string); ok && len(ref) > 8 && ref[:8] == "#/$defs/" {
			d, _ := defs[ref[8:]].(map[string]any)
			walk(d, prefix, depth+1)
		}
		required := map[string]bool{}
		if r, ok := s["required"].([]any); ok {
			for _, n := range r {
				required[fmt.Sprint(n)] = true
			}
		}
		for name, v := range properties(s) {
			p := prefix + "/" + name
			out[p] = true
			if req != nil && required[name] {
				req[p] = true
			}
			walk(v, p, depth+1)
		}
	}
	walk(schema, prefix, 0)
}

// DiffTemplates compares two resolved templates and the schemas of the forms
// each uses (by FormRef.Key()).
func DiffTemplates(from, to *Template, fromForms, toForms []json.RawMessage) Diff {
	d := Diff{From: from.ID, To: to.ID, FieldsAdded: []string{}, FieldsRemoved: []string{}, FieldsRequired: []string{},
		StepsAdded: []string{}, StepsRemoved: []string{}, StepsChanged: []string{}, Reasons: []string{}}
	fa, ra := formFields(fromForms)
	fb, rb := formFields(toForms)
	for _, f := range sortedKeys(fb) {
		if !fa[f] {
			d.FieldsAdded = append(d.FieldsAdded, f)
		}
		if rb[f] && !ra[f] {
			d.FieldsRequired = append(d.FieldsRequired, f)
			d.Reasons = append(d.Reasons, fmt.Sprintf("field %s is now required: earlier submissions may not validate", f))
		}
	}
	for _, f := range sortedKeys(fa) {
		if !fb[f] {
			d.FieldsRemoved = append(d.FieldsRemoved, f)
			d.Reasons = append(d.Reasons, fmt.Sprintf("field %s was removed: expressions and clients using it break", f))
		}
	}
	sa, sb := stepsByID(from), stepsByID(to)
	for _, id := range sortedKeys(sb) {
		a, ok := sa[id]
		switch {
		case !ok:
			d.StepsAdded = append(d.StepsAdded, id)
		case a.Type != sb[id].Type:
			d.StepsChanged = append(d.StepsChanged, id)
			d.Reasons = append(d.Reasons, fmt.Sprintf("step %s changed type from %s to %s", id, a.Type, sb[id].Type))
		case !reflect.DeepEqual(a, sb[id]):
			d.StepsChanged = append(d.StepsChanged, id)
		}
	}
	for _, id := range sortedKeys(sa) {
		if _, ok := sb[id]; !ok {
			d.StepsRemoved = append(d.StepsRemoved, id)
			d.Reasons = append(d.Reasons, fmt.Sprintf("step %s was removed", id))
		}
	}
	sort.Strings(d.Reasons)
	d.Texts = diffTexts(from, to)
	d.Breaking = len(d.Reasons) > 0
	return d
}

func formFields(schemas []json.RawMessage) (fields, required map[string]bool) {
	fields, required = map[string]bool{}, map[string]bool{}
	for _, s := range schemas {
		var m map[string]any
		if json.Unmarshal(s, &m) == nil {
			flattenFields(m, "", false, fields, required)
		}
	}
	return fields, required
}

func stepsByID(t *Template) map[string]Step {
	out := make(map[string]Step, len(t.Steps))
	for _, s := range t.Steps {
		out[s.ID] = s.Step
	}
	return out
}
