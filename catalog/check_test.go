package catalog_test

import (
	"testing"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

func TestCheckFiscalCode(t *testing.T) {
	for _, tc := range []struct {
		name, cf string
		ok       bool
		msg      string
	}{
		{"person", "RSSMRA80A01L424F", true, ""},
		{"person wrong check character", "RSSMRA80A01L424X", false, "check character is wrong"},
		{"omocodia", "RSSMRA80A01L42QC", true, ""},
		{"bad month letter", "RSSMRA80Z01L424F", false, "character 9 is not a month letter"},
		{"digit where a letter goes", "RSSMR180A01L424F", false, "character 6 must be an upper-case letter"},
		{"lower case", "rssmra80a01l424f", false, "character 1 must be an upper-case letter"},
		{"Comune di Trieste", "00210240321", true, ""},
		{"Regione FVG", "80014930327", true, ""},
		{"legal wrong check digit", "00210240322", false, "check digit is wrong"},
		{"legal with a letter", "0021024032A", false, "must hold digits only"},
		{"too short", "RSSMRA80", false, "must be 16 characters (person) or 11 digits (legal person), got 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := catalog.CheckFiscalCode(tc.cf)
			if tc.ok {
				if err != nil {
					t.Fatalf("CheckFiscalCode(%s) = %v, want nil", tc.cf, err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid || e.Message != tc.msg {
				t.Fatalf("CheckFiscalCode(%s) = %v, want invalid %q", tc.cf, err, tc.msg)
			}
		})
	}
}

func TestOmocodiaCheckCharacter(t *testing.T) {
	// RSSMRA80A01L42QC: the last digit of the place code 4 replaced by Q.
	c, ok := catalog.FiscalCodeCheckChar("RSSMRA80A01L42Q")
	if !ok || c != 'C' {
		t.Fatalf("check char = %c %v, want C", c, ok)
	}
}

func TestCheckIBAN(t *testing.T) {
	for _, tc := range []struct {
		iban string
		msg  string
	}{
		{"IT60X0542811101000000123456", ""},
		{"IT13X0306902230100000046001", ""},
		{"DE89370400440532013000", ""},
		{"IT60X0542811101000000123457", "check digits are wrong"},
		{"IT60X054281110100000012345", "an IBAN of IT has 27 characters, got 26"},
		{"US60X0542811101000000123456", `country "US" is not a SEPA country we accept`},
		{"IT60x0542811101000000123456", "must hold upper-case letters and digits only"},
		{"IT60", "must be 15 to 34 characters, got 4"},
	} {
		t.Run(tc.iban, func(t *testing.T) {
			err := catalog.CheckIBAN(tc.iban)
			got := ""
			if e, ok := errs.As(err); ok {
				if e.Code != errs.Invalid {
					t.Fatalf("code = %s, want invalid", e.Code)
				}
				got = e.Message
			} else if err != nil {
				t.Fatalf("not an errs.Error: %v", err)
			}
			if got != tc.msg {
				t.Errorf("CheckIBAN(%s) = %q, want %q", tc.iban, got, tc.msg)
			}
		})
	}
	if got := catalog.NormalizeIBAN(" it60 x054 2811 1010 0000 0123 456 "); got != "IT60X0542811101000000123456" {
		t.Errorf("NormalizeIBAN = %s", got)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Perché  la CITTÀ":       "perche la citta",
		"Carta d'identità":       "carta d'identita",
		"  Öffentliche  Ämter  ": "offentliche amter",
	} {
		if got := catalog.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
