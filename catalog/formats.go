package catalog

import (
	"errors"
	"regexp"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/errs"
)

// Formats are the JSON Schema formats the concepts use beyond the standard
// ones: "codice-fiscale" (CheckFiscalCode), "iban" (CheckIBAN) and
// "attachment" (CheckAttachmentID: a file field, whose value is the id of an
// uploaded file). A form compiler registers them to check values the way the catalog does.
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
		{Name: "attachment", Validate: check(CheckAttachmentID)},
	}
}

// attachmentID is the shape of an attachment id (a UUID).
var attachmentID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// CheckAttachmentID checks the value of a file field: the id POST /api/attachments answered.
func CheckAttachmentID(s string) error {
	if !attachmentID.MatchString(s) {
		return errors.New("is not an attachment id: upload the file first / non è un allegato caricato: caricare prima il file")
	}
	return nil
}
