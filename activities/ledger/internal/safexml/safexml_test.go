package safexml

import (
	"strings"
	"testing"
)

func TestCents(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"1234.56", 123456, false},
		{"10", 1000, false},
		{"0.01", 1, false},
		{"1000.00000000000", 100000, false}, // OPI samples: zeros beyond the cent are fine
		{"7853.355", 0, true},               // a fraction of a cent is refused, not rounded
		{"-5.5", -550, false},
		{"12,50", 0, true},
		{"", 0, true},
		{"99999999999999.00", 0, true},
	}
	for _, tt := range tests {
		got, err := Cents(tt.in)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("Cents(%q) = %d, %v; want %d, bad %v", tt.in, got, err, tt.want, tt.bad)
		}
		if !tt.bad && tt.want >= 0 {
			back, _ := Cents(Euro(got))
			if back != got {
				t.Errorf("Euro(%d) = %q does not round-trip", got, Euro(got))
			}
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, doc string
		ok        bool
	}{
		{"plain", `<?xml version="1.0" encoding="UTF-8"?><a>&amp;&lt;</a>`, true},
		{"bom", "\ufeff<a/>", true},
		{"doctype", `<!DOCTYPE a><a/>`, false},
		{"entity", `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`, false},
		{"undeclared entity", `<a>&x;</a>`, false},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, false},
		{"truncated", `<a><b></a>`, false},
	}
	for _, tt := range tests {
		if err := Check([]byte(tt.doc)); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if _, err := Read(strings.NewReader("0123456789"), 9); err == nil {
		t.Error("a document over the bound was read")
	}
}
