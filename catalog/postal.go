package catalog

import "strings"

// PosteABI is the ABI code of Poste Italiane: an Italian IBAN whose ABI is
// 07601 is a conto corrente postale (BancoPosta).
const PosteABI = "07601"

// IsPostalIBAN reports whether iban is an Italian postal account's (ABI 07601).
func IsPostalIBAN(iban string) bool {
	iban = NormalizeIBAN(iban)
	return len(iban) == 27 && strings.HasPrefix(iban, "IT") && iban[5:10] == PosteABI
}

// PostalIBAN returns the ente's postal account, the first account flagged
// postal or with Poste's ABI, or "" when it has none.
func (e *Ente) PostalIBAN() string {
	for _, a := range e.Accounts {
		if a.Postal || IsPostalIBAN(a.IBAN) {
			return NormalizeIBAN(a.IBAN)
		}
	}
	return ""
}
