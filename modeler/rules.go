package modeler

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/sportello/sportello/errs"
)

// Rule is a cross-field check of a form: Expr, over the submitted data, must
// give true; otherwise Message is reported on each of Fields. The expression
// sees `data` (the submission), `applicant` (the codice fiscale of the citizen
// who started the pratica, "" for operators' forms) and `today` (the date in
// Europe/Rome as "YYYY-MM-DD", so it compares with date fields as text).
type Rule struct {
	ID      string   `json:"id"`
	Expr    string   `json:"expr"`
	Fields  []string `json:"fields"`
	Message RuleText `json:"message"`
}

// RuleText is a rule's message in Italian, English and (optionally) Slovenian,
// the languages of the Friuli Venezia Giulia enti.
type RuleText struct {
	IT string `json:"it"`
	EN string `json:"en"`
	SL string `json:"sl,omitempty"`
}

// In returns the text in lang, falling back to Italian.
func (t RuleText) In(lang string) string {
	switch {
	case lang == "en" && t.EN != "":
		return t.EN
	case lang == "sl" && t.SL != "":
		return t.SL
	}
	return t.IT
}

// Facts are what rules know besides the data: who submits and which day it is.
type Facts struct {
	// Applicant is the codice fiscale of the pratica's owner.
	Applicant string
	// Today is the current date in Europe/Rome, "YYYY-MM-DD" ("": the service's clock).
	Today string
	// Sent lists the top-level fields this submission sent (nil: all of them).
	// Date bounds apply to what was sent: an integration weeks later must not
	// be refused because the ceremony date booked then is nearer now.
	Sent []string
}

// sent tells whether the field at pointer p was part of the submission.
func (f Facts) sent(p string) bool {
	if f.Sent == nil {
		return true
	}
	toks := splitPointer(p)
	if len(toks) == 0 {
		return true
	}
	for _, s := range f.Sent {
		if s == toks[0] {
			return true
		}
	}
	return false
}

// ruleEnv is the run-time environment of a rule.
func ruleEnv(data map[string]any, f Facts) map[string]any {
	return map[string]any{"data": data, "applicant": f.Applicant, "today": f.Today}
}

// checkRules reports every rule of f that the data breaks, on each field it
// names. A rule that cannot be evaluated (a field it reads is missing, which the
// schema reports) is skipped: it concerns data the citizen must fix first. So is
// a rule about the applicant when there is none (a designer trying data out):
// a pratica always has its owner.
func checkRules(f *Form, data map[string]any, facts Facts, lang string) []errs.FieldError {
	var out []errs.FieldError
	for _, r := range f.Rules {
		prog, err := ruleProgram(r.Expr)
		if err != nil {
			continue // refused when the form was saved
		}
		if facts.Applicant == "" && usesIdent(r.Expr, "applicant") {
			continue
		}
		ok, err := runRule(prog, data, facts)
		if err != nil || ok {
			continue
		}
		for _, p := range r.Fields {
			out = append(out, errs.FieldError{Field: p, Message: r.Message.In(lang)})
		}
	}
	return out
}

// rulePrograms caches compiled rules by their text: a program is immutable and
// safe to run concurrently, and published forms never change, so the cache only
// grows with the rules designers write.
var rulePrograms sync.Map

func ruleProgram(code string) (*vm.Program, error) {
	if p, ok := rulePrograms.Load(code); ok {
		return p.(*vm.Program), nil
	}
	p, err := expr.Compile(code, exprOptions...)
	if err != nil {
		return nil, err
	}
	rulePrograms.Store(code, p)
	return p, nil
}

func runRule(prog *vm.Program, data map[string]any, facts Facts) (ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			ok, err = false, fmt.Errorf("rule panicked: %v", p)
		}
	}()
	v, err := expr.Run(prog, ruleEnv(data, facts))
	if err != nil {
		return false, err
	}
	b, isBool := v.(bool)
	if !isBool {
		return false, fmt.Errorf("rule gives %T, not a boolean", v)
	}
	return b, nil
}

// checkFormRules checks the rules and date bounds of a form being saved: each
// expression compiles to a boolean over the form's typed data, each field it
// names exists, each message has its Italian and English text.
func checkFormRules(ctx context.Context, f *Form, concepts ConceptSource, ps *problems) {
	var schema map[string]any
	_ = json.Unmarshal(f.Schema, &schema)
	fields := map[string]bool{}
	flattenFields(schema, "", false, fields, nil)
	defs, _ := schema["$defs"].(map[string]any)
	resolve := func(ref string) map[string]any {
		if strings.HasPrefix(ref, "#/$defs/") {
			d, _ := defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
			return d
		}
		if concepts == nil {
			return nil
		}
		b, err := concepts.Concept(ctx, ref)
		if err != nil {
			return nil
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
	env := exprEnv(envType(schema, resolve, 0))
	delete(env, "vars")
	env["applicant"], env["today"] = "", ""
	ids := map[string]bool{}
	for i, r := range f.Rules {
		at := fmt.Sprintf("/rules/%d", i)
		if r.ID == "" || ids[r.ID] {
			ps.add(at+"/id", "is required and must be unique among the rules / obbligatorio e unico tra le regole")
		}
		ids[r.ID] = true
		if strings.TrimSpace(r.Expr) == "" {
			ps.add(at+"/expr", "is required / obbligatoria")
		} else if err := checkExpr(r.Expr, env, "bool"); err != nil {
			ps.add(at+"/expr", "%v", err)
		} else if err := orderedOnly(r.Expr); err != nil {
			ps.add(at+"/expr", "%v", err)
		}
		if len(r.Fields) == 0 {
			ps.add(at+"/fields", "must name at least one field / indicare almeno un campo")
		}
		for j, p := range r.Fields {
			if !fields[p] {
				ps.add(fmt.Sprintf("%s/fields/%d", at, j), "%q is not a field of the form / non è un campo del modulo", p)
			}
		}
		if r.Message.IT == "" || r.Message.EN == "" {
			ps.add(at+"/message", "needs the Italian and English text / servono il testo italiano e inglese")
		}
	}
	checkDateBounds(f, schema, fields, resolve, ps)
}

// dateField tells whether the field at pointer p is a string of format date.
func dateField(schema map[string]any, p string, resolve SchemaResolver) bool {
	s := schema
	for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		for depth := 0; s != nil && depth < 10; depth++ {
			ref, ok := s["$ref"].(string)
			if !ok {
				break
			}
			s = resolve(ref)
		}
		props := properties(s)
		s = props[tok]
	}
	for depth := 0; s != nil && depth < 10; depth++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			break
		}
		s = resolve(ref)
	}
	return s != nil && s["format"] == "date"
}

// usesIdent tells whether code reads the variable name.
func usesIdent(code, name string) bool {
	tree, err := parser.Parse(code)
	if err != nil {
		return false
	}
	v := &identFinder{name: name}
	ast.Walk(&tree.Node, v)
	return v.found
}

type identFinder struct {
	name  string
	found bool
}

// Visit records whether the identifier is read.
func (f *identFinder) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok && id.Value == f.name {
		f.found = true
	}
}
