package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDebtorName is the longest debtor name a pagoPA position takes (70 bytes in GPD).
const maxDebtorName = 70

// debtorName turns the name a token carries into a debtor name for pagoPA
// notices: control characters dropped, spaces collapsed, cut to what GPD
// takes at a character boundary. An empty result leaves the codice fiscale to stand in.
func debtorName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	for len(name) > maxDebtorName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name)
}
