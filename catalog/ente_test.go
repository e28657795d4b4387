package catalog_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestEnteValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    catalog.Ente
		want []errs.FieldError
	}{
		{"everything wrong", catalog.Ente{ID: "C L424", Kind: "citta", FiscalCode: "00210240322", AuxDigit: "3", Intermediary: "123",
			Accounts: []catalog.Account{{IBAN: "IT60X0542811101000000123457"}, {IBAN: "IT60X0542811101000000123456"}, {IBAN: "IT60X0542811101000000123456"}}},
			[]errs.FieldError{
				{Field: "id", Message: "must be the IPA code: lower-case letters, digits and underscores"},
				{Field: "name", Message: "is required"},
				{Field: "kind", Message: "must be one of comune, unione, regione, altro"},
				{Field: "fiscalCode", Message: "check digit is wrong"},
				{Field: "segregationCode", Message: "must be two digits when the aux digit is 3"},
				{Field: "accounts[0].iban", Message: "check digits are wrong"},
				{Field: "accounts[2].iban", Message: "is listed twice"},
				{Field: "intermediary", Message: "must be 11 digits, got 3 characters"}}},
		{"aux digit 0 needs an application code", catalog.Ente{ID: "c_f081", Name: "Medea", Kind: "comune", FiscalCode: "00123430316", AuxDigit: "0"},
			[]errs.FieldError{{Field: "applicationCode", Message: "must be two digits when the aux digit is 0"}}},
		{"personal codice fiscale is not an ente's", catalog.Ente{ID: "c_f081", Name: "Medea", Kind: "comune", FiscalCode: "RSSMRA80A01L424F", AuxDigit: "1"},
			[]errs.FieldError{{Field: "fiscalCode", Message: "must be 11 digits, got 16 characters"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := errs.As(tc.e.Validate())
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("err = %v, want invalid", e)
			}
			if diff := cmp.Diff(tc.want, e.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPutEnte(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		ts, err := s.GetEnte(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		// Removing the account Trieste's wedding fee is credited to is refused.
		next := *ts
		next.Accounts = next.Accounts[:1]
		_, err = s.PutEnte(ctx, next, ts.Revision)
		wantField(t, err, "accounts", "IT89V0103012134000063221334 is the account of c_l424.matrimonio payments[0]: change the service first")
		// Spaces and lower case in an IBAN are normalised before the check.
		next = *ts
		next.Accounts = append(append([]catalog.Account{}, ts.Accounts...), catalog.Account{IBAN: "it60 x054 2811 1010 0000 0123 456", Label: "Economato"})
		up, err := s.PutEnte(ctx, next, ts.Revision)
		if err != nil {
			t.Fatal(err)
		}
		if up.Revision != 2 || up.Accounts[2].IBAN != "IT60X0542811101000000123456" {
			t.Errorf("after update: revision %d accounts %v", up.Revision, up.Accounts)
		}
		if _, err := s.PutEnte(ctx, next, ts.Revision); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale revision = %v, want conflict", err)
		}
		other := next
		other.ID, other.Name = "c_zz01", "Doppione"
		_, err = s.PutEnte(ctx, other, 0)
		wantField(t, err, "fiscalCode", "00210240321 belongs to another ente")
	})
}
