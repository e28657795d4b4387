package pagopa

import (
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

// Status is the lifecycle state of a debt position, as GPD names it.
type Status string

// The GPD lifecycle: DRAFT → PUBLISHED → VALID → PARTIALLY_PAID / PAID / EXPIRED /
// INVALID, and REPORTED once the payment is reconciled.
const (
	Draft         Status = "DRAFT"
	Published     Status = "PUBLISHED"
	Valid         Status = "VALID"
	PartiallyPaid Status = "PARTIALLY_PAID"
	Paid          Status = "PAID"
	Expired       Status = "EXPIRED"
	Invalid       Status = "INVALID"
	Reported      Status = "REPORTED"
)

// OptionStatus is the state of one payment option.
type OptionStatus string

// Option states.
const (
	Unpaid     OptionStatus = "PO_UNPAID"
	OptionPaid OptionStatus = "PO_PAID"
)

// MaxTransfers is pagoPA's limit of transfers (beneficiary IBANs) per option.
const MaxTransfers = 5

// Debtor is who owes: a person (F, codice fiscale) or a legal person (G, partita IVA).
type Debtor struct {
	Type       string `json:"type"` // F or G
	FiscalCode string `json:"fiscalCode"`
	FullName   string `json:"fullName"`
	Email      string `json:"email,omitempty"`
	// The postal address where a paper notice goes (optional), as GPD names
	// its parts; bulk print files are sorted on it for postal dispatch.
	StreetName  string `json:"streetName,omitempty"`
	CivicNumber string `json:"civicNumber,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"` // CAP
	City        string `json:"city,omitempty"`
	Province    string `json:"province,omitempty"` // two-letter code, e.g. TS
	Country     string `json:"country,omitempty"`  // ISO 3166 alpha-2, IT when empty
}

// AddressLines is the debtor's postal address as printed on an envelope
// window: street and number, then CAP, city and province; nil without a street.
func (d Debtor) AddressLines() []string {
	if strings.TrimSpace(d.StreetName) == "" {
		return nil
	}
	street := strings.TrimSpace(d.StreetName + " " + d.CivicNumber)
	city := strings.TrimSpace(d.PostalCode + " " + d.City)
	if d.Province != "" {
		city += " (" + d.Province + ")"
	}
	if d.Country != "" && d.Country != "IT" {
		city += " " + d.Country
	}
	return []string{street, city}
}

// Transfer is one share of an option credited to one IBAN of one ente.
type Transfer struct {
	ID                     int    `json:"idTransfer"` // 1..5
	Amount                 int64  `json:"amount"`     // cents
	OrganizationFiscalCode string `json:"organizationFiscalCode"`
	CompanyName            string `json:"companyName,omitempty"`
	IBAN                   string `json:"iban"`
	PostalIBAN             string `json:"postalIban,omitempty"`
	RemittanceInformation  string `json:"remittanceInformation"`
	// Category is the taxonomy code, "9/0101100IM/" ("dati specifici di incasso").
	Category string `json:"category"`
}

// Option is a way to pay the position: the single payment, or one installment.
type Option struct {
	IUV          string       `json:"iuv"`
	NoticeNumber string       `json:"noticeNumber"`
	Amount       int64        `json:"amount"` // cents
	Description  string       `json:"description"`
	DueDate      time.Time    `json:"dueDate"`
	Installment  bool         `json:"installment"` // GPD's isPartialPayment
	Status       OptionStatus `json:"status"`
	ReceiptID    string       `json:"receiptId,omitempty"`
	PaidAt       *time.Time   `json:"paidAt,omitempty"`
	Transfers    []Transfer   `json:"transfers"`
}

// Position is a debt position: what a debtor owes an ente, as GPD models it.
type Position struct {
	ID              string     `json:"id"`
	IUPD            string     `json:"iupd"`
	Creditor        Creditor   `json:"creditor"`
	Debtor          Debtor     `json:"debtor"`
	Subject         string     `json:"subject"`
	ServiceID       string     `json:"serviceId,omitempty"`
	PraticaID       string     `json:"praticaId,omitempty"`
	Status          Status     `json:"status"`
	SwitchToExpired bool       `json:"switchToExpired"`
	ValidityDate    *time.Time `json:"validityDate,omitempty"`
	Synced          bool       `json:"synced"` // created at GPD
	PaidAt          *time.Time `json:"paidAt,omitempty"`
	CreatedAt       time.Time  `json:"createdAt"`
	UpdatedAt       time.Time  `json:"updatedAt"`
	Options         []Option   `json:"options"`
}

// Amount is what the position is worth: the single option's amount, or the sum
// of its installments when it has none.
func (p *Position) Amount() int64 {
	var inst int64
	for _, o := range p.Options {
		if !o.Installment {
			return o.Amount
		}
		inst += o.Amount
	}
	return inst
}

// Option returns the option with notice number n.
func (p *Position) Option(n string) (*Option, bool) {
	for i := range p.Options {
		if p.Options[i].NoticeNumber == n {
			return &p.Options[i], true
		}
	}
	return nil, false
}

// Validate checks everything a position must satisfy before it is stored or
// sent, and names every field at fault at once: debtor, options, transfers
// (≤ 5, IBAN, amounts summing to the option), taxonomy shape.
func (p *Position) Validate() error {
	var fe []errs.FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if p.IUPD == "" || len(p.IUPD) > 35 {
		add("iupd", "must be 1 to 35 characters")
	}
	if msg := CheckPartitaIVA(p.Creditor.FiscalCode); msg != "" {
		add("creditor.fiscalCode", "%s", msg)
	}
	if strings.TrimSpace(p.Creditor.Name) == "" || len(p.Creditor.Name) > 140 {
		add("creditor.name", "must be 1 to 140 characters")
	}
	switch p.Debtor.Type {
	case "F":
		if msg := CheckCodiceFiscale(p.Debtor.FiscalCode); msg != "" {
			add("debtor.fiscalCode", "%s", msg)
		}
	case "G":
		if msg := CheckPartitaIVA(p.Debtor.FiscalCode); msg != "" {
			add("debtor.fiscalCode", "%s", msg)
		}
	default:
		add("debtor.type", "must be F (person) or G (legal person)")
	}
	if strings.TrimSpace(p.Debtor.FullName) == "" || len(p.Debtor.FullName) > 70 {
		add("debtor.fullName", "must be 1 to 70 characters")
	}
	fe = append(fe, p.Debtor.validateAddress()...)
	if strings.TrimSpace(p.Subject) == "" || len(p.Subject) > 140 {
		add("subject", "must be 1 to 140 characters")
	}
	if len(p.Options) == 0 {
		add("paymentOption", "at least one payment option is required")
	}
	var single, installments int64
	nSingle, nInst := 0, 0
	for i, o := range p.Options {
		f := fmt.Sprintf("paymentOption[%d]", i)
		if o.Amount <= 0 {
			add(f+".amount", "must be more than 0 cents")
		}
		if len(o.Description) > 140 {
			add(f+".description", "must be at most 140 characters")
		}
		if o.DueDate.IsZero() {
			add(f+".dueDate", "is required")
		}
		if o.Installment {
			nInst++
			installments += o.Amount
		} else {
			nSingle++
			single = o.Amount
		}
		fe = append(fe, validateTransfers(f, o)...)
	}
	if nSingle > 1 {
		add("paymentOption", "at most one single (non-installment) option")
	}
	if nInst == 1 {
		add("paymentOption", "installments come at least in two")
	}
	if nSingle == 1 && nInst > 1 && single != installments {
		add("paymentOption", "installments sum to %d cents, the single payment is %d", installments, single)
	}
	return errs.Fields(fe)
}

func validateTransfers(f string, o Option) []errs.FieldError {
	var fe []errs.FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(o.Transfers) == 0 {
		add(f+".transfer", "at least one transfer is required")
	}
	var sum int64
	for j, t := range o.Transfers {
		tf := fmt.Sprintf("%s.transfer[%d]", f, j)
		if j >= MaxTransfers {
			add(tf, "at most %d transfers", MaxTransfers)
			continue
		}
		if t.ID != j+1 {
			add(tf+".idTransfer", "must be %d", j+1)
		}
		if t.Amount <= 0 {
			add(tf+".amount", "must be more than 0 cents")
		}
		sum += t.Amount
		if msg := CheckPartitaIVA(t.OrganizationFiscalCode); msg != "" {
			add(tf+".organizationFiscalCode", "%s", msg)
		}
		if msg := CheckIBAN(t.IBAN); msg != "" {
			add(tf+".iban", "%s", msg)
		}
		if t.PostalIBAN != "" {
			if msg := CheckIBAN(t.PostalIBAN); msg != "" {
				add(tf+".postalIban", "%s", msg)
			}
		}
		if t.RemittanceInformation == "" || len(t.RemittanceInformation) > 140 {
			add(tf+".remittanceInformation", "must be 1 to 140 characters")
		}
		if !TaxonomyShape(t.Category) {
			add(tf+".category", "must be a taxonomy code like 9/0101100IM/")
		}
	}
	if len(o.Transfers) > 0 && len(o.Transfers) <= MaxTransfers && sum != o.Amount {
		add(f+".transfer", "transfers sum to %d cents, the option is %d", sum, o.Amount)
	}
	return fe
}

// TaxonomyShape reports whether code looks like "9/TTMMSSSGG/": version 9, ente
// type (2 digits), macro area (2), service type (3), legal reason (2 letters).
func TaxonomyShape(code string) bool {
	if len(code) != 12 || !strings.HasPrefix(code, "9/") || code[11] != '/' {
		return false
	}
	c := code[2:11]
	if !digits(c[:7], 7) {
		return false
	}
	return c[7] >= 'A' && c[7] <= 'Z' && c[8] >= 'A' && c[8] <= 'Z'
}

// Refresh derives the position's status from its options after a payment:
// PAID when the single option or every installment is paid, PARTIALLY_PAID
// when some installments are.
func (p *Position) Refresh(now time.Time) {
	if p.Status == Invalid || p.Status == Reported {
		return
	}
	paidInst, inst := 0, 0
	for _, o := range p.Options {
		if !o.Installment && o.Status == OptionPaid {
			p.Status, p.PaidAt = Paid, &now
			return
		}
		if o.Installment {
			inst++
			if o.Status == OptionPaid {
				paidInst++
			}
		}
	}
	switch {
	case inst > 0 && paidInst == inst:
		p.Status, p.PaidAt = Paid, &now
	case paidInst > 0:
		p.Status = PartiallyPaid
	}
}

// Payable reports whether a citizen can pay the position now.
func (s Status) Payable() bool { return s == Valid || s == PartiallyPaid }
