package pagopa

import "time"

// GPDv3Debtor is GPD v3's DebtorModel.
type GPDv3Debtor struct {
	Type       string `json:"type"`
	FiscalCode string `json:"fiscalCode"`
	FullName   string `json:"fullName"`
	Email      string `json:"email,omitempty"`
}

// GPDv3Installment is GPD v3's InstallmentModel: one payable notice.
type GPDv3Installment struct {
	NAV                 string        `json:"nav,omitempty"`
	IUV                 string        `json:"iuv"`
	Amount              int64         `json:"amount"`
	Description         string        `json:"description"`
	DueDate             time.Time     `json:"dueDate"`
	Transfer            []GPDTransfer `json:"transfer"`
	InstallmentMetadata []GPDMetadata `json:"installmentMetadata"`
}

// GPDv3Option is GPD v3's PaymentOptionModelV3: a way to pay the whole
// position, in one installment (the single payment) or several.
type GPDv3Option struct {
	Description     string             `json:"description,omitempty"`
	ValidityDate    *time.Time         `json:"validityDate,omitempty"`
	SwitchToExpired bool               `json:"switchToExpired"`
	Debtor          GPDv3Debtor        `json:"debtor"`
	Installments    []GPDv3Installment `json:"installments"`
}

// GPDv3Position is GPD v3's PaymentPositionModelV3.
type GPDv3Position struct {
	IUPD          string        `json:"iupd"`
	CompanyName   string        `json:"companyName"`
	OfficeName    string        `json:"officeName,omitempty"`
	PaymentOption []GPDv3Option `json:"paymentOption"`
}

// ToGPDv3 is the position in GPD v3's shape, where installments are grouped
// under the payment plan they belong to: the single payment is a plan of one
// installment, our installment options form a second plan.
func ToGPDv3(p *Position) GPDv3Position {
	g := GPDv3Position{IUPD: p.IUPD, CompanyName: p.Creditor.Name, OfficeName: p.Creditor.Office}
	debtor := GPDv3Debtor{Type: p.Debtor.Type, FiscalCode: p.Debtor.FiscalCode, FullName: p.Debtor.FullName, Email: p.Debtor.Email}
	v1 := ToGPD(p)
	plan := func(desc string) GPDv3Option {
		return GPDv3Option{Description: desc, ValidityDate: p.ValidityDate, SwitchToExpired: p.SwitchToExpired, Debtor: debtor}
	}
	var inst *GPDv3Option
	for _, o := range v1.PaymentOption {
		in := GPDv3Installment{IUV: o.IUV, Amount: o.Amount, Description: o.Description, DueDate: o.DueDate, Transfer: o.Transfer,
			InstallmentMetadata: []GPDMetadata{}}
		if !o.IsPartialPayment {
			single := plan(o.Description)
			single.Installments = []GPDv3Installment{in}
			g.PaymentOption = append(g.PaymentOption, single)
			continue
		}
		if inst == nil {
			g.PaymentOption = append(g.PaymentOption, plan(p.Subject))
			inst = &g.PaymentOption[len(g.PaymentOption)-1]
		}
		inst.Installments = append(inst.Installments, in)
	}
	return g
}
