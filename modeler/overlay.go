package modeler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// Parameter types a regional template may declare.
const (
	ParamCents    = "cents"    // int64 euro cents, within Min..Max
	ParamIBAN     = "iban"     // an IBAN
	ParamTaxonomy = "taxonomy" // a pagoPA taxonomy code 9/TTMMSSSGG/
	ParamDays     = "days"     // whole days, within Min..Max
	ParamOffice   = "office"   // an office of the ente
	ParamText     = "text"     // a Text {it, en}, at most MaxLen characters
	ParamBool     = "bool"     // true/false; switches optional steps
	ParamFields   = "fields"   // extra form fields: {"name": JSON Schema} added to Form
)

// Param is a parameter a regional template declares for ente overlays. Every
// parameter has a default, so the regional template is itself runnable.
type Param struct {
	Name    string          `json:"name"`
	Type    string          `json:"type"`
	Label   Text            `json:"label"`
	Default json.RawMessage `json:"default"`
	Min     *int64          `json:"min,omitempty"`
	Max     *int64          `json:"max,omitempty"`
	MaxLen  int             `json:"maxLen,omitempty"`
	// Form is the form id extra fields are added to (type fields only).
	Form string `json:"form,omitempty"`
}

// Overlay is an ente's customisation of a regional template: values for declared parameters only.
type Overlay struct {
	Ente        string                     `json:"ente"`
	Template    string                     `json:"template"`
	BaseVersion int                        `json:"baseVersion"`
	Values      map[string]json.RawMessage `json:"values"`
}

// ResolvedID is the template id of an ente's resolved overlay, e.g. "c_l424.matrimonio".
func ResolvedID(ente, template string) string { return ente + "." + template }

// FormExtension is extra fields an overlay adds to one form.
type FormExtension struct {
	Form string `json:"form"`
	// Param is the parameter that declares the fields, to name it in problems.
	Param      string                     `json:"param,omitempty"`
	Properties map[string]json.RawMessage `json:"properties"`
}

var taxonomyCode = regexp.MustCompile(`^9/\d{7}[A-Z]{2}/$`)
var paramName = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_]*$`)

// checkParamValue checks v against p's type and limits; the messages name no path.
func checkParamValue(p Param, v json.RawMessage) error {
	if err := checkClean(v); err != nil {
		return err
	}
	dec := func(dst any) error {
		d := json.NewDecoder(bytes.NewReader(v))
		d.DisallowUnknownFields()
		if err := d.Decode(dst); err != nil {
			return fmt.Errorf("must be a %s value", p.Type)
		}
		return nil
	}
	inRange := func(n int64) error {
		if p.Min != nil && n < *p.Min {
			return fmt.Errorf("must be at least %d", *p.Min)
		}
		if p.Max != nil && n > *p.Max {
			return fmt.Errorf("must be at most %d", *p.Max)
		}
		return nil
	}
	switch p.Type {
	case ParamCents, ParamDays:
		var n int64
		if err := dec(&n); err != nil {
			return fmt.Errorf("must be a whole number (%s)", p.Type)
		}
		if p.Type == ParamDays && n < 0 {
			return fmt.Errorf("must not be negative")
		}
		return inRange(n)
	case ParamIBAN:
		var s string
		if err := dec(&s); err != nil {
			return err
		}
		return CheckIBAN(s)
	case ParamTaxonomy:
		var s string
		if err := dec(&s); err != nil {
			return err
		}
		if !taxonomyCode.MatchString(s) {
			return fmt.Errorf("must be a taxonomy code like 9/0104102TS/")
		}
	case ParamOffice:
		var s string
		if err := dec(&s); err != nil || s == "" {
			return fmt.Errorf("must be an office id")
		}
		if catalog.CheckUnitCode("", s) != nil {
			return fmt.Errorf("must be an office code: 1-64 letters, digits, '.', '_' or '-' / deve essere il codice di un ufficio")
		}
	case ParamText:
		var t Text
		if err := dec(&t); err != nil || t.IT == "" {
			return fmt.Errorf("must be a text {\"it\": ..., \"en\": ...} with Italian")
		}
		limit := p.MaxLen
		if limit <= 0 {
			limit = defaultTextLen
		}
		if len([]rune(t.IT)) > limit || len([]rune(t.EN)) > limit || len([]rune(t.SL)) > limit {
			return fmt.Errorf("must be at most %d characters", limit)
		}
	case ParamBool:
		var b bool
		return dec(&b)
	case ParamFields:
		var m map[string]json.RawMessage
		if err := dec(&m); err != nil {
			return err
		}
		for name, s := range m {
			var obj map[string]any
			if !paramName.MatchString(name) || json.Unmarshal(s, &obj) != nil {
				return fmt.Errorf("field %q must have a simple name and a JSON Schema object", name)
			}
		}
	default:
		return fmt.Errorf("unknown parameter type %q", p.Type)
	}
	return nil
}

// Resolve applies an overlay to a regional template document: parameter values
// replace "${name}" strings (a whole-string reference takes the value's JSON
// type, so "amountCents": "${fee}" becomes a number), switched-off optional steps
// are dropped, and with an overlay the result is an ente template with id
// ResolvedID(ente, id). A nil overlay resolves the defaults. Every bad value is
// reported at once, under "/values/<name>".
func Resolve(doc []byte, version int, o *Overlay) (*Template, []FormExtension, error) {
	tree, params, err := parseTree(doc)
	if err != nil {
		return nil, nil, err
	}
	values := map[string]json.RawMessage{}
	var problems []errs.FieldError
	declared := map[string]Param{}
	for i, p := range params {
		if !paramName.MatchString(p.Name) {
			problems = append(problems, errs.FieldError{Field: fmt.Sprintf("/params/%d/name", i), Message: "must be a simple name"})
		}
		if err := checkParamValue(p, p.Default); err != nil {
			problems = append(problems, errs.FieldError{Field: fmt.Sprintf("/params/%d/default", i), Message: err.Error()})
		}
		declared[p.Name] = p
		values[p.Name] = p.Default
	}
	if o != nil {
		for _, name := range sortedKeys(o.Values) {
			p, ok := declared[name]
			if !ok {
				problems = append(problems, errs.FieldError{Field: "/values/" + name, Message: "is not a parameter of this template"})
				continue
			}
			if err := checkParamValue(p, o.Values[name]); err != nil {
				problems = append(problems, errs.FieldError{Field: "/values/" + name, Message: err.Error()})
				continue
			}
			values[name] = o.Values[name]
		}
	}
	if len(problems) > 0 {
		return nil, nil, errs.Fields(problems)
	}
	delete(tree, "params")
	walked := walkReplace(tree, "", values, &problems)
	if len(problems) > 0 {
		return nil, nil, errs.Fields(problems)
	}
	raw, err := json.Marshal(walked)
	if err != nil {
		return nil, nil, err
	}
	var out Template
	if err := decodeStrict(raw, &out); err != nil {
		return nil, nil, err
	}
	var exts []FormExtension
	for _, p := range params {
		switch p.Type {
		case ParamBool:
			var on bool
			_ = json.Unmarshal(values[p.Name], &on)
			if !on {
				dropOptional(&out, p.Name)
			}
		case ParamFields:
			var m map[string]json.RawMessage
			_ = json.Unmarshal(values[p.Name], &m)
			if len(m) > 0 {
				exts = append(exts, FormExtension{Form: p.Form, Param: p.Name, Properties: m})
			}
		}
	}
	for i := range out.Steps {
		out.Steps[i].Optional = ""
	}
	if o != nil {
		out.ID, out.Ente = ResolvedID(o.Ente, out.ID), o.Ente
		out.Base = fmt.Sprintf("%s@%d", out.ID[len(o.Ente)+1:], version)
	} else {
		out.Params = params
	}
	return &out, exts, nil
}

// parseTree reads a template document (JSON or YAML) as a generic tree and its parameters.
func parseTree(doc []byte) (map[string]any, []Param, error) {
	raw, err := ToJSON(doc)
	if err != nil {
		return nil, nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, nil, errs.Field("document", "must be a JSON object")
	}
	var head struct {
		Params []Param `json:"params"`
	}
	if p, ok := tree["params"]; ok {
		b, _ := json.Marshal(map[string]any{"params": p})
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&head); err != nil {
			return nil, nil, errs.Field("/params", "%v", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	return tree, head.Params, nil
}

var placeholderParam = regexp.MustCompile(`\$\{([a-zA-Z][a-zA-Z0-9_]*)\}`)

func walkReplace(v any, path string, values map[string]json.RawMessage, problems *[]errs.FieldError) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = walkReplace(e, path+"/"+k, values, problems)
		}
	case []any:
		for i, e := range x {
			x[i] = walkReplace(e, fmt.Sprintf("%s/%d", path, i), values, problems)
		}
	case string:
		if m := placeholderParam.FindStringSubmatch(x); m != nil && m[0] == x {
			raw, ok := values[m[1]]
			if !ok {
				*problems = append(*problems, errs.FieldError{Field: path, Message: "refers to undeclared parameter " + m[1]})
				return x
			}
			var val any
			_ = json.Unmarshal(raw, &val)
			return val
		}
		return placeholderParam.ReplaceAllStringFunc(x, func(s string) string {
			name := s[2 : len(s)-1]
			raw, ok := values[name]
			if !ok {
				*problems = append(*problems, errs.FieldError{Field: path, Message: "refers to undeclared parameter " + name})
				return s
			}
			var val any
			_ = json.Unmarshal(raw, &val)
			switch val.(type) {
			case map[string]any, []any:
				*problems = append(*problems, errs.FieldError{Field: path, Message: "cannot embed parameter " + name + " inside a text"})
				return s
			}
			return strings.TrimSpace(fmt.Sprint(val))
		})
	}
	return v
}

// dropOptional removes the steps switched off by param and rewires their predecessors.
func dropOptional(t *Template, param string) {
	skip := map[string]string{}
	for _, s := range t.Steps {
		if s.Optional == param {
			skip[s.ID] = s.Next
		}
	}
	if len(skip) == 0 {
		return
	}
	target := func(id string) string {
		for n := 0; n < len(skip)+1; n++ {
			next, ok := skip[id]
			if !ok {
				return id
			}
			id = next
		}
		return id
	}
	kept := t.Steps[:0]
	for _, s := range t.Steps {
		if _, drop := skip[s.ID]; drop {
			continue
		}
		rewire(&s.Step, target)
		kept = append(kept, s)
	}
	t.Steps = kept
	t.Start = target(t.Start)
}

// rewire maps every successor id of s through f.
func rewire(s *Step, f func(string) string) {
	if s.Next != "" {
		s.Next = f(s.Next)
	}
	if s.Task != nil {
		for i := range s.Task.Outcomes {
			s.Task.Outcomes[i].Next = f(s.Task.Outcomes[i].Next)
		}
	}
	if s.Decision != nil {
		for i := range s.Decision.Cases {
			s.Decision.Cases[i].Next = f(s.Decision.Cases[i].Next)
		}
		if s.Decision.Default != "" {
			s.Decision.Default = f(s.Decision.Default)
		}
	}
	if s.Parallel != nil {
		for i := range s.Parallel.Branches {
			s.Parallel.Branches[i] = f(s.Parallel.Branches[i])
		}
	}
	if s.Payment != nil && s.Payment.OnExpiry != "" {
		s.Payment.OnExpiry = f(s.Payment.OnExpiry)
	}
	if s.Deadline != nil && s.Deadline.Next != "" {
		s.Deadline.Next = f(s.Deadline.Next)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
