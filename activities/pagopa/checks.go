package pagopa

import (
	"github.com/sportello/sportello/catalog"
)

// The algorithms live in catalog; these wrappers keep the messages pagoPA
// positions report and the order in which they look at a code.

// CheckCodiceFiscale reports what is wrong with a person's codice fiscale
// (16 characters, omocodia allowed, check character), or "" when it is valid.
func CheckCodiceFiscale(cf string) string {
	if len(cf) != 16 {
		return "must be 16 characters"
	}
	// Characters are looked at in order, the month letter (position 9) in its turn.
	pos, _ := catalog.FiscalCodeShapeFault(cf)
	if pos != 0 && pos < 9 {
		return "is not shaped like a codice fiscale"
	}
	if !catalog.IsMonthLetter(cf[8]) {
		return "has no valid month letter"
	}
	if pos != 0 {
		return "is not shaped like a codice fiscale"
	}
	if want, _ := catalog.FiscalCodeCheckChar(cf[:15]); cf[15] != want {
		return "check character is wrong"
	}
	return ""
}

// CheckPartitaIVA reports what is wrong with an 11-digit partita IVA or numeric
// codice fiscale of a legal person (an ente's too), or "" when it is valid.
func CheckPartitaIVA(p string) string {
	if !digits(p, 11) {
		return "must be 11 digits"
	}
	if catalog.CheckLegalFiscalCode(p) != nil {
		return "check digit is wrong"
	}
	return ""
}

// CheckFiscalCode accepts a person's codice fiscale or an 11-digit one.
func CheckFiscalCode(s string) string {
	if len(s) == 11 || (s != "" && s[0] >= '0' && s[0] <= '9') {
		return CheckPartitaIVA(s)
	}
	return CheckCodiceFiscale(s)
}

// CheckIBAN reports what is wrong with an IBAN (country length, mod 97 check),
// or "" when it is valid. An Italian IBAN must also carry its CIN letter.
func CheckIBAN(iban string) string {
	if len(iban) < 15 || len(iban) > 34 {
		return "must be 15 to 34 characters"
	}
	country := iban[:2]
	want, ok := catalog.IBANLength(country)
	if !ok || country == "MT" { // a transfer may not credit Malta, though an ente's treasury may be there
		return "country " + country + " is not a SEPA country we credit"
	}
	if len(iban) != want {
		return "must be " + itoa(want) + " characters for " + country
	}
	if !digits(iban[2:4], 2) {
		return "check digits must be numeric"
	}
	if country == "IT" && (iban[4] < 'A' || iban[4] > 'Z' || !digits(iban[5:15], 10)) {
		return "is not shaped like an Italian IBAN (CIN, ABI, CAB)"
	}
	rem, ok := catalog.IBANMod97(iban)
	if !ok {
		return "must hold only capital letters and digits"
	}
	if rem != 1 {
		return "check digits are wrong"
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
