package auth

import (
	"strings"

	"github.com/sportello/sportello/errs"
)

// oddValues are the weights of characters in odd positions (1-based) of a codice
// fiscale, indexed by digit value or letter index (0-9 and A-Z share a slot).
var oddValues = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// omocodia lists the letters that replace digits 0-9 when two people would share a code.
const omocodia = "LMNPQRSTUV"

// months are the letters of the birth month, January to December.
const months = "ABCDEHLMPRST"

// CheckChar computes the check character of the first 15 characters of a codice fiscale.
func CheckChar(first15 string) (byte, bool) {
	if len(first15) != 15 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		v, ok := charValue(first15[i])
		if !ok {
			return 0, false
		}
		if i%2 == 0 {
			sum += oddValues[v]
		} else {
			sum += v
		}
	}
	return byte('A' + sum%26), true
}

func charValue(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c - 'A'), true
	}
	return 0, false
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
// (omocodia letters allowed where digits go) and its check character.
func ValidateCodiceFiscale(cf string) error {
	if len(cf) != 16 {
		return cfError("codice fiscale must have 16 characters / il codice fiscale deve avere 16 caratteri")
	}
	for i := 0; i < 16; i++ {
		c := cf[i]
		switch i {
		case 0, 1, 2, 3, 4, 5, 11, 15:
			if c < 'A' || c > 'Z' {
				return cfError("codice fiscale is malformed / codice fiscale non valido")
			}
		case 8:
			if strings.IndexByte(months, c) < 0 {
				return cfError("codice fiscale has no valid month / mese non valido nel codice fiscale")
			}
		default:
			if (c < '0' || c > '9') && strings.IndexByte(omocodia, c) < 0 {
				return cfError("codice fiscale is malformed / codice fiscale non valido")
			}
		}
	}
	want, _ := CheckChar(cf[:15])
	if cf[15] != want {
		return cfError("check character is wrong / carattere di controllo errato")
	}
	return nil
}
