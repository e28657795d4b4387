package pagopa

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

func TestPositionValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Position)
		want   []errs.FieldError
	}{
		{"valid", func(p *Position) {}, nil},
		{"installments valid", func(p *Position) { *p = *installmentPosition("I-1") }, nil},
		{"six transfers", func(p *Position) {
			o := &p.Options[0]
			o.Transfers = nil
			for i := 0; i < 6; i++ {
				o.Transfers = append(o.Transfers, Transfer{ID: i + 1, Amount: 100, OrganizationFiscalCode: trieste, IBAN: triesteIBAN, RemittanceInformation: "r", Category: "9/0101108TS/"})
			}
			o.Amount = 600
		}, []errs.FieldError{{Field: "paymentOption[0].transfer[5]", Message: "at most 5 transfers"}}},
		{"transfers do not add up", func(p *Position) { p.Options[0].Transfers[1].Amount = 500 },
			[]errs.FieldError{{Field: "paymentOption[0].transfer", Message: "transfers sum to 1500 cents, the option is 1600"}}},
		{"zero amount", func(p *Position) {
			p.Options[0].Amount = 0
			p.Options[0].Transfers = p.Options[0].Transfers[:1]
			p.Options[0].Transfers[0].Amount = 0
		}, []errs.FieldError{
			{Field: "paymentOption[0].amount", Message: "must be more than 0 cents"},
			{Field: "paymentOption[0].transfer[0].amount", Message: "must be more than 0 cents"},
		}},
		{"bad iban and cf", func(p *Position) {
			p.Options[0].Transfers[0].IBAN = "IT62X0306909606100000012345"
			p.Debtor.FiscalCode = "RSSMRA80A01H501X"
		}, []errs.FieldError{
			{Field: "debtor.fiscalCode", Message: "check character is wrong"},
			{Field: "paymentOption[0].transfer[0].iban", Message: "check digits are wrong"},
		}},
		{"legal person", func(p *Position) { p.Debtor = Debtor{Type: "G", FiscalCode: "00210240322", FullName: "ACME srl"} },
			[]errs.FieldError{{Field: "debtor.fiscalCode", Message: "check digit is wrong"}}},
		{"taxonomy shape", func(p *Position) { p.Options[0].Transfers[0].Category = "0101108TS" },
			[]errs.FieldError{{Field: "paymentOption[0].transfer[0].category", Message: "must be a taxonomy code like 9/0101100IM/"}}},
		{"installments do not add up", func(p *Position) {
			*p = *installmentPosition("I-1")
			p.Options[2].Amount, p.Options[2].Transfers[0].Amount = 1400, 1400
		}, []errs.FieldError{{Field: "paymentOption", Message: "installments sum to 2900 cents, the single payment is 3000"}}},
		{"no options", func(p *Position) { p.Options = nil },
			[]errs.FieldError{{Field: "paymentOption", Message: "at least one payment option is required"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := demoPosition("P-1")
			tt.change(p)
			err := p.Validate()
			var got []errs.FieldError
			if err != nil {
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				got = e.Fields
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	p := installmentPosition("I-1")
	p.Status = Valid
	p.Options[1].Status = OptionPaid
	p.Refresh(p.Options[0].DueDate)
	if p.Status != PartiallyPaid {
		t.Fatalf("after one installment: %s", p.Status)
	}
	p.Options[2].Status = OptionPaid
	p.Refresh(p.Options[0].DueDate)
	if p.Status != Paid || p.PaidAt == nil {
		t.Fatalf("after both installments: %s %v", p.Status, p.PaidAt)
	}
	if got := fmt.Sprint(p.Amount()); got != "3000" {
		t.Errorf("Amount = %s", got)
	}
}

func TestFeeRule(t *testing.T) {
	tests := []struct {
		rule             FeeRule
		quantity, stated int64
		want             int64
		field            string
		band             string
	}{
		{FeeRule{Kind: "fixed", Amount: 1600}, 0, 0, 1600, "", ""},
		{FeeRule{Kind: "per_unit", Amount: 250, Unit: "m²"}, 12, 0, 3000, "", ""},
		{FeeRule{Kind: "per_unit", Amount: 250}, 0, 0, 0, "quantity", ""},
		{FeeRule{Kind: "free", Min: 100, Max: 10000}, 0, 5000, 5000, "", ""},
		{FeeRule{Kind: "free", Min: 100, Max: 10000}, 0, 50, 0, "amount", ""},
		{FeeRule{Kind: "free", Max: 10000}, 0, 0, 0, "amount", ""},
		{FeeRule{Kind: "fixed", Amount: 520}, 10, 0, 0, "quantity", ""}, // ten meals are not one meal
		{FeeRule{Kind: "per_unit", Amount: 520}, -10, 0, 0, "quantity", ""},
		{FeeRule{Kind: "per_unit", Amount: 520}, 1 << 40, 0, 0, "quantity", ""},
		{FeeRule{Kind: "per_unit", Amount: 520, MaxQuantity: 200}, 201, 0, 0, "quantity", ""},
		{FeeRule{Kind: "per_unit", Amount: 520}, 10, 0, 5200, "", ""},
		{FeeRule{Kind: "per_unit", Amount: 520}, 10, 100, 0, "amount", ""},
		{FeeRule{Kind: "bands", Bands: []FeeBand{{Code: "A", Amount: 200}, {Code: "C", Amount: 520}}}, 10, 0, 2000, "", "A"},
		{FeeRule{Kind: "bands", Bands: []FeeBand{{Code: "A", Amount: 200}}}, 10, 0, 0, "band", "Z"},
		{FeeRule{Kind: "bands", Bands: []FeeBand{{Code: "A", Amount: 200}}}, 10, 0, 0, "band", ""},
		{FeeRule{Kind: "per_unit", Amount: 520}, 1, 0, 0, "band", "A"},
		{FeeRule{Kind: "free"}, 0, 10_000_01, 0, "amount", ""},
		{FeeRule{Kind: "free"}, 3, 500, 0, "quantity", ""},
	}
	for _, tt := range tests {
		got, err := tt.rule.Compute(tt.quantity, tt.stated, tt.band)
		field := ""
		if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
			field = e.Fields[0].Field
		}
		if got != tt.want || field != tt.field {
			t.Errorf("%+v (%d, %d) = %d %q, want %d %q", tt.rule, tt.quantity, tt.stated, got, field, tt.want, tt.field)
		}
	}
}
