package pagopa

import (
	"context"
	"strconv"
	"time"
)

// GPD is the Gestione Posizioni Debitorie API (openapi/gpd.json) as the
// intermediary exposes it; Client speaks it over HTTP, the simulator serves it.
type GPD interface {
	// CreatePosition creates a position, published at once when publish is true.
	// Creating an iupd that already exists returns the existing position.
	CreatePosition(ctx context.Context, org string, p GPDPosition, publish bool) (*GPDPosition, error)
	GetPosition(ctx context.Context, org, iupd string) (*GPDPosition, error)
	// PublishPosition publishes a draft; publishing a published one returns it.
	PublishPosition(ctx context.Context, org, iupd string) (*GPDPosition, error)
	// InvalidatePosition invalidates a position; invalidating an invalid one returns it.
	InvalidatePosition(ctx context.Context, org, iupd string) (*GPDPosition, error)
}

// GPDMetadata is a key-value pair of GPD metadata.
type GPDMetadata struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// GPDTransfer is GPD's TransferModel.
type GPDTransfer struct {
	IDTransfer             string        `json:"idTransfer"`
	Amount                 int64         `json:"amount"`
	OrganizationFiscalCode string        `json:"organizationFiscalCode,omitempty"`
	RemittanceInformation  string        `json:"remittanceInformation"`
	Category               string        `json:"category"`
	IBAN                   string        `json:"iban,omitempty"`
	PostalIBAN             string        `json:"postalIban,omitempty"`
	CompanyName            string        `json:"companyName,omitempty"`
	TransferMetadata       []GPDMetadata `json:"transferMetadata"`
	Status                 string        `json:"status,omitempty"` // responses only
}

// GPDOption is GPD's PaymentOptionModel.
type GPDOption struct {
	NAV                   string        `json:"nav,omitempty"`
	IUV                   string        `json:"iuv"`
	Amount                int64         `json:"amount"`
	Description           string        `json:"description"`
	IsPartialPayment      bool          `json:"isPartialPayment"`
	DueDate               time.Time     `json:"dueDate"`
	RetentionDate         *time.Time    `json:"retentionDate,omitempty"`
	Transfer              []GPDTransfer `json:"transfer"`
	PaymentOptionMetadata []GPDMetadata `json:"paymentOptionMetadata"`
	Status                string        `json:"status,omitempty"` // responses only
	PaymentDate           *time.Time    `json:"paymentDate,omitempty"`
}

// GPDPosition is GPD's PaymentPositionModel.
type GPDPosition struct {
	IUPD            string      `json:"iupd"`
	Type            string      `json:"type"`
	FiscalCode      string      `json:"fiscalCode"`
	FullName        string      `json:"fullName"`
	Email           string      `json:"email,omitempty"`
	SwitchToExpired bool        `json:"switchToExpired"`
	CompanyName     string      `json:"companyName"`
	OfficeName      string      `json:"officeName,omitempty"`
	ValidityDate    *time.Time  `json:"validityDate,omitempty"`
	PaymentDate     *time.Time  `json:"paymentDate,omitempty"` // responses only
	Status          string      `json:"status,omitempty"`      // responses only
	PaymentOption   []GPDOption `json:"paymentOption"`
}

// ToGPD is the position as GPD receives it. The notice number (nav) is left to
// GPD, which derives it from the IUV and the ente's station configuration.
func ToGPD(p *Position) GPDPosition {
	g := GPDPosition{IUPD: p.IUPD, Type: p.Debtor.Type, FiscalCode: p.Debtor.FiscalCode, FullName: p.Debtor.FullName, Email: p.Debtor.Email,
		SwitchToExpired: p.SwitchToExpired, CompanyName: p.Creditor.Name, OfficeName: p.Creditor.Office, ValidityDate: p.ValidityDate}
	for _, o := range p.Options {
		go_ := GPDOption{IUV: o.IUV, Amount: o.Amount, Description: o.Description, IsPartialPayment: o.Installment, DueDate: o.DueDate.UTC(),
			PaymentOptionMetadata: []GPDMetadata{}}
		for _, t := range o.Transfers {
			go_.Transfer = append(go_.Transfer, GPDTransfer{IDTransfer: strconv.Itoa(t.ID), Amount: t.Amount, OrganizationFiscalCode: t.OrganizationFiscalCode,
				RemittanceInformation: t.RemittanceInformation, Category: t.Category, IBAN: t.IBAN, PostalIBAN: t.PostalIBAN, CompanyName: t.CompanyName,
				TransferMetadata: []GPDMetadata{}})
		}
		g.PaymentOption = append(g.PaymentOption, go_)
	}
	return g
}
