package auth

import (
	"testing"

	"github.com/sportello/sportello/errs"
)

func TestNormalizeFiscalNumber(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"TINIT-RSSMRA80A01H501U", "RSSMRA80A01H501U", false},
		{"tinit-rssmra80a01l424f", "RSSMRA80A01L424F", false},
		{"BNCGLI85C55L424K", "BNCGLI85C55L424K", false},
		{" RSSMRA80A01H501U ", "RSSMRA80A01H501U", false},
		{"RSSMRA80A01H50RC", "RSSMRA80A01H50RC", false}, // omocodia: last digit 1 → R, check char recomputed
		{"TINIT-RSSMRA80A01H501X", "", true},            // wrong check character
		{"RSSMRA80Z01H501U", "", true},                  // no month Z
		{"RSSMRA80A01H501", "", true},                   // too short
		{"12345678901", "", true},                       // a company's partita IVA, not a person
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeFiscalNumber("fiscalNumber", tt.in)
			if tt.wantErr {
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "fiscalNumber" {
					t.Fatalf("err = %v, want invalid on fiscalNumber", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
