// Package workflows holds deterministic code only: the Pratica interpreter and the
// bulk and reconciliation workflows. Names registered here are persisted in
// histories: never rename one.
package workflows

import (
	"time"

	"github.com/sportello/sportello/activities"
)

// Workflow, update, query and signal names.
const (
	PraticaWorkflow = "Pratica"
	ActionUpdate    = "action"
	StateQuery      = "state"
	ReceiptSignal   = "receipt"
)

// DefaultTaskQueue is where pratiche run unless configured otherwise.
const DefaultTaskQueue = "sportello"

// PraticaWorkflowID is the workflow id of a pratica: its random id only, never
// personal data (DESIGN decision 2).
func PraticaWorkflowID(praticaID string) string { return "pratica-" + praticaID }

// PraticaInput starts a pratica on a pinned, published template version.
type PraticaInput struct {
	PraticaID string `json:"praticaId"`
	Ente      string `json:"ente"`
	Service   string `json:"service"`
	Template  string `json:"template"`
	Version   int    `json:"version"`
	Hash      string `json:"hash"`
	Owner     string `json:"owner"`
	// OwnerName is the citizen's name from the sign-in: pagoPA notices name the
	// debtor by it. Histories recorded before it carry none, and then the
	// codice fiscale stands in, as it always did.
	OwnerName string `json:"ownerName,omitempty"`
	Lang      string `json:"lang,omitempty"`
	// Data is the citizen's first submission, already validated against the form.
	Data map[string]any `json:"data"`
	// Carry is set when the workflow continues as new: the state to resume from.
	Carry *Carry `json:"carry,omitempty"`
	// ContinueAfter, when set, continues as new after that many steps in one run,
	// besides the history-length rule (tests exercise the hand-over with it).
	ContinueAfter int `json:"continueAfter,omitempty"`
}

// Carry is the interpreter's state handed over by continue-as-new.
type Carry struct {
	Seq     int64          `json:"seq"`
	Step    string         `json:"step"`
	Status  string         `json:"status"`
	Data    map[string]any `json:"data"`
	Vars    map[string]any `json:"vars,omitempty"`
	Started time.Time      `json:"started"`
	Holder  string         `json:"holder,omitempty"`
	Office  string         `json:"office,omitempty"`
	// Positions are the open debt positions: notice number → iupd.
	Positions map[string]string `json:"positions,omitempty"`
	Clock     *LegalClock       `json:"clock,omitempty"`
	// Receipts that arrived before their payment step, by notice number.
	Receipts map[string]ReceiptArrived `json:"receipts,omitempty"`
	// LastPayment is the notice of the last payment step, for the notify and
	// ledger steps after the hand-over.
	LastPayment *activities.PaymentIssued `json:"lastPayment,omitempty"`
}

// LegalClock is the running legal term of a pratica.
type LegalClock struct {
	Due        time.Time `json:"due"`
	Working    bool      `json:"working,omitempty"`
	Patron     string    `json:"patron,omitempty"`
	OnExpiry   string    `json:"onExpiry"`
	Substitute string    `json:"substitute,omitempty"`
	Next       string    `json:"next,omitempty"`
	// Suspended is set while the citizen owes an integration; Remaining keeps the
	// days of the term left at that moment (L. 241/1990 art. 2 c. 7).
	Suspended bool `json:"suspended,omitempty"`
	Remaining int  `json:"remaining,omitempty"`
	Expired   bool `json:"expired,omitempty"`
}

// ReceiptArrived is the signal a payment receipt (RT) sends to its pratica.
type ReceiptArrived struct {
	NoticeNumber string    `json:"noticeNumber"`
	IUPD         string    `json:"iupd,omitempty"`
	ReceiptID    string    `json:"receiptId"`
	AmountCents  int64     `json:"amountCents"`
	PaidAt       time.Time `json:"paidAt"`
	PSP          string    `json:"psp,omitempty"`
}

// Actor is who performs an action on a pratica.
type Actor struct {
	Subject string `json:"subject"`
	Role    string `json:"role"`
	Ente    string `json:"ente,omitempty"`
	Office  string `json:"office,omitempty"`
}

// ActionRequest is an update sent by the citizen or an operator.
type ActionRequest struct {
	Action string         `json:"action"`
	Actor  Actor          `json:"actor"`
	Task   string         `json:"task,omitempty"` // the step of the task being completed
	Data   map[string]any `json:"data,omitempty"`
	Reason string         `json:"reason,omitempty"`
}

// ActionResult answers an accepted action.
type ActionResult struct {
	Status  string   `json:"status"`
	Step    string   `json:"step"`
	Actions []string `json:"actions"`
}

// State answers the state query.
type State struct {
	Status  string   `json:"status"`
	Step    string   `json:"step"`
	Actions []string `json:"actions"`
}

// NotAllowed is the ApplicationError type of a refused action; its details carry
// the actions allowed now.
const NotAllowed = "not_allowed"
