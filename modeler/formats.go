package modeler

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Custom JSON Schema formats of Italian public administration data.
const (
	FormatCodiceFiscale = "codice-fiscale"
	FormatIBAN          = "iban"
)

var customFormats = []*jsonschema.Format{
	{Name: FormatCodiceFiscale, Validate: onString(CheckCodiceFiscale)},
	{Name: FormatIBAN, Validate: onString(CheckIBAN)},
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
func CheckCodiceFiscale(cf string) error {
	cf = strings.ToUpper(cf)
	if len(cf) == 11 {
		return checkPartitaIVA(cf)
	}
	if len(cf) != 16 {
		return errors.New("must be 16 characters")
	}
	const omocodia = "LMNPQRSTUV"
	for i := 0; i < 16; i++ {
		c := cf[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		switch i {
		case 0, 1, 2, 3, 4, 5, 8, 11, 15:
			if !letter {
				return fmt.Errorf("a letter is expected at position %d", i+1)
			}
		default:
			if !digit && !strings.ContainsRune(omocodia, rune(c)) {
				return errors.New("a digit is expected")
			}
		}
	}
	odd := [...]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 0; i < 15; i++ {
		c := cf[i]
		var n int
		if c >= '0' && c <= '9' {
			n = int(c - '0')
		} else {
			n = int(c - 'A')
		}
		if i%2 == 0 {
			sum += odd[n]
		} else {
			sum += n
		}
	}
	if cf[15] != byte('A'+sum%26) {
		return errors.New("check character is wrong")
	}
	return nil
}

func checkPartitaIVA(s string) error {
	sum := 0
	for i := 0; i < 11; i++ {
		if s[i] < '0' || s[i] > '9' {
			return errors.New("must be 11 digits")
		}
		n := int(s[i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	if sum%10 != 0 {
		return errors.New("check digit is wrong")
	}
	return nil
}

// CheckIBAN checks an IBAN's shape and its mod-97 check digits; Italian IBANs must be 27 characters.
func CheckIBAN(iban string) error {
	s := strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return errors.New("wrong length")
	}
	if strings.HasPrefix(s, "IT") && len(s) != 27 {
		return errors.New("an Italian IBAN has 27 characters")
	}
	var digits strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			digits.WriteString(big.NewInt(int64(c-'A') + 10).String())
		default:
			return errors.New("only letters and digits are allowed")
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return errors.New("check digits are wrong")
	}
	return nil
}
