package modeler

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/errs"
)

// TestCheckEmailRecipient: an email step names its recipient from the data; an
// App IO step takes none.
func TestCheckEmailRecipient(t *testing.T) {
	base := string(demoDoc(t, "templates/richiesta-generica.json"))
	c := &Checker{Refs: DefaultRefs(), Forms: demoForms(t)}
	tests := []templateEdit{
		{"demo is valid", `"to": "{{data.email}}"`, `"to": "{{data.email}}" `, nil},
		{"no recipient", `"to": "{{data.email}}"`, `"to": ""`, []errs.FieldError{
			{Field: "/steps/3/notify/to", Message: "is required for the email channel: the recipient's address from the data, e.g. {{data.email}}"},
		}},
		{"fixed text is not a recipient from the data", `"to": "{{data.email}}"`, `"to": "ufficio@comune.trieste.it"`, []errs.FieldError{
			{Field: "/steps/3/notify/to", Message: "is required for the email channel: the recipient's address from the data, e.g. {{data.email}}"},
		}},
	}
	checkEdits(t, c, base, tests)
	t.Run("app io takes no recipient", func(t *testing.T) {
		doc := strings.Replace(base, `"channel": "email"`, `"channel": "appio"`, 1)
		tpl, err := ParseTemplate([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range c.Check(context.Background(), tpl) {
			found = found || p.Field == "/steps/3/notify/to"
		}
		if !found {
			t.Error("an appio step with a recipient passed the check")
		}
	})
}
