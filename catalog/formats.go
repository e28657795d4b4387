package catalog

import (
	"errors"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/errs"
)

// Formats are the JSON Schema formats the concepts use beyond the standard
// ones: "codice-fiscale" (CheckFiscalCode) and "iban" (CheckIBAN). A form
// compiler registers them to check values the way the catalog does.
func Formats() []*jsonschema.Format {
	check := func(f func(string) error) func(v any) error {
		return func(v any) error {
			s, ok := v.(string)
			if !ok {
				return nil // format applies to strings only
			}
			if err := f(s); err != nil {
				if e, ok := errs.As(err); ok {
					return errors.New(e.Message)
				}
				return err
			}
			return nil
		}
	}
	return []*jsonschema.Format{
		{Name: "codice-fiscale", Validate: check(CheckFiscalCode)},
		{Name: "iban", Validate: check(CheckIBAN)},
	}
}
