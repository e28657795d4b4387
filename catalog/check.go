package catalog

import (
	"math/big"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sportello/sportello/errs"
)

// oddWeights are the values of a character in an odd (1-based) position of a
// personal codice fiscale, indexed by digit value or letter index.
var oddWeights = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// FiscalCodeCheckChar computes the check character of the first 15 characters of
// a personal codice fiscale (D.M. 23/12/1976); ok is false when they are not
// letters or digits.
func FiscalCodeCheckChar(first15 string) (c byte, ok bool) {
	if len(first15) != 15 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		var v int
		switch ch := first15[i]; {
		case ch >= '0' && ch <= '9':
			v = int(ch - '0')
		case ch >= 'A' && ch <= 'Z':
			v = int(ch - 'A')
		default:
			return 0, false
		}
		if i%2 == 0 {
			sum += oddWeights[v]
		} else {
			sum += v
		}
	}
	return byte('A' + sum%26), true
}

// personalShape says which positions of a 16-character codice fiscale hold
// letters (L) and which digits or their omocodia letters (N).
const personalShape = "LLLLLLNNLNNLNNNL"

// omocodia are the letters that replace digits when two people would share a code.
const omocodia = "LMNPQRSTUV"

// CheckFiscalCode checks a codice fiscale: the 16-character code of a person
// (shape, omocodia letters, check character) or the 11-digit code of a legal
// person (check digit). The error is errs invalid with a message to show.
func CheckFiscalCode(cf string) error {
	switch len(cf) {
	case 11:
		return checkLegalFiscalCode(cf)
	case 16:
		return checkPersonalFiscalCode(cf)
	}
	return errs.E(errs.Invalid, "must be 16 characters (person) or 11 digits (legal person), got %d", len(cf))
}

// CheckLegalFiscalCode checks the 11-digit codice fiscale (partita IVA shape) of
// an ente or company.
func CheckLegalFiscalCode(cf string) error {
	if len(cf) != 11 {
		return errs.E(errs.Invalid, "must be 11 digits, got %d characters", len(cf))
	}
	return checkLegalFiscalCode(cf)
}

func checkLegalFiscalCode(cf string) error {
	sum := 0
	for i := 0; i < 11; i++ {
		if cf[i] < '0' || cf[i] > '9' {
			return errs.E(errs.Invalid, "must hold digits only")
		}
		d := int(cf[i] - '0')
		if i == 10 {
			if (10-sum%10)%10 != d {
				return errs.E(errs.Invalid, "check digit is wrong")
			}
			break
		}
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return nil
}

func checkPersonalFiscalCode(cf string) error {
	if pos, letter := FiscalCodeShapeFault(cf); pos != 0 {
		if letter {
			return errs.E(errs.Invalid, "character %d must be an upper-case letter", pos)
		}
		return errs.E(errs.Invalid, "character %d must be a digit", pos)
	}
	if !IsMonthLetter(cf[8]) {
		return errs.E(errs.Invalid, "character 9 is not a month letter")
	}
	want, _ := FiscalCodeCheckChar(cf[:15])
	if cf[15] != want {
		return errs.E(errs.Invalid, "check character is wrong")
	}
	return nil
}

// FiscalCodeShapeFault finds the first character of a 16-character personal
// codice fiscale that breaks its shape: pos is its 1-based position (0 when the
// shape is right, or when cf is not 16 characters long) and letter says whether
// an upper-case letter was expected there rather than a digit or omocodia letter.
// The month letter (position 9) is only checked to be a letter: see IsMonthLetter.
func FiscalCodeShapeFault(cf string) (pos int, letter bool) {
	if len(cf) != 16 {
		return 0, false
	}
	for i := 0; i < 16; i++ {
		ch := cf[i]
		isLetter := ch >= 'A' && ch <= 'Z'
		isDigit := ch >= '0' && ch <= '9'
		switch personalShape[i] {
		case 'L':
			if !isLetter {
				return i + 1, true
			}
		case 'N':
			if !isDigit && !strings.ContainsRune(omocodia, rune(ch)) {
				return i + 1, false
			}
		}
	}
	return 0, false
}

// IsMonthLetter says whether c is one of the letters of the birth month
// (position 9 of a personal codice fiscale), January to December.
func IsMonthLetter(c byte) bool {
	return strings.IndexByte("ABCDEHLMPRST", c) >= 0
}

// ibanLengths are the IBAN lengths of the SEPA countries an ente's treasury may use.
var ibanLengths = map[string]int{
	"IT": 27, "SM": 27, "VA": 22, "AT": 20, "BE": 16, "CH": 21, "DE": 22, "ES": 24,
	"FR": 27, "GB": 22, "HR": 21, "IE": 22, "LU": 20, "MT": 31, "NL": 18, "PT": 25, "SI": 19,
}

// NormalizeIBAN removes spaces and upper-cases an IBAN.
func NormalizeIBAN(iban string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(iban), " ", ""))
}

// CheckIBAN checks an IBAN (ISO 13616): known country and length, and the
// mod-97 check digits. Spaces are not allowed: store NormalizeIBAN's output.
func CheckIBAN(iban string) error {
	if len(iban) < 15 || len(iban) > 34 {
		return errs.E(errs.Invalid, "must be 15 to 34 characters, got %d", len(iban))
	}
	country := iban[:2]
	n, ok := ibanLengths[country]
	if !ok {
		return errs.E(errs.Invalid, "country %q is not a SEPA country we accept", country)
	}
	if len(iban) != n {
		return errs.E(errs.Invalid, "an IBAN of %s has %d characters, got %d", country, n, len(iban))
	}
	rem, ok := IBANMod97(iban)
	if !ok {
		return errs.E(errs.Invalid, "must hold upper-case letters and digits only")
	}
	if rem != 1 {
		return errs.E(errs.Invalid, "check digits are wrong")
	}
	return nil
}

// IBANLength is the length of an IBAN of country; ok is false when country is
// not one of the SEPA countries CheckIBAN accepts.
func IBANLength(country string) (n int, ok bool) {
	n, ok = ibanLengths[country]
	return n, ok
}

// IBANMod97 computes the ISO 13616 remainder of an IBAN of at least 4
// characters: the first four moved to the end, letters as 10-35, modulo 97. Its
// check digits are right when rem is 1; ok is false when iban holds anything
// but upper-case letters and digits.
func IBANMod97(iban string) (rem int, ok bool) {
	if len(iban) < 4 {
		return 0, false
	}
	var digits strings.Builder
	for _, ch := range iban[4:] + iban[:4] {
		switch {
		case ch >= '0' && ch <= '9':
			digits.WriteRune(ch)
		case ch >= 'A' && ch <= 'Z':
			digits.WriteString(big.NewInt(int64(ch - 'A' + 10)).String())
		default:
			return 0, false
		}
	}
	v, _ := new(big.Int).SetString(digits.String(), 10)
	return int(new(big.Int).Mod(v, big.NewInt(97)).Int64()), true
}

// Normalize folds s for search: lower case, accents removed (perché → perche),
// spaces collapsed. Italian search on both SQL engines compares folded text with LIKE.
func Normalize(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Join(strings.Fields(strings.ToLower(out)), " ")
}

// fieldErr names field in an invalid error from a check function.
func fieldErr(field string, err error) *errs.FieldError {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if e, ok := errs.As(err); ok {
		msg = e.Message
	}
	return &errs.FieldError{Field: field, Message: msg}
}
