package modeler

import (
	"fmt"

	"github.com/sportello/sportello/errs"
)

// Warnings lists what a template allows but probably does not mean; unlike
// problems they do not stop publishing. Today: a notify step "with payment"
// that can only run once a payment step has its receipt, so it would tell the
// citizen how to pay a notice already paid (the payment step's own notify,
// sent when the notice is issued, is the place for the payment data).
func Warnings(t *Template) []errs.FieldError {
	idx := t.stepIndex()
	// Steps reachable from the start without leaving a payment step by its
	// "paid" exit: where the citizen may still owe the payment.
	before := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		i, ok := idx[id]
		if !ok || before[id] {
			return
		}
		before[id] = true
		s := &t.Steps[i].Step
		for _, next := range successors(s) {
			if s.Type == StepPayment && next == s.Next && (s.Payment == nil || next != s.Payment.OnExpiry) {
				continue
			}
			walk(next)
		}
	}
	walk(t.Start)
	var out []errs.FieldError
	for i, s := range t.Steps {
		if s.Type != StepNotify || s.Notify == nil || !s.Notify.WithPayment || before[s.ID] || !hasType(t, StepPayment) {
			continue
		}
		out = append(out, errs.FieldError{Field: fmt.Sprintf("/steps/%d/notify/withPayment", i),
			Message: "runs only after the payment is settled: the citizen would get the data to pay a notice already paid; " +
				"send the payment data with the payment step's notify (at issuance) and make this a plain confirmation / " +
				"il messaggio parte solo a pagamento avvenuto: usa la notifica del passo di pagamento (all'emissione) per i dati di pagamento"})
	}
	return out
}
