package modeler

import (
	"testing"

	"github.com/sportello/sportello/errs"
)

// TestRandomOrderBuiltinsAreRefused: keys() and values() give a map's items in
// random order, so a template using them is refused, naming the step field.
func TestRandomOrderBuiltinsAreRefused(t *testing.T) {
	base := string(demoDoc(t, "templates/mensa.json"))
	c := &Checker{Refs: DefaultRefs(), Forms: demoForms(t)}
	msg := func(name string) string {
		return name + "() gives its items in random order, so it is not allowed / " + name + "() restituisce gli elementi in ordine casuale: non consentita"
	}
	tests := []templateEdit{
		{"values in a decision", `"when": "data.esenzione"`, `"when": "values(data)[0] == true"`, []errs.FieldError{
			{Field: "/steps/1/decision/cases/0/when", Message: msg("values")},
		}},
		{"keys in an amount", `"amountExpr": "data.pasti * ${costoPasto}"`, `"amountExpr": "len(keys(data)) * 100"`, []errs.FieldError{
			{Field: "/steps/3/payment/amountExpr", Message: msg("keys")},
		}},
	}
	checkEdits(t, c, base, tests)
}
