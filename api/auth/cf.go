package auth

import (
	"strings"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// CheckChar computes the check character of the first 15 characters of a codice fiscale.
func CheckChar(first15 string) (byte, bool) {
	return catalog.FiscalCodeCheckChar(first15)
}

// NormalizeFiscalNumber turns the fiscalNumber claim of SPID and CIE ("TINIT-" +
// codice fiscale) or a bare codice fiscale into the upper-case code, and checks its
// shape and check character. field names the input in the error.
func NormalizeFiscalNumber(field, s string) (string, error) {
	cf := strings.ToUpper(strings.TrimSpace(s))
	cf = strings.TrimPrefix(cf, "TINIT-")
	if err := ValidateCodiceFiscale(cf); err != nil {
		return "", errs.Field(field, "%s", err.Error())
	}
	return cf, nil
}

// cfError is a plain message, wrapped by callers with their field name.
type cfError string

func (e cfError) Error() string { return string(e) }

// ValidateCodiceFiscale checks a 16-character personal codice fiscale: its layout
// (omocodia letters allowed where digits go) and its check character. The checks
// are catalog's; the bilingual messages are the login page's.
func ValidateCodiceFiscale(cf string) error {
	if len(cf) != 16 {
		return cfError("codice fiscale must have 16 characters / il codice fiscale deve avere 16 caratteri")
	}
	// Characters are looked at in order, the month letter (position 9) in its turn.
	pos, _ := catalog.FiscalCodeShapeFault(cf)
	if pos != 0 && pos < 9 {
		return cfError("codice fiscale is malformed / codice fiscale non valido")
	}
	if !catalog.IsMonthLetter(cf[8]) {
		return cfError("codice fiscale has no valid month / mese non valido nel codice fiscale")
	}
	if pos != 0 {
		return cfError("codice fiscale is malformed / codice fiscale non valido")
	}
	if want, _ := catalog.FiscalCodeCheckChar(cf[:15]); cf[15] != want {
		return cfError("check character is wrong / carattere di controllo errato")
	}
	return nil
}
