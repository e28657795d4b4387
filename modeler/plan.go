package modeler

// Plan is a published, resolved template version compiled for execution: the
// one input of the Pratica interpreter. It is JSON-serialisable, because the
// interpreter loads it through an activity so the history records exactly what ran.
//
// Written by the lead for the interpreter (workflows/pratica.go); the modeller
// compiles templates into it. Fields are only ever added, never renamed: plans
// live inside workflow histories.
type Plan struct {
	TemplateID string           `json:"templateId"`
	Version    int              `json:"version"`
	Hash       string           `json:"hash"`
	Ente       string           `json:"ente,omitempty"` // set for an ente's resolved overlay
	Title      Text             `json:"title"`
	Start      string           `json:"start"` // the first step; a leading form step is the start submission
	Steps      map[string]*Step `json:"steps"`
	// Deadline is the procedure's legal term, counted from the submission.
	Deadline *Deadline `json:"deadline,omitempty"`

	exprs exprCache
}

// Step types.
const (
	StepForm     = "form"
	StepTask     = "task"
	StepPayment  = "payment"
	StepNotify   = "notify"
	StepLedger   = "ledger"
	StepWait     = "wait"
	StepDeadline = "deadline"
	StepDecision = "decision"
	StepParallel = "parallel"
	StepEnd      = "end"
)

// Step is one node of the plan; the field matching Type holds its configuration.
type Step struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title Text   `json:"title"`
	Next  string `json:"next,omitempty"`

	Form     *FormStep     `json:"form,omitempty"`
	Task     *TaskStep     `json:"task,omitempty"`
	Payment  *PaymentStep  `json:"payment,omitempty"`
	Notify   *NotifyStep   `json:"notify,omitempty"`
	Ledger   *LedgerStep   `json:"ledger,omitempty"`
	Wait     *WaitStep     `json:"wait,omitempty"`
	Deadline *Deadline     `json:"deadline,omitempty"`
	Decision *DecisionStep `json:"decision,omitempty"`
	Parallel *ParallelStep `json:"parallel,omitempty"`
	End      *EndStep      `json:"end,omitempty"`
}

// Text is a text in Italian and English, and optionally Slovenian (the
// language of the Slovenian minority of Friuli Venezia Giulia); any may hold
// {{placeholders}}.
type Text struct {
	IT string `json:"it"`
	EN string `json:"en"`
	SL string `json:"sl,omitempty"`
}

// In returns the text in lang, falling back to Italian.
func (t Text) In(lang string) string {
	switch {
	case lang == "en" && t.EN != "":
		return t.EN
	case lang == "sl" && t.SL != "":
		return t.SL
	}
	return t.IT
}

// langs are the texts of t by language, Slovenian only when given.
func (t Text) langs() map[string]string {
	m := map[string]string{"it": t.IT, "en": t.EN}
	if t.SL != "" {
		m["sl"] = t.SL
	}
	return m
}

// FormStep asks the citizen for data against a form version. At the start of a
// plan it is the submission that started the pratica.
type FormStep struct {
	FormID  string `json:"formId"`
	Version int    `json:"version"`
}

// TaskStep is a human task for a role, optionally of one office.
type TaskStep struct {
	Role   string `json:"role"`             // operator, ...
	Office string `json:"office,omitempty"` // e.g. stato-civile
	// Outcomes are the actions that complete the task and where each leads.
	Outcomes []Outcome `json:"outcomes"`
	// FormID validates the data an operator sends with the outcome.
	FormID  string `json:"formId,omitempty"`
	Version int    `json:"formVersion,omitempty"`
}

// Outcome is one way to complete a task.
type Outcome struct {
	Action string `json:"action"` // approve, reject, acknowledge, request_integration, ...
	Label  Text   `json:"label"`
	Next   string `json:"next"`
	// ReasonRequired makes a reason mandatory (a rejection must say why).
	ReasonRequired bool `json:"reasonRequired,omitempty"`
	// Integration marks the request of an integration: the citizen answers with
	// the "integrate" action, the legal clock stops meanwhile, and the task opens again.
	Integration bool `json:"integration,omitempty"`
}

// PaymentStep issues a debt position and waits for its receipt.
type PaymentStep struct {
	// AmountCents is a fixed amount; AmountExpr an expression over data giving cents.
	AmountCents int64  `json:"amountCents,omitempty"`
	AmountExpr  string `json:"amountExpr,omitempty"`
	Taxonomy    string `json:"taxonomy"` // "9/0101101IM/"-style code
	Remittance  Text   `json:"remittance"`
	// Transfers split the amount (multi-IBAN); empty means one transfer of the whole to the ente's IBAN.
	Transfers []Transfer `json:"transfers,omitempty"`
	// Installments, when set, split the amount over due dates (days from issue).
	Installments []Installment `json:"installments,omitempty"`
	// DueDays after issue; ExpiryDays after which the position expires unpaid.
	DueDays    int `json:"dueDays"`
	ExpiryDays int `json:"expiryDays"`
	// OnExpiry is the step taken when no receipt arrives in time (default: end
	// rejected); with installments, when the plan is unfinished at the expiry.
	OnExpiry string `json:"onExpiry,omitempty"`
	// Notify, when set, tells the citizen how to pay as soon as the notice is
	// issued, and reminds them before the due dates while unpaid.
	Notify *PaymentNotice `json:"notify,omitempty"`
}

// PaymentNotice is the message of a payment step: sent with the notice's
// payment data when it is issued, before the step waits for the receipt.
type PaymentNotice struct {
	Channel  string `json:"channel"` // appio, email
	Subject  Text   `json:"subject"`
	Markdown Text   `json:"markdown"`
	// RemindDays, when positive, sends it again that many days before each
	// due date still unpaid (the single payment's, or each installment's).
	RemindDays int `json:"remindDays,omitempty"`
}

// Transfer is one part of a payment to one beneficiary.
type Transfer struct {
	IBAN        string `json:"iban,omitempty"`        // empty: the ente's IBAN
	FiscalCode  string `json:"fiscalCode,omitempty"`  // beneficiary; empty: the ente
	AmountCents int64  `json:"amountCents,omitempty"` // fixed part
	Percent     int    `json:"percent,omitempty"`     // or a share of the amount (0-100)
	Taxonomy    string `json:"taxonomy,omitempty"`    // empty: the step's taxonomy
	Remittance  string `json:"remittance,omitempty"`
}

// Installment is one rate of a payment.
type Installment struct {
	Percent int `json:"percent"`
	DueDays int `json:"dueDays"`
}

// NotifyStep sends a message to the citizen.
type NotifyStep struct {
	Channel string `json:"channel"` // appio, email
	// To is the e-mail recipient of an email step: a text with placeholders
	// taken from the pratica's data, e.g. "{{data.email}}". App IO messages go
	// to the citizen's codice fiscale and take no To.
	To       string `json:"to,omitempty"`
	Subject  Text   `json:"subject"`
	Markdown Text   `json:"markdown"`
	// WithPayment attaches the payment data of the last payment step (notice number, amount, due date).
	WithPayment bool `json:"withPayment,omitempty"`
}

// LedgerStep posts accounting entries from the service's accounting references.
type LedgerStep struct {
	Kind     string `json:"kind"` // accertamento, reversale
	Capitolo string `json:"capitolo,omitempty"`
	Articolo string `json:"articolo,omitempty"`
}

// WaitStep waits for a duration or until a date taken from the data.
type WaitStep struct {
	Duration  string `json:"duration,omitempty"`  // Go duration, e.g. "72h"
	UntilExpr string `json:"untilExpr,omitempty"` // expression giving an RFC 3339 date or time
}

// Deadline is a legal term: the deadline step starts it; integrations suspend it.
type Deadline struct {
	Days    int    `json:"days"`
	Working bool   `json:"working,omitempty"` // working days (Italian holidays and the patron saint excluded)
	Patron  string `json:"patron,omitempty"`  // the ente's patron saint's day, "MM-DD"
	// OnExpiry: "escalate" to the potere sostitutivo, or "silenzio-assenso".
	OnExpiry   string `json:"onExpiry"`
	Substitute string `json:"substitute,omitempty"` // office or role holding the potere sostitutivo
	// Next, when set, is the step taken on silenzio-assenso.
	Next string `json:"next,omitempty"`
}

// DecisionStep branches on expressions over the pratica's data.
type DecisionStep struct {
	Cases   []Case `json:"cases"`
	Default string `json:"default,omitempty"`
}

// Case is one branch of a decision.
type Case struct {
	When string `json:"when"` // expression giving a boolean
	Next string `json:"next"`
}

// ParallelStep runs branches that must all finish, then goes to Next.
type ParallelStep struct {
	Branches []string `json:"branches"` // first step of each branch; each branch ends at a step whose Next is ""
}

// EndStep closes the pratica.
type EndStep struct {
	Outcome string `json:"outcome"` // accepted, rejected, withdrawn, silenzio-assenso
	Message Text   `json:"message"`
}
