package pagopa

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/catalog"
)

// TestPostalIBANOfTransfers builds positions from a payment step: a transfer
// to the ente's bank account carries the ente's postal account, a transfer
// to a postal account carries itself, and a share to another ente (TEFA to
// the Provincia) carries none.
func TestPostalIBANOfTransfers(t *testing.T) {
	const postal = "IT66B0760102200001022345678"
	const provincia = "00123456789"
	svc := activities.ServiceInfo{ID: "c_l424.tari", Ente: "c_l424", EnteName: "Comune di Trieste", EnteFiscalCode: trieste, AuxDigit: 3,
		SegregationCode: "47", IBAN: triesteIBAN, PostalIBAN: postal, Taxonomy: "9/0101101IM/"}
	for _, tc := range []struct {
		name  string
		parts []activities.TransferPart
		want  []string
	}{
		{"bank account of the ente", nil, []string{postal}},
		{"postal account itself", []activities.TransferPart{{IBAN: postal, FiscalCode: trieste, AmountCents: 10000}}, []string{postal}},
		{"a share to another ente", []activities.TransferPart{{IBAN: triesteIBAN, FiscalCode: trieste, AmountCents: 9500},
			{IBAN: otherIBAN, FiscalCode: provincia, AmountCents: 500}}, []string{postal, ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := IssueRequestOf(activities.PaymentRequest{IUPD: "TARI-1", Service: svc, Debtor: citizen, AmountCents: 10000,
				Remittance: "TARI 2026", DueDate: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), Transfers: tc.parts})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tr := range req.Position().Options[0].Transfers {
				got = append(got, tr.PostalIBAN)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("postal IBANs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEntePostalIBAN finds an ente's postal account by flag or by Poste's ABI.
func TestEntePostalIBAN(t *testing.T) {
	for _, tc := range []struct {
		accounts []catalog.Account
		want     string
	}{
		{[]catalog.Account{{IBAN: triesteIBAN}}, ""},
		{[]catalog.Account{{IBAN: triesteIBAN}, {IBAN: "it66 b076 0102 2000 0102 2345 678"}}, "IT66B0760102200001022345678"},
		{[]catalog.Account{{IBAN: otherIBAN, Postal: true}}, otherIBAN},
	} {
		e := catalog.Ente{Accounts: tc.accounts}
		if got := e.PostalIBAN(); got != tc.want {
			t.Errorf("PostalIBAN(%v) = %q, want %q", tc.accounts, got, tc.want)
		}
	}
}
