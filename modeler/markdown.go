package modeler

import "strings"

// markdownInline are the characters that open inline Markdown (emphasis, code,
// links and images, raw HTML, tables, strikethrough, entities): they are
// escaped wherever they are.
const markdownInline = "\\`*_[]()<>!|~&"

// markdownBlock open a block at the start of a line (a heading, a list, a
// quote, a rule): escaped when a value starts with one.
const markdownBlock = "#-+=>"

// EscapeMarkdown makes s plain text inside a Markdown document: punctuation
// that could open a link, an image, emphasis, code or HTML is backslash-escaped,
// a leading character that could open a block too, and line breaks become
// spaces, so a value cannot start a block of its own. Dates, amounts and codes
// ("2027-05-20", "150,00 €") read as they are.
func EscapeMarkdown(s string) string {
	dot := orderedItem(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '\r' || r == '\n':
			b.WriteByte(' ')
			continue
		case r < 128 && strings.ContainsRune(markdownInline, r),
			i == 0 && strings.ContainsRune(markdownBlock, r),
			i == dot:
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// orderedItem returns where the marker of an ordered list item ends when s
// starts like one ("1. ", "2) "), or -1.
func orderedItem(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s)-1 && (s[i] == '.' || s[i] == ')') && s[i+1] == ' ' {
		return i
	}
	return -1
}
