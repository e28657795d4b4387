package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/sportello/sportello/errs"
)

// Intermediary is a further pagoPA intermediary of an ente (multi-
// intermediazione): positions issued through it carry its segregation code,
// so its receipts and FdR lines are told apart, and it is called with its own
// credentials. KeyRef names the secret, never the secret itself: the key lives
// in the environment as SPORTELLO_PAGOPA_KEY_<KEYREF in capitals, / . - as _>,
// and the intermediary's GPD address in SPORTELLO_PAGOPA_URL_<ID the same way>.
type Intermediary struct {
	ID              string `json:"id"` // e.g. concessionario
	Name            string `json:"name"`
	FiscalCode      string `json:"fiscalCode,omitempty"`
	SegregationCode string `json:"segregationCode"`
	KeyRef          string `json:"keyRef,omitempty"`
}

var intermediaryIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,31}$`)

// checkIntermediaries names every problem of the ente's further intermediaries.
func (e *Ente) checkIntermediaries() []errs.FieldError {
	var fe []errs.FieldError
	ids, codes := map[string]bool{}, map[string]bool{}
	if e.AuxDigit == "3" {
		codes[e.SegregationCode] = true
	}
	for i, im := range e.Intermediaries {
		f := fmt.Sprintf("intermediaries[%d]", i)
		if !intermediaryIDRE.MatchString(im.ID) || ids[im.ID] {
			fe = append(fe, errs.FieldError{Field: f + ".id", Message: "must be 2 to 32 lower-case letters, digits, _ or -, and unique"})
		}
		ids[im.ID] = true
		if strings.TrimSpace(im.Name) == "" {
			fe = append(fe, errs.FieldError{Field: f + ".name", Message: "is required"})
		}
		if !twoDigits.MatchString(im.SegregationCode) {
			fe = append(fe, errs.FieldError{Field: f + ".segregationCode", Message: "must be two digits"})
		} else if codes[im.SegregationCode] {
			fe = append(fe, errs.FieldError{Field: f + ".segregationCode", Message: "is already the ente's or another intermediary's: IUVs would collide"})
		}
		codes[im.SegregationCode] = true
		if im.FiscalCode != "" {
			if x := fieldErr(f+".fiscalCode", CheckLegalFiscalCode(im.FiscalCode)); x != nil {
				fe = append(fe, *x)
			}
		}
		if strings.ContainsAny(im.KeyRef, " \t\n") || len(im.KeyRef) > 100 {
			fe = append(fe, errs.FieldError{Field: f + ".keyRef", Message: "must name a secret (no spaces, at most 100 characters), never hold it"})
		}
	}
	return fe
}

// IntermediaryByID returns the ente's further intermediary with id.
func (e *Ente) IntermediaryByID(id string) (Intermediary, bool) {
	for _, im := range e.Intermediaries {
		if im.ID == id {
			return im, true
		}
	}
	return Intermediary{}, false
}

func encodeIntermediaries(list []Intermediary) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(list)
	return string(b)
}

func decodeIntermediaries(s string, e *Ente) error {
	if s == "" || s == "[]" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), &e.Intermediaries); err != nil {
		return fmt.Errorf("decode intermediaries of %s: %w", e.ID, err)
	}
	return nil
}

// Scheme is how positions issued through intermediary id shape their IUVs:
// the aux digit and its code (application or segregation); "" is the ente's
// own scheme. An id the ente does not have is refused naming field.
func (e *Ente) Scheme(id, field string) (auxDigit, segregationCode, applicationCode string, err error) {
	if id == "" {
		return e.AuxDigit, e.SegregationCode, e.ApplicationCode, nil
	}
	im, ok := e.IntermediaryByID(id)
	if !ok {
		return "", "", "", errs.Field(field, "%s is not an intermediary of %s / non è un intermediario dell'ente", id, e.ID)
	}
	return "3", im.SegregationCode, "", nil
}
