// Package ledger reconciles what the ente was paid: pagoPA receipts, the PSPs'
// flussi di rendicontazione (FdR) and the treasury's giornale di cassa. It posts
// double-entry accounting entries for what matches and queues the rest for
// operators. Formats live in the fdr and opi subpackages.
package ledger

import (
	"context"
	"time"

	"github.com/sportello/sportello/errs"
)

// Receipt is a payment receipt (RT) as reconciliation needs it; amounts in cents.
type Receipt struct {
	EnteCF    string    `json:"enteFiscalCode"`
	IUV       string    `json:"iuv"`
	IUR       string    `json:"iur"`
	ReceiptID string    `json:"receiptId,omitempty"`
	Amount    int64     `json:"amount"` // the part of the payment that goes to this ente
	PaidAt    time.Time `json:"paidAt"`
	PSP       string    `json:"psp,omitempty"`
	PraticaID string    `json:"praticaId,omitempty"`
	Position  string    `json:"position,omitempty"` // IUPD of the debt position
	Service   string    `json:"service,omitempty"`  // catalog service, e.g. c_l424.matrimonio
}

// Receipts reads the receipts the payments area stored; the lead adapts it.
type Receipts interface {
	ReceiptsBetween(ctx context.Context, enteCF string, from, to time.Time) ([]Receipt, error)
}

// Positions finds the pratica and debt position (IUPD) of an IUV, for queue
// items that have no receipt to tell them; the lead adapts the payments store.
type Positions interface {
	ByIUV(ctx context.Context, enteCF, iuv string) (praticaID, iupd string, err error)
}

// Entes resolves an ente's fiscal code (what flows carry) to its IPA code and back.
type Entes interface {
	ByFiscalCode(ctx context.Context, fiscalCode string) (string, error)
	FiscalCode(ctx context.Context, ente string) (string, error)
}

// StaticEntes is an Entes from a fixed map, fiscal code to IPA code.
type StaticEntes map[string]string

// ByFiscalCode returns the IPA code of fiscalCode.
func (s StaticEntes) ByFiscalCode(_ context.Context, fiscalCode string) (string, error) {
	if e, ok := s[fiscalCode]; ok {
		return e, nil
	}
	return "", errs.E(errs.NotFound, "no ente has fiscal code %s", fiscalCode)
}

// FiscalCode returns the fiscal code of the ente with IPA code ente.
func (s StaticEntes) FiscalCode(_ context.Context, ente string) (string, error) {
	for cf, e := range s {
		if e == ente {
			return cf, nil
		}
	}
	return "", errs.E(errs.NotFound, "ente %s not found", ente)
}

// DemoEntes knows the demo's Comune di Trieste.
var DemoEntes = StaticEntes{"00210240321": "c_l424"}

// Capitolo is the budget chapter and article an income is booked on.
type Capitolo struct {
	Capitolo string `json:"capitolo"`
	Articolo string `json:"articolo"`
}

// Chart gives the capitolo and articolo of a catalog service's income.
type Chart interface {
	Capitolo(ctx context.Context, ente, service string) (Capitolo, error)
}

// StaticChart maps services to chapters, with a default for the rest.
type StaticChart struct {
	Default   Capitolo
	ByService map[string]Capitolo
}

// Capitolo returns the chapter of service, or the default.
func (c StaticChart) Capitolo(_ context.Context, _, service string) (Capitolo, error) {
	if v, ok := c.ByService[service]; ok {
		return v, nil
	}
	return c.Default, nil
}

// Outcome classifies one item of a reconciliation.
type Outcome string

// The outcomes. Pending items are waiting within their grace period.
const (
	Reconciled         Outcome = "reconciled"
	Pending            Outcome = "pending"
	AmountMismatch     Outcome = "amount_mismatch"
	FlowWithoutCredit  Outcome = "fdr_without_credit"
	CreditWithoutFlow  Outcome = "credit_without_fdr"
	ReceiptWithoutFlow Outcome = "receipt_without_fdr"
	UnknownIUV         Outcome = "unknown_iuv"
	// RepeatedLine is an FdR line that repeats another of the same flow (same
	// IUV, IUR and transfer index): counted once, the repeat queued.
	RepeatedLine Outcome = "repeated_fdr_line"
	// Refund is a payment kept for a pratica withdrawn or revoked after it was
	// (partly) paid: the finance office gives the money back.
	Refund Outcome = "refund"
)

// reasons are the texts operators read, Italian and English.
var reasons = map[Outcome][2]string{
	AmountMismatch:     {"Importo diverso da quello atteso", "Amount differs from the expected one"},
	FlowWithoutCredit:  {"Flusso di rendicontazione senza accredito in tesoreria", "Reporting flow without a treasury credit"},
	CreditWithoutFlow:  {"Accredito in tesoreria senza flusso di rendicontazione", "Treasury credit without a reporting flow"},
	ReceiptWithoutFlow: {"Ricevuta di pagamento non rendicontata dal PSP", "Payment receipt not reported by the PSP"},
	UnknownIUV:         {"Pagamento rendicontato con IUV sconosciuto", "Reported payment with an unknown IUV"},
	RepeatedLine:       {"Riga ripetuta nel flusso di rendicontazione: il pagamento è contato una volta sola", "Line repeated in the reporting flow: the payment counts once"},
	Refund:             {"Pagamento di una pratica ritirata o annullata: da rimborsare", "Payment of a withdrawn or revoked pratica: to be refunded"},
}

// Config holds the grace periods of matching, in calendar days.
type Config struct {
	// ReceiptGrace is how long a receipt may wait for its FdR line (N days).
	ReceiptGrace int
	// CreditGrace is how long a flow may wait for its treasury credit.
	CreditGrace int
	// Lookback is how far back a run looks for unmatched items.
	Lookback int
}

// DefaultConfig: PSPs report within two working days, treasuries credit within three.
var DefaultConfig = Config{ReceiptGrace: 4, CreditGrace: 5, Lookback: 45}

// ReceiptsFunc adapts a function, e.g. over the payments store, to Receipts.
type ReceiptsFunc func(ctx context.Context, enteCF string, from, to time.Time) ([]Receipt, error)

// ReceiptsBetween calls f.
func (f ReceiptsFunc) ReceiptsBetween(ctx context.Context, enteCF string, from, to time.Time) ([]Receipt, error) {
	return f(ctx, enteCF, from, to)
}
