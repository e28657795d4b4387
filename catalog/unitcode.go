package catalog

import (
	"regexp"

	"github.com/sportello/sportello/errs"
)

// unitCodeRE is the syntax of an organisation unit's code: what personnel
// systems export (letters, digits, '.', '_', '-'), at most 64 characters, so a
// code is safe in a path, a log line and a CSV cell.
var unitCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CheckUnitCode refuses a unit code that does not follow the syntax, naming field.
func CheckUnitCode(field, code string) error {
	if !unitCodeRE.MatchString(code) {
		return errs.Field(field, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit / "+
			"deve avere da 1 a 64 lettere, cifre, '.', '_' o '-', iniziando con una lettera o una cifra")
	}
	return nil
}

// CheckEnteCode refuses an ente code (its IPA code, e.g. c_l424) that does not
// follow the syntax every stored ente has, naming field.
func CheckEnteCode(field, code string) error {
	if !ipaRE.MatchString(code) {
		return errs.Field(field, "must be an ente's IPA code: 2-20 lower-case letters, digits and underscores / "+
			"deve essere il codice IPA di un ente: da 2 a 20 lettere minuscole, cifre e trattini bassi")
	}
	return nil
}
