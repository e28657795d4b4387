package engine

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDebtorName(t *testing.T) {
	long := strings.Repeat("è", 40) // 80 bytes: cut at a character boundary, within GPD's 70
	for _, tc := range []struct{ name, in, want string }{
		{"as given", "Mario Rossi", "Mario Rossi"},
		{"spaces collapsed", "  Mario \t Rossi ", "Mario Rossi"},
		{"controls dropped", "Mario\x00Rossi\u0085", "Mario Rossi"},
		{"unknown", "", ""},
		{"too long", long, strings.Repeat("è", 35)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := debtorName(tc.in)
			if got != tc.want || len(got) > maxDebtorName || !utf8.ValidString(got) {
				t.Errorf("debtorName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
