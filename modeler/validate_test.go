package modeler

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

func TestCheckFindsEveryProblem(t *testing.T) {
	base := string(demoDoc(t, "templates/richiesta-generica.json"))
	c := &Checker{Refs: DefaultRefs(), Forms: demoForms(t)}
	tests := []templateEdit{
		{"unknown next", `"next": "ricevuta"`, `"next": "nowhere"`, []errs.FieldError{
			{Field: "/steps/0/next", Message: `step "nowhere" does not exist`},
			{Field: "/steps/0", Message: `no path from step "richiesta" reaches an end step`},
			{Field: "/steps/1", Message: `step "presa-visione" is unreachable from the start`},
			{Field: "/steps/2", Message: `step "chiusa" is unreachable from the start`},
			{Field: "/steps/3", Message: `step "ricevuta" is unreachable from the start`},
		}},
		{"unknown role", `"role": "operator"`, `"role": "astronaut"`, []errs.FieldError{
			{Field: "/steps/1/task/role", Message: `role "astronaut" is unknown`},
		}},
		{"missing form", `"version": 1}`, `"version": 9}`, []errs.FieldError{
			{Field: "/steps/0/form/formId", Message: "form richiesta-generica@9 does not exist"},
		}},
		{"bad outcome", `"outcome": "completed"`, `"outcome": "maybe"`, []errs.FieldError{
			{Field: "/steps/2/end/outcome", Message: "must be one of accepted, rejected, withdrawn, completed, expired, silenzio-assenso"},
		}},
		{"no end reachable", `"next": "chiusa"`, `"next": "presa-visione"`, []errs.FieldError{
			{Field: "/steps/0", Message: `no path from step "richiesta" reaches an end step`},
			{Field: "/steps/1", Message: `no path from step "presa-visione" reaches an end step`},
			{Field: "/steps/2", Message: `step "chiusa" is unreachable from the start`},
			{Field: "/steps/3", Message: `no path from step "ricevuta" reaches an end step`},
		}},
	}
	checkEdits(t, c, base, tests)
}

func TestCheckExpressionsAndTexts(t *testing.T) {
	base := string(demoDoc(t, "templates/mensa.json"))
	c := &Checker{Refs: DefaultRefs(), Forms: demoForms(t)}
	tests := []templateEdit{
		{"unknown field", `"when": "data.esenzione"`, `"when": "data.esonero"`, []errs.FieldError{
			{Field: "/steps/1/decision/cases/0/when", Message: "expression does not type-check: the form has no field esonero (1:6)"},
		}},
		{"not boolean", `"when": "data.esenzione"`, `"when": "data.pasti"`, []errs.FieldError{
			{Field: "/steps/1/decision/cases/0/when", Message: "expression does not type-check: expected bool, but got int"},
		}},
		{"amount not cents", `"amountExpr": "data.pasti * ${costoPasto}"`, `"amountExpr": "data.pasti * 4.5"`, []errs.FieldError{
			{Field: "/steps/3/payment/amountExpr", Message: "expression does not type-check: gives float64, not a whole number of cents"},
		}},
		{"no default", `, "default": "retta"`, ``, []errs.FieldError{
			{Field: "/steps/1/decision/default", Message: "is required: the cases do not cover every value"},
		}},
	}
	checkEdits(t, c, base, tests)
}

func TestAppIOTextLimits(t *testing.T) {
	doc := strings.Replace(string(demoDoc(t, "templates/cie-scadenza.json")),
		`"subject": {"it": "La tua carta d'identità sta per scadere"`, `"subject": {"it": "Scade"`, 1)
	tpl, err := ParseTemplate([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := (&Checker{Refs: DefaultRefs(), Forms: demoForms(t)}).Check(context.Background(), tpl)
	want := []errs.FieldError{{Field: "/steps/2/notify/subject/it", Message: "must be 10 to 120 characters, it has 5"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func asErr(err error) (*errs.Error, bool) {
	e, ok := errs.As(err)
	return e, ok && e.Code == errs.Invalid
}

// templateEdit is one change to a demo template and the problems the checker
// must then name.
type templateEdit struct {
	name     string
	from, to string
	want     []errs.FieldError
}

// checkEdits applies each edit to base and compares what c finds.
func checkEdits(t *testing.T, c *Checker, base string, edits []templateEdit) {
	t.Helper()
	for _, tt := range edits {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(base, tt.from, tt.to, 1)
			if doc == base {
				t.Fatal("replacement did not apply")
			}
			tpl, err := ParseTemplate([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.Check(context.Background(), tpl)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
