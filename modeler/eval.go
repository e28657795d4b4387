package modeler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// exprCache keeps compiled expressions of a plan. Workflow code is single-threaded
// (coroutines switch only at blocking calls), so a plain map is safe here.
type exprCache map[string]*vm.Program

// exprOptions make expressions deterministic: no clock, so replays agree.
var exprOptions = []expr.Option{expr.DisableBuiltin("now"), expr.DisableBuiltin("date")}

// Eval evaluates an expression over the pratica's data; the environment exposes
// it as `data`, plus `vars` for values the interpreter computed (payments ...).
// Deterministic: safe inside workflow code.
func (p *Plan) Eval(code string, data, vars map[string]any) (any, error) {
	if p.exprs == nil {
		p.exprs = exprCache{}
	}
	prog, ok := p.exprs[code]
	if !ok {
		var err error
		prog, err = expr.Compile(code, exprOptions...)
		if err != nil {
			return nil, fmt.Errorf("expression %q: %w", code, err)
		}
		p.exprs[code] = prog
	}
	if data == nil {
		data = map[string]any{}
	}
	if vars == nil {
		vars = map[string]any{}
	}
	out, err := expr.Run(prog, map[string]any{"data": data, "vars": vars})
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", code, err)
	}
	return out, nil
}

// EvalBool evaluates an expression that must give a boolean.
func (p *Plan) EvalBool(code string, data, vars map[string]any) (bool, error) {
	v, err := p.Eval(code, data, vars)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("expression %q gives %T, not a boolean", code, v)
	}
	return b, nil
}

// EvalCents evaluates an expression that must give a whole number of cents.
func (p *Plan) EvalCents(code string, data, vars map[string]any) (int64, error) {
	v, err := p.Eval(code, data, vars)
	if err != nil {
		return 0, err
	}
	switch n := v.(type) {
	case int:
		return int64(n), nil
	case int64:
		return n, nil
	case float64:
		if n == float64(int64(n)) {
			return int64(n), nil
		}
	}
	return 0, fmt.Errorf("expression %q gives %v, not a whole number of cents", code, v)
}

var placeholder = regexp.MustCompile(`\{\{\s*(.+?)\s*\}\}`)

// RenderText replaces every {{expression}} in tmpl with its value over data and vars.
func (p *Plan) RenderText(tmpl string, data, vars map[string]any) (string, error) {
	return p.render(tmpl, data, vars, nil)
}

// RenderMarkdown is RenderText for a Markdown template (an App IO message):
// each value is escaped, so what a citizen typed (a name such as
// "[Rimborso](https://evil.example)") shows as text and never becomes a link,
// an image or emphasis in the ente's message.
func (p *Plan) RenderMarkdown(tmpl string, data, vars map[string]any) (string, error) {
	return p.render(tmpl, data, vars, EscapeMarkdown)
}

func (p *Plan) render(tmpl string, data, vars map[string]any, escape func(string) string) (string, error) {
	var firstErr error
	out := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		code := strings.TrimSpace(m[2 : len(m)-2])
		v, err := p.Eval(code, data, vars)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return m
		}
		if v == nil {
			return ""
		}
		if escape != nil {
			return escape(fmt.Sprint(v))
		}
		return fmt.Sprint(v)
	})
	return out, firstErr
}

// Placeholders lists the expressions inside the {{ }} of tmpl, for validation.
func Placeholders(tmpl string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	return out
}
