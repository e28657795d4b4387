package pagopa

import "testing"

func TestCheckCodiceFiscale(t *testing.T) {
	tests := map[string]string{
		"RSSMRA80A01H501U": "",
		"BNCLCU85C41L424O": "",
		"RSSMRA80A01H5M1U": "check character is wrong", // omocodia shape accepted, check recomputed
		"RSSMRA80A01H501X": "check character is wrong",
		"RSSMRA80Z01H501U": "has no valid month letter",
		"RSSMRA80A01H501":  "must be 16 characters",
		"R5SMRA80A01H501U": "is not shaped like a codice fiscale",
	}
	for cf, want := range tests {
		if got := CheckCodiceFiscale(cf); got != want {
			t.Errorf("CheckCodiceFiscale(%s) = %q, want %q", cf, got, want)
		}
	}
}

func TestCheckPartitaIVA(t *testing.T) {
	tests := map[string]string{
		"00210240321": "", // Comune di Trieste
		"77777777777": "check digit is wrong",
		"0021024032":  "must be 11 digits",
		"0021024032A": "must be 11 digits",
	}
	for p, want := range tests {
		if got := CheckPartitaIVA(p); got != want {
			t.Errorf("CheckPartitaIVA(%s) = %q, want %q", p, got, want)
		}
		if got := CheckFiscalCode(p); got != want {
			t.Errorf("CheckFiscalCode(%s) = %q, want %q", p, got, want)
		}
	}
}

func TestCheckIBAN(t *testing.T) {
	tests := map[string]string{
		"IT61X0306909606100000012345": "",
		"IT84A0200802230000104123456": "",
		"IT62X0306909606100000012345": "check digits are wrong",
		"IT61X030690960610000001234":  "must be 27 characters for IT",
		"IT61x0306909606100000012345": "is not shaped like an Italian IBAN (CIN, ABI, CAB)",
		"ZZ61X0306909606100000012345": "country ZZ is not a SEPA country we credit",
		"IT0000000000000000000000000": "is not shaped like an Italian IBAN (CIN, ABI, CAB)",
		"IT61":                        "must be 15 to 34 characters",
	}
	for iban, want := range tests {
		if got := CheckIBAN(iban); got != want {
			t.Errorf("CheckIBAN(%s) = %q, want %q", iban, got, want)
		}
	}
}
