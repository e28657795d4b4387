package pagopa

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

func TestDebtorAddressValidation(t *testing.T) {
	ok := Debtor{StreetName: "Via Roma", CivicNumber: "3/A", PostalCode: "34121", City: "Trieste", Province: "TS"}
	tests := []struct {
		name   string
		edit   func(d *Debtor)
		fields []string
	}{
		{"none", func(d *Debtor) { *d = Debtor{} }, nil},
		{"full", func(d *Debtor) {}, nil},
		{"foreign", func(d *Debtor) { d.PostalCode, d.Province, d.Country, d.City = "SI-6000", "", "SI", "Koper" }, nil},
		{"bad CAP", func(d *Debtor) { d.PostalCode = "3412" }, []string{"debtor.postalCode"}},
		{"bad province", func(d *Debtor) { d.Province = "Trieste" }, []string{"debtor.province"}},
		{"city only", func(d *Debtor) { d.StreetName, d.PostalCode = "", "" }, []string{"debtor.streetName", "debtor.postalCode"}},
		{"bad country", func(d *Debtor) { d.Country = "Slovenia" }, []string{"debtor.country"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := issued(demoPosition("ADDR-1"))
			d := ok
			tt.edit(&d)
			d.Type, d.FiscalCode, d.FullName = p.Debtor.Type, p.Debtor.FiscalCode, p.Debtor.FullName
			p.Debtor = d
			err := p.Validate()
			var got []string
			var e *errs.Error
			if errors.As(err, &e) {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields at fault (-want +got):\n%s", diff)
			}
		})
	}
}
