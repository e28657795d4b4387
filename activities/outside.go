package activities

import (
	"context"
	"time"
)

// Activity names of the outside steps of a pratica, persisted in histories.
// They carry the "pratica." prefix because the SDK treats an activity name
// equal to a registered Go method's name as an alias of that method: a bare
// "SendMessage" would run App IO's own SendMessage activity instead.
const (
	IssuePayment      = "pratica.IssuePayment"
	InvalidatePayment = "pratica.InvalidatePayment"
	SendMessage       = "pratica.SendMessage"
	PostLedger        = "pratica.PostLedger"
	ValidateData      = "pratica.ValidateData"
)

// PaymentRequest asks for a debt position for one payment step of a pratica.
type PaymentRequest struct {
	IUPD         string           `json:"iupd"` // unique per ente: pratica, step and sequence
	PraticaID    string           `json:"praticaId"`
	Service      ServiceInfo      `json:"service"`
	Debtor       string           `json:"debtor"` // codice fiscale
	DebtorName   string           `json:"debtorName,omitempty"`
	AmountCents  int64            `json:"amountCents"`
	Taxonomy     string           `json:"taxonomy"`
	Remittance   string           `json:"remittance"`
	DueDate      time.Time        `json:"dueDate"`
	ExpiryDate   time.Time        `json:"expiryDate"`
	Transfers    []TransferPart   `json:"transfers,omitempty"`
	Installments []InstallmentDue `json:"installments,omitempty"`
}

// TransferPart is one beneficiary's part of a payment.
type TransferPart struct {
	IBAN        string `json:"iban"`
	FiscalCode  string `json:"fiscalCode"`
	AmountCents int64  `json:"amountCents"`
	Taxonomy    string `json:"taxonomy"`
	Remittance  string `json:"remittance"`
}

// InstallmentDue is one rate of a payment.
type InstallmentDue struct {
	AmountCents int64     `json:"amountCents"`
	DueDate     time.Time `json:"dueDate"`
}

// PaymentIssued is the notice the citizen pays.
type PaymentIssued struct {
	IUPD         string    `json:"iupd"`
	NoticeNumber string    `json:"noticeNumber"`
	IUV          string    `json:"iuv"`
	AmountCents  int64     `json:"amountCents"`
	DueDate      time.Time `json:"dueDate"`
	NoticeURL    string    `json:"noticeUrl,omitempty"` // the avviso PDF
	PayURL       string    `json:"payUrl,omitempty"`    // where to pay (the simulator's checkout in dev)
	// Installments are the other options, one per installment, in order.
	Installments []InstallmentIssued `json:"installments,omitempty"`
}

// InstallmentIssued is one installment's notice.
type InstallmentIssued struct {
	NoticeNumber string    `json:"noticeNumber"`
	IUV          string    `json:"iuv"`
	AmountCents  int64     `json:"amountCents"`
	DueDate      time.Time `json:"dueDate"`
	PayURL       string    `json:"payUrl,omitempty"`
}

// MessageRequest is one App IO (or email) message of a notify step.
// To is the e-mail recipient, rendered from the pratica's data by the step's
// "to" text; App IO messages go to FiscalCode.
type MessageRequest struct {
	Key        string         `json:"key"` // idempotency: pratica, step, sequence
	PraticaID  string         `json:"praticaId"`
	Service    ServiceInfo    `json:"service"`
	FiscalCode string         `json:"fiscalCode"`
	Channel    string         `json:"channel"`
	To         string         `json:"to,omitempty"`
	Subject    string         `json:"subject"`
	Markdown   string         `json:"markdown"`
	Payment    *PaymentIssued `json:"payment,omitempty"`
}

// MessageSent says what happened to a message.
type MessageSent struct {
	ID      string `json:"id,omitempty"`
	Outcome string `json:"outcome"` // sent, not_on_io, sender_not_allowed, disabled, no_address, invalid_address
}

// LedgerRequest posts the accounting entries of a ledger step.
type LedgerRequest struct {
	Key         string      `json:"key"` // idempotency: pratica, step, sequence
	PraticaID   string      `json:"praticaId"`
	Service     ServiceInfo `json:"service"`
	Kind        string      `json:"kind"`
	Capitolo    string      `json:"capitolo"`
	Articolo    string      `json:"articolo"`
	AmountCents int64       `json:"amountCents"`
	IUV         string      `json:"iuv,omitempty"`
	ReceiptID   string      `json:"receiptId,omitempty"`
}

// LedgerPosted identifies the posted entry.
type LedgerPosted struct {
	EntryID string `json:"entryId"`
}

// DataCheck validates data against a form version.
type DataCheck struct {
	FormID  string         `json:"formId"`
	Version int            `json:"version"`
	Data    map[string]any `json:"data"`
	Lang    string         `json:"lang,omitempty"`
	// Applicant is the pratica's owner, as the form's rules see it.
	Applicant string `json:"applicant,omitempty"`
	// Sent lists the top-level fields the submission sent, merged into Data
	// (nil: all); date bounds relative to today apply to these only. Not
	// omitted when empty: an empty submission sent nothing, which is not "all".
	Sent []string `json:"sent"`
}

// DataChecked is valid data in its normalised form (a codice fiscale upper-cased).
type DataChecked struct {
	Data map[string]any `json:"data"`
}

// Payments issues and invalidates debt positions (pagoPA through the intermediary).
type Payments interface {
	Issue(ctx context.Context, req PaymentRequest) (*PaymentIssued, error)
	Invalidate(ctx context.Context, ente, iupd string) error
}

// Messages sends messages to citizens (App IO, e-mail).
type Messages interface {
	Send(ctx context.Context, req MessageRequest) (*MessageSent, error)
}

// Ledger posts accounting entries.
type Ledger interface {
	Post(ctx context.Context, req LedgerRequest) (*LedgerPosted, error)
}

// Forms validates c.Data against a form version, its rules seeing the
// applicant, and normalises c.Data in place.
type Forms interface {
	Validate(ctx context.Context, c DataCheck) error
}

// IssuePayment issues the debt position of a payment step; idempotent on IUPD.
func (a *Activities) IssuePayment(ctx context.Context, req PaymentRequest) (*PaymentIssued, error) {
	out, err := a.Payments.Issue(ctx, req)
	return out, nonRetryable(err)
}

// InvalidatePayment invalidates an open position (withdrawal, expiry).
func (a *Activities) InvalidatePayment(ctx context.Context, ente, iupd string) error {
	return nonRetryable(a.Payments.Invalidate(ctx, ente, iupd))
}

// SendMessage sends a notify step's message; idempotent on the request key.
func (a *Activities) SendMessage(ctx context.Context, req MessageRequest) (*MessageSent, error) {
	out, err := a.Messages.Send(ctx, req)
	return out, nonRetryable(err)
}

// PostLedger posts a ledger step's entries; idempotent on the request key.
func (a *Activities) PostLedger(ctx context.Context, req LedgerRequest) (*LedgerPosted, error) {
	out, err := a.Ledger.Post(ctx, req)
	return out, nonRetryable(err)
}

// ValidateData checks data against a form; a failure lists every field at once.
// Valid data comes back normalised, for the workflow to keep.
func (a *Activities) ValidateData(ctx context.Context, c DataCheck) (*DataChecked, error) {
	if a.Forms == nil {
		return &DataChecked{Data: c.Data}, nil
	}
	if err := a.Forms.Validate(ctx, c); err != nil {
		return nil, nonRetryable(err)
	}
	return &DataChecked{Data: c.Data}, nil
}
