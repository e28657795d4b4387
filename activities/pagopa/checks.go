package pagopa

import (
	"math/big"
	"strings"
)

// cfOdd is the value of a character in an odd (1-based) position of a codice fiscale.
var cfOdd = [36]int{
	// 0-9
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
	// A-Z
	1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
}

// cfOmocodia are the letters that replace digits when two people share a code.
const cfOmocodia = "LMNPQRSTUV"

// cfIndex is the position of ch in 0-9A-Z, or -1.
func cfIndex(ch byte) int {
	switch {
	case ch >= '0' && ch <= '9':
		return int(ch - '0')
	case ch >= 'A' && ch <= 'Z':
		return int(ch-'A') + 10
	}
	return -1
}

// CheckCodiceFiscale reports what is wrong with a person's codice fiscale
// (16 characters, omocodia allowed, check character), or "" when it is valid.
func CheckCodiceFiscale(cf string) string {
	if len(cf) != 16 {
		return "must be 16 characters"
	}
	for i := 0; i < 16; i++ {
		ch := cf[i]
		switch i {
		case 6, 7, 9, 10, 12, 13, 14:
			if !(ch >= '0' && ch <= '9') && !strings.ContainsRune(cfOmocodia, rune(ch)) {
				return "is not shaped like a codice fiscale"
			}
		case 8:
			if !strings.ContainsRune("ABCDEHLMPRST", rune(ch)) {
				return "has no valid month letter"
			}
		default:
			if ch < 'A' || ch > 'Z' {
				return "is not shaped like a codice fiscale"
			}
		}
	}
	sum := 0
	for i := 0; i < 15; i++ {
		idx := cfIndex(cf[i])
		if i%2 == 0 {
			sum += cfOdd[idx]
		} else if idx >= 10 {
			sum += idx - 10
		} else {
			sum += idx
		}
	}
	if byte('A'+sum%26) != cf[15] {
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
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(p[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if (10-sum%10)%10 != int(p[10]-'0') {
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

// ibanLengths are the IBAN lengths of the SEPA countries a transfer may credit.
var ibanLengths = map[string]int{
	"IT": 27, "SM": 27, "VA": 22, "AT": 20, "BE": 16, "DE": 22, "ES": 24, "FR": 27,
	"HR": 21, "NL": 18, "PT": 25, "SI": 19, "LU": 20, "IE": 22, "CH": 21, "GB": 22,
}

// CheckIBAN reports what is wrong with an IBAN (country length, mod 97 check),
// or "" when it is valid. An Italian IBAN must also carry its CIN letter.
func CheckIBAN(iban string) string {
	if len(iban) < 15 || len(iban) > 34 {
		return "must be 15 to 34 characters"
	}
	want, ok := ibanLengths[iban[:2]]
	if !ok {
		return "country " + iban[:2] + " is not a SEPA country we credit"
	}
	if len(iban) != want {
		return "must be " + itoa(want) + " characters for " + iban[:2]
	}
	if !digits(iban[2:4], 2) {
		return "check digits must be numeric"
	}
	if iban[:2] == "IT" && (iban[4] < 'A' || iban[4] > 'Z' || !digits(iban[5:15], 10)) {
		return "is not shaped like an Italian IBAN (CIN, ABI, CAB)"
	}
	var b strings.Builder
	for _, ch := range iban[4:] + iban[:4] {
		switch {
		case ch >= '0' && ch <= '9':
			b.WriteRune(ch)
		case ch >= 'A' && ch <= 'Z':
			b.WriteString(itoa(int(ch-'A') + 10))
		default:
			return "must hold only capital letters and digits"
		}
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
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
