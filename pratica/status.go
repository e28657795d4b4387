// Package pratica holds the citizen's case as the database sees it: the
// projection written by the Pratica workflow, its timeline, and the queries the
// status API and the operator inbox read. Temporal holds the execution; this is
// what people look at.
package pratica

// Status is where a pratica stands. Each maps to the numeric practice code used by
// Italian back offices (OpenCity's codes), so exports and integrations speak it.
type Status string

// The statuses and, in Code, their back-office codes. Only the statuses the
// interpreter writes are listed: an integration goes from 4100 straight to
// 6000 (no protocol step registers it), so OpenCity's 4200-4400 are not used.
const (
	Draft                     Status = "draft"                       // 1000
	PaymentPending            Status = "payment_pending"             // 1500
	PaymentSuccess            Status = "payment_success"             // 1520
	PaymentFailed             Status = "payment_failed"              // 1550
	Submitted                 Status = "submitted"                   // 2000
	Registered                Status = "registered"                  // 3000
	InCharge                  Status = "in_charge"                   // 4000
	IntegrationRequested      Status = "integration_requested"       // 4100
	Processing                Status = "processing"                  // 5000
	NeedsAttention            Status = "needs_attention"             // 5900: a step failed on an outside system; an operator retries, skips or cancels
	SubmittedAfterIntegration Status = "submitted_after_integration" // 6000
	Completed                 Status = "completed"                   // 7000
	Rejected                  Status = "rejected"                    // 9000
	Withdrawn                 Status = "withdrawn"                   // 20000
	Revoked                   Status = "revoked"                     // 50000
)

var codes = map[Status]int{
	Draft: 1000, PaymentPending: 1500, PaymentSuccess: 1520, PaymentFailed: 1550,
	Submitted: 2000, Registered: 3000, InCharge: 4000,
	IntegrationRequested: 4100,
	Processing:           5000, NeedsAttention: 5900, SubmittedAfterIntegration: 6000, Completed: 7000, Rejected: 9000,
	Withdrawn: 20000, Revoked: 50000,
}

// labels are each status in Italian, English and Slovenian.
var labels = map[Status][3]string{
	Draft:                     {"Bozza", "Draft", "Osnutek"},
	PaymentPending:            {"In attesa di pagamento", "Awaiting payment", "Čaka na plačilo"},
	PaymentSuccess:            {"Pagamento ricevuto", "Payment received", "Plačilo prejeto"},
	PaymentFailed:             {"Pagamento non riuscito", "Payment failed", "Plačilo ni uspelo"},
	Submitted:                 {"Inviata", "Submitted", "Oddana"},
	Registered:                {"Protocollata", "Registered", "Protokolirana"},
	InCharge:                  {"Presa in carico", "Taken in charge", "Prevzeta v obravnavo"},
	IntegrationRequested:      {"Integrazione richiesta", "Integration requested", "Zahtevana dopolnitev"},
	Processing:                {"In lavorazione", "Processing", "V obdelavi"},
	NeedsAttention:            {"In verifica dopo un errore", "Needs attention after a failure", "V preverjanju po napaki"},
	SubmittedAfterIntegration: {"Inviata dopo integrazione", "Submitted after integration", "Oddana po dopolnitvi"},
	Completed:                 {"Conclusa", "Completed", "Zaključena"},
	Rejected:                  {"Respinta", "Rejected", "Zavrnjena"},
	Withdrawn:                 {"Ritirata", "Withdrawn", "Umaknjena"},
	Revoked:                   {"Annullata", "Revoked", "Preklicana"},
}

// Code is the back-office code of s; 0 for an unknown status.
func (s Status) Code() int { return codes[s] }

// Label is s in Italian (lang "it"), English ("en") or Slovenian ("sl").
func (s Status) Label(lang string) string {
	l, ok := labels[s]
	if !ok {
		return string(s)
	}
	switch lang {
	case "en":
		return l[1]
	case "sl":
		return l[2]
	}
	return l[0]
}

// Final reports whether no further transition can happen.
func (s Status) Final() bool {
	switch s {
	case Completed, Rejected, Withdrawn, Revoked:
		return true
	}
	return false
}

// KindNeedsAttention is the timeline kind of a step failure that waits for an operator.
const KindNeedsAttention = "needs_attention"
