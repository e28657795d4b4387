package issuance

import (
	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/calendar"
)

// messageOption picks the option a message is about: for the notice the
// first one due that is unpaid (the single option first on a tie), for a
// reminder the installment's option while it and the single option are unpaid.
func messageOption(opts []OptionState, kind string, inst int) (OptionState, bool) {
	for _, o := range opts {
		if !o.Installment && o.Paid {
			return OptionState{}, false // paid in full
		}
	}
	if kind == KindNotice {
		var best *OptionState
		for i := range opts {
			if !opts[i].Paid && (best == nil || opts[i].DueDate.Before(best.DueDate)) {
				best = &opts[i]
			}
		}
		if best == nil {
			return OptionState{}, false
		}
		return *best, true
	}
	n := 0
	for _, o := range opts {
		if inst == 0 && !o.Installment {
			return o, !o.Paid
		}
		if o.Installment {
			n++
			if n == inst {
				return o, !o.Paid
			}
		}
	}
	return OptionState{}, false
}

// message builds the IO message: texts in the campaign's language, the
// payment data of opt with the ente as payee, the due date.
func (a *Activities) message(c *Campaign, in MessagesInput, r *recipient, opt OptionState) *appio.NewMessage {
	due := opt.DueDate
	t := texts(c.Plan.Lang)
	var subject, body string
	inst := 0
	for _, o := range r.Options {
		if o.Installment {
			inst++
		}
	}
	date := due.In(calendar.Rome).Format("02/01/2006")
	if in.Kind == KindNotice {
		subject, body = t.notice(c, r, opt, date, inst)
	} else {
		subject, body = t.reminder(c, r, opt, date, in.Installment, inst)
	}
	return &appio.NewMessage{FiscalCode: r.FiscalCode, Content: appio.Content{Subject: clip(subject, appio.SubjectMax), Markdown: body, DueDate: &due,
		PaymentData: &appio.PaymentData{Amount: opt.Amount, NoticeNumber: opt.NoticeNumber, Payee: &appio.Payee{FiscalCode: c.OrgFiscalCode}}}}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
