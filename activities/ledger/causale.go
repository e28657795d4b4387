package ledger

import (
	"regexp"
	"strings"
	"unicode"
)

// Banks copy the causale of a pagoPA transfer with their own spacing: "LGPE-
// RIVERSAMENTO", "LGPE - RIVERSAMENTO", "L GPE-RIVERSAMENTO", " URI " for
// "/URI/", spaces inside the flow id. So the causale is read with every blank
// removed, and the flow id is then matched as a prefix of what follows URI.
var (
	flowRefRe = regexp.MustCompile(`LGPE-?RIVERSAMENTO/?URI/?([A-Z0-9_\-]+)`)
	iuvRefRe  = regexp.MustCompile(`/RF[BS]/([A-Z0-9]{1,35})`)
)

func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// FlowRef returns what follows "/PUR/LGPE-RIVERSAMENTO/URI/" in a causale,
// blanks removed and upper-cased; it starts with the flow id.
func FlowRef(causale string) string {
	m := flowRefRe.FindStringSubmatch(compact(causale))
	if m == nil {
		return ""
	}
	return truncate(m[1], 70)
}

// IUVRef returns the IUV of a single credit "/RFB/<IUV>/<amount>..." (or /RFS/).
func IUVRef(causale string) string {
	m := iuvRefRe.FindStringSubmatch(compact(causale))
	if m == nil {
		return ""
	}
	return m[1]
}

// refersTo says whether a movement's flow reference names flowID.
func refersTo(ref, flowID string) bool {
	id := compact(flowID)
	return id != "" && strings.HasPrefix(ref, id)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
