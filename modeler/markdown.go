package modeler

import "strings"

// markdownSpecial are the characters CommonMark lets a backslash escape: every
// one of them is escaped, so a value is read as plain text whatever it holds.
const markdownSpecial = "\\`*_{}[]()<>#+-.!|~\"'&:="

// EscapeMarkdown makes s plain text inside a Markdown document: punctuation
// that could open a link, an image, emphasis, code, HTML or a heading is
// backslash-escaped, and line breaks become spaces, so a value cannot start a
// block of its own.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n':
			b.WriteByte(' ')
		case r < 128 && strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
