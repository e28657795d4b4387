package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

// paymentV2 guards the payment step that completes on the single option or on
// every installment, reads the stored receipts, notifies at issuance and closes
// paid positions without failing. Pratiche whose payment step ran before it
// replay the first version.
const paymentV2 = "payment-v2"

// How often a waiting payment step reads the stored receipts, in case a
// receipt's signal was lost (a restart, a node giving up): hourly on the first
// day, when most notices are paid, then daily, so a TARI plan waiting 180 days
// adds a few hundred events to its history, not thousands (the hourly
// PaidSweep schedule re-signals lost receipts meanwhile).
const (
	receiptCheckFirst = time.Hour
	receiptCheckLater = 24 * time.Hour
)

func receiptCheckAfter(waited time.Duration) time.Duration {
	if waited < day {
		return receiptCheckFirst
	}
	return receiptCheckLater
}

func (r *run) paymentVersion(ctx workflow.Context) workflow.Version {
	return workflow.GetVersion(ctx, paymentV2, workflow.DefaultVersion, 1)
}

// paymentPlan is what a payment step waits for: the single option, or every installment.
type paymentPlan struct {
	issued   activities.PaymentIssued
	expiry   time.Time
	seen     map[string]bool // installments already on the timeline
	reminded map[string]bool // notices already reminded
}

func (pl *paymentPlan) notices() []string {
	out := []string{pl.issued.NoticeNumber}
	for _, in := range pl.issued.Installments {
		out = append(out, in.NoticeNumber)
	}
	return out
}

// awaitPayment waits until the single option or every installment is paid,
// reading the stored receipts when it starts and every hour, reminding before
// the due dates, and gives up at the expiry (after the last due date).
func (r *run) awaitPayment(ctx workflow.Context, s *modeler.Step, issued activities.PaymentIssued, expiry time.Time) (string, string, error) {
	pl := &paymentPlan{issued: issued, expiry: expiry, seen: map[string]bool{}, reminded: map[string]bool{}}
	for _, in := range issued.Installments {
		if in.DueDate.After(pl.expiry) {
			pl.expiry = in.DueDate
		}
	}
	if n := s.Payment.Notify; n != nil {
		if err := r.paymentMessage(ctx, s, n, issued, "issued"); err != nil {
			return "", "", err
		}
	}
	if err := r.checkStoredReceipts(ctx, issued.IUPD, pl); err != nil {
		return "", "", err
	}
	since := workflow.Now(ctx)
	nextCheck := since.Add(receiptCheckFirst)
	for {
		if err := r.recordInstallments(ctx, pl); err != nil {
			return "", "", err
		}
		if paid, receipt := r.planPaid(pl); paid {
			return r.paymentDone(ctx, s, pl, receipt)
		}
		now := workflow.Now(ctx)
		if !now.Before(pl.expiry) {
			return r.planExpired(ctx, s, pl)
		}
		remindAt, remind := r.nextReminder(s, pl)
		wake := minTime(pl.expiry, nextCheck)
		if remind != nil && remindAt.Before(wake) {
			wake = remindAt
		}
		known := r.knownReceipts(pl)
		if wait := wake.Sub(now); wait > 0 {
			moved, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return r.knownReceipts(pl) != known })
			if err != nil {
				return "", "", err
			}
			if moved {
				continue
			}
		}
		now = workflow.Now(ctx)
		if remind != nil && !now.Before(remindAt) {
			pl.reminded[remind.NoticeNumber] = true
			if err := r.paymentMessage(ctx, s, s.Payment.Notify, *remind, "reminder"); err != nil {
				return "", "", err
			}
		}
		if !now.Before(nextCheck) {
			nextCheck = now.Add(receiptCheckAfter(now.Sub(since)))
			if err := r.checkStoredReceipts(ctx, issued.IUPD, pl); err != nil {
				return "", "", err
			}
		}
	}
}

func (r *run) knownReceipts(pl *paymentPlan) int {
	n := 0
	for _, notice := range pl.notices() {
		if _, ok := r.receipts[notice]; ok {
			n++
		}
	}
	return n
}

// planPaid says whether the plan is settled, and by which receipt (the last one).
func (r *run) planPaid(pl *paymentPlan) (bool, ReceiptArrived) {
	if rc, ok := r.receipts[pl.issued.NoticeNumber]; ok {
		return true, rc
	}
	if len(pl.issued.Installments) == 0 {
		return false, ReceiptArrived{}
	}
	var last ReceiptArrived
	for _, in := range pl.issued.Installments {
		rc, ok := r.receipts[in.NoticeNumber]
		if !ok {
			return false, ReceiptArrived{}
		}
		last = rc
	}
	return true, last
}

// checkStoredReceipts reads the receipts our database holds for the position
// and takes those whose signal never came.
func (r *run) checkStoredReceipts(ctx workflow.Context, iupd string, pl *paymentPlan) error {
	var st activities.PositionState
	if err := workflow.ExecuteActivity(dbCtx(ctx), activities.PaymentState, activities.PositionRef{Ente: r.in.Ente, IUPD: iupd}).Get(ctx, &st); err != nil {
		return err
	}
	r.takeStored(&st)
	return nil
}

func (r *run) takeStored(st *activities.PositionState) {
	for _, o := range st.Paid() {
		if _, ok := r.receipts[o.NoticeNumber]; ok {
			continue
		}
		rc := ReceiptArrived{NoticeNumber: o.NoticeNumber, IUPD: st.IUPD, ReceiptID: o.ReceiptID, AmountCents: o.AmountCents, PSP: "stored"}
		if o.PaidAt != nil {
			rc.PaidAt = *o.PaidAt
		}
		r.receipts[o.NoticeNumber] = rc
	}
}

// recordInstallments puts each installment received on the timeline once.
func (r *run) recordInstallments(ctx workflow.Context, pl *paymentPlan) error {
	total := len(pl.issued.Installments)
	for i, in := range pl.issued.Installments {
		rc, ok := r.receipts[in.NoticeNumber]
		if !ok || pl.seen[in.NoticeNumber] {
			continue
		}
		pl.seen[in.NoticeNumber] = true
		paid := 0
		for _, other := range pl.issued.Installments {
			if _, ok := r.receipts[other.NoticeNumber]; ok {
				paid++
			}
		}
		n := fmt.Sprintf("%d/%d", i+1, total)
		if err := r.record(ctx, pratica.Transition{Kind: "installment_received",
			Detail: map[string]any{"noticeNumber": in.NoticeNumber, "installment": i + 1, "of": total, "paid": paid,
				"receiptId": rc.ReceiptID, "amountCents": rc.AmountCents},
			MessageIT: "Rata " + n + " pagata: " + euro(rc.AmountCents) + " (ricevuta " + rc.ReceiptID + ")",
			MessageEN: "Installment " + n + " paid: " + euro(rc.AmountCents) + " (receipt " + rc.ReceiptID + ")"}); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) paymentDone(ctx workflow.Context, s *modeler.Step, pl *paymentPlan, rc ReceiptArrived) (string, string, error) {
	delete(r.positions, pl.issued.NoticeNumber)
	p := r.vars["payment"].(map[string]any)
	p["paid"], p["receiptId"] = true, rc.ReceiptID
	r.status = pratica.PaymentSuccess
	detail := map[string]any{"noticeNumber": rc.NoticeNumber, "receiptId": rc.ReceiptID, "amountCents": rc.AmountCents, "psp": rc.PSP}
	it, en := "Pagamento ricevuto (ricevuta "+rc.ReceiptID+")", "Payment received (receipt "+rc.ReceiptID+")"
	if rc.NoticeNumber != pl.issued.NoticeNumber {
		detail["installments"] = len(pl.issued.Installments)
		detail["amountCents"] = pl.issued.AmountCents
		it = fmt.Sprintf("Pagamento completato: tutte le %d rate ricevute", len(pl.issued.Installments))
		en = fmt.Sprintf("Payment complete: all %d installments received", len(pl.issued.Installments))
	}
	err := r.record(ctx, pratica.Transition{Kind: "payment_received", Detail: detail, MessageIT: it, MessageEN: en})
	return s.Next, "", err
}

// planExpired closes the position at the expiry. A receipt found then (its
// signal lost) settles the step after all; an unfinished plan keeps its paid
// installments and takes onExpiry.
func (r *run) planExpired(ctx workflow.Context, s *modeler.Step, pl *paymentPlan) (string, string, error) {
	var st activities.PositionState
	if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.ClosePayment,
		activities.PositionRef{Ente: r.in.Ente, IUPD: pl.issued.IUPD}).Get(ctx, &st); err != nil {
		return "", "", err
	}
	r.takeStored(&st)
	if err := r.recordInstallments(ctx, pl); err != nil {
		return "", "", err
	}
	if paid, rc := r.planPaid(pl); paid {
		return r.paymentDone(ctx, s, pl, rc)
	}
	delete(r.positions, pl.issued.NoticeNumber)
	r.status = pratica.PaymentFailed
	detail := map[string]any{"noticeNumber": pl.issued.NoticeNumber, "closed": st.Outcome}
	it, en := "Avviso "+pl.issued.NoticeNumber+" scaduto senza pagamento", "Notice "+pl.issued.NoticeNumber+" expired unpaid"
	if paid := st.Paid(); len(paid) > 0 {
		detail["paidInstallments"] = len(paid)
		it = fmt.Sprintf("Avviso %s scaduto: pagate %d rate su %d, le altre non sono più pagabili", pl.issued.NoticeNumber, len(paid), len(pl.issued.Installments))
		en = fmt.Sprintf("Notice %s expired: %d of %d installments paid, the others can no longer be paid", pl.issued.NoticeNumber, len(paid), len(pl.issued.Installments))
	}
	if err := r.record(ctx, pratica.Transition{Kind: "payment_expired", Detail: detail, MessageIT: it, MessageEN: en}); err != nil {
		return "", "", err
	}
	if s.Payment.OnExpiry != "" {
		return s.Payment.OnExpiry, "", nil
	}
	_, outcome, err := r.end(ctx, &modeler.Step{ID: s.ID, Type: modeler.StepEnd, End: &modeler.EndStep{Outcome: "rejected",
		Message: modeler.Text{IT: "Pratica respinta: pagamento non effettuato entro la scadenza", EN: "Pratica rejected: not paid in time"}}})
	return "", outcome, err
}

// nextReminder is the earliest reminder still to send: RemindDays before the
// due date of the single option (no installment paid) or of each unpaid installment.
func (r *run) nextReminder(s *modeler.Step, pl *paymentPlan) (time.Time, *activities.PaymentIssued) {
	n := s.Payment.Notify
	if n == nil || n.RemindDays <= 0 {
		return time.Time{}, nil
	}
	before := time.Duration(n.RemindDays) * day
	var at time.Time
	var which *activities.PaymentIssued
	consider := func(p activities.PaymentIssued) {
		if pl.reminded[p.NoticeNumber] {
			return
		}
		if _, paid := r.receipts[p.NoticeNumber]; paid {
			return
		}
		t := p.DueDate.Add(-before)
		if which == nil || t.Before(at) {
			at, which = t, &p
		}
	}
	instPaid := false
	for _, in := range pl.issued.Installments {
		if _, ok := r.receipts[in.NoticeNumber]; ok {
			instPaid = true
		}
	}
	if len(pl.issued.Installments) == 0 || !instPaid {
		consider(pl.issued)
	}
	for i, in := range pl.issued.Installments {
		// The first installment falls due with the single option: one reminder covers both.
		if i == 0 && !instPaid && in.DueDate.Equal(pl.issued.DueDate) {
			continue
		}
		p := pl.issued
		p.NoticeNumber, p.IUV, p.AmountCents, p.DueDate, p.PayURL, p.Installments = in.NoticeNumber, in.IUV, in.AmountCents, in.DueDate, in.PayURL, nil
		consider(p)
	}
	return at, which
}

// paymentMessage sends the payment step's message with the payment data of
// notice p: at issuance, or as a reminder. The timeline records it.
func (r *run) paymentMessage(ctx workflow.Context, s *modeler.Step, n *modeler.PaymentNotice, p activities.PaymentIssued, kind string) error {
	lang := r.in.Lang
	// The texts speak of the notice being sent: a reminder's installment, say.
	vars := make(map[string]any, len(r.vars))
	for k, v := range r.vars {
		vars[k] = v
	}
	pay := map[string]any{}
	if cur, ok := r.vars["payment"].(map[string]any); ok {
		for k, v := range cur {
			pay[k] = v
		}
	}
	pay["noticeNumber"], pay["iuv"], pay["amountCents"], pay["amount"] = p.NoticeNumber, p.IUV, p.AmountCents, euro(p.AmountCents)
	pay["dueDate"], pay["payUrl"] = p.DueDate.In(calendar.Rome).Format("02/01/2006"), p.PayURL
	vars["payment"] = pay
	subject, err := r.plan.RenderText(n.Subject.In(lang), r.data, vars)
	if err != nil {
		return invalidPlan("payment "+s.ID+" notify", err)
	}
	body, err := r.renderBody(n.Channel, n.Markdown.In(lang), vars)
	if err != nil {
		return invalidPlan("payment "+s.ID+" notify", err)
	}
	if kind == "reminder" {
		switch lang {
		case "en":
			subject = "Reminder: " + subject
		case "sl":
			subject = "Opomnik: " + subject
		default:
			subject = "Promemoria: " + subject
		}
		if r := []rune(subject); len(r) > modeler.IOSubjectMax {
			subject = string(r[:modeler.IOSubjectMax])
		}
	}
	channel := n.Channel
	if channel == "" {
		channel = "appio"
	}
	req := activities.MessageRequest{Key: fmt.Sprintf("%s/%s/%d/%s/%s", r.in.PraticaID, s.ID, r.seq, kind, p.NoticeNumber), PraticaID: r.in.PraticaID,
		Service: r.svc, FiscalCode: r.in.Owner, Channel: channel, Subject: subject, Markdown: body, Payment: &p}
	var sent activities.MessageSent
	if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.SendMessage, req).Get(ctx, &sent); err != nil {
		if temporal.IsCanceledError(err) {
			return err
		}
		// The notice stands and the status API shows how to pay it: a message
		// that cannot be sent must not stop the payment step.
		return r.record(ctx, pratica.Transition{Kind: "message_failed",
			Detail:    map[string]any{"channel": channel, "subject": subject, "noticeNumber": p.NoticeNumber, "purpose": kind, "error": err.Error()},
			MessageIT: "Messaggio non inviato: " + subject, MessageEN: "Message not sent: " + subject})
	}
	it, en := "Avviso di pagamento inviato su App IO: "+subject, "Payment notice sent on App IO: "+subject
	if kind == "reminder" {
		it, en = "Promemoria di pagamento inviato su App IO: "+subject, "Payment reminder sent on App IO: "+subject
	}
	if sent.Outcome != "sent" {
		it, en = "Messaggio non inviato ("+sent.Outcome+"): "+subject, "Message not sent ("+sent.Outcome+"): "+subject
	}
	return r.record(ctx, pratica.Transition{Kind: "message_sent",
		Detail:    map[string]any{"channel": channel, "messageId": sent.ID, "outcome": sent.Outcome, "subject": subject, "noticeNumber": p.NoticeNumber, "purpose": kind},
		MessageIT: it, MessageEN: en})
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func invalidPlan(what string, err error) error {
	return temporal.NewNonRetryableApplicationError(what+": "+err.Error(), "invalid_plan", nil)
}
