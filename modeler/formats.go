package modeler

import (
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/catalog"
)

// Custom JSON Schema formats of Italian public administration data.
const (
	FormatCodiceFiscale = "codice-fiscale"
	FormatIBAN          = "iban"
)

var customFormats = []*jsonschema.Format{
	{Name: FormatCodiceFiscale, Validate: onString(CheckCodiceFiscale)},
	{Name: FormatIBAN, Validate: onString(CheckIBAN)},
	{Name: FormatAttachment, Validate: onString(checkAttachmentID)},
}

// onString applies check to strings only: formats ignore other types, as the spec says.
func onString(check func(string) error) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		return check(s)
	}
}

// CheckCodiceFiscale checks a person's 16-character codice fiscale, omocodia
// included, and its check character; an 11-digit one (companies) by its Luhn-like digit.
// The algorithms are catalog's; forms accept lower case and do not check the month letter.
func CheckCodiceFiscale(cf string) error {
	cf = strings.ToUpper(cf)
	if len(cf) == 11 {
		return checkPartitaIVA(cf)
	}
	if len(cf) != 16 {
		return errors.New("must be 16 characters")
	}
	if pos, letter := catalog.FiscalCodeShapeFault(cf); pos != 0 {
		if letter {
			return fmt.Errorf("a letter is expected at position %d", pos)
		}
		return errors.New("a digit is expected")
	}
	if want, _ := catalog.FiscalCodeCheckChar(cf[:15]); cf[15] != want {
		return errors.New("check character is wrong")
	}
	return nil
}

func checkPartitaIVA(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return errors.New("must be 11 digits")
		}
	}
	if catalog.CheckLegalFiscalCode(s) != nil {
		return errors.New("check digit is wrong")
	}
	return nil
}

// CheckIBAN checks an IBAN's shape and its mod-97 check digits; Italian IBANs must be 27 characters.
// Unlike catalog.CheckIBAN it accepts any country and spaces or lower case.
func CheckIBAN(iban string) error {
	s := strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return errors.New("wrong length")
	}
	if strings.HasPrefix(s, "IT") && len(s) != 27 {
		return errors.New("an Italian IBAN has 27 characters")
	}
	rem, ok := catalog.IBANMod97(s)
	if !ok {
		return errors.New("only letters and digits are allowed")
	}
	if rem != 1 {
		return errors.New("check digits are wrong")
	}
	return nil
}
