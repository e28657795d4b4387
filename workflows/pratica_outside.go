package workflows

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
)

const day = 24 * time.Hour

// payment issues a debt position, tells the citizen, and waits for the receipt
// (a signal) until the position expires.
func (r *run) payment(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	ps := s.Payment
	amount := ps.AmountCents
	if ps.AmountExpr != "" {
		var err error
		if amount, err = r.plan.EvalCents(ps.AmountExpr, r.data, r.vars); err != nil {
			return "", "", temporal.NewNonRetryableApplicationError("payment "+s.ID+": "+err.Error(), "invalid_plan", nil)
		}
	}
	now := workflow.Now(ctx)
	dueDays, expiryDays := ps.DueDays, ps.ExpiryDays
	if dueDays <= 0 {
		dueDays = 30
	}
	if expiryDays < dueDays {
		expiryDays = dueDays
	}
	taxonomy := ps.Taxonomy
	if taxonomy == "" {
		taxonomy = r.svc.Taxonomy
	}
	remit, _ := r.plan.RenderText(ps.Remittance.In("it"), r.data, r.vars)
	req := activities.PaymentRequest{
		IUPD:      iupd(r.in.PraticaID, s.ID, r.seq+1),
		PraticaID: r.in.PraticaID, Service: r.svc, Debtor: r.in.Owner, DebtorName: r.in.OwnerName,
		AmountCents: amount, Taxonomy: taxonomy, Remittance: remit,
		DueDate: now.Add(time.Duration(dueDays) * day), ExpiryDate: now.Add(time.Duration(expiryDays) * day),
	}
	for _, t := range ps.Transfers {
		part := t.AmountCents
		if t.Percent > 0 {
			part = amount * int64(t.Percent) / 100
		}
		req.Transfers = append(req.Transfers, activities.TransferPart{IBAN: t.IBAN, FiscalCode: t.FiscalCode,
			AmountCents: part, Taxonomy: t.Taxonomy, Remittance: t.Remittance})
	}
	for _, in := range ps.Installments {
		req.Installments = append(req.Installments, activities.InstallmentDue{
			AmountCents: amount * int64(in.Percent) / 100, DueDate: now.Add(time.Duration(in.DueDays) * day)})
	}
	var issued activities.PaymentIssued
	if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.IssuePayment, req).Get(ctx, &issued); err != nil {
		return "", "", err
	}
	r.positions[issued.NoticeNumber] = issued.IUPD
	r.vars["payment"] = map[string]any{"noticeNumber": issued.NoticeNumber, "iuv": issued.IUV, "iupd": issued.IUPD,
		"amountCents": issued.AmountCents, "amount": euro(issued.AmountCents), "dueDate": issued.DueDate.In(calendar.Rome).Format("02/01/2006"),
		"noticeUrl": issued.NoticeURL, "payUrl": issued.PayURL, "paid": false}
	r.lastPayment = &issued
	r.status, r.holder = pratica.PaymentPending, pratica.HolderCitizen
	detail := map[string]any{"noticeNumber": issued.NoticeNumber, "iupd": issued.IUPD, "amountCents": issued.AmountCents,
		"dueDate": issued.DueDate, "noticeUrl": issued.NoticeURL, "payUrl": issued.PayURL}
	if len(issued.Installments) > 0 {
		detail["installments"] = issued.Installments
	}
	if err := r.record(ctx, pratica.Transition{Kind: "payment_requested", Detail: detail,
		MessageIT: "Avviso di pagamento " + issued.NoticeNumber + " di " + euro(issued.AmountCents) + " emesso",
		MessageEN: "Payment notice " + issued.NoticeNumber + " for " + euro(issued.AmountCents) + " issued"}); err != nil {
		return "", "", err
	}
	if r.paymentVersion(ctx) != workflow.DefaultVersion {
		return r.awaitPayment(ctx, s, issued, req.ExpiryDate)
	}
	paid, err := workflow.AwaitWithTimeout(ctx, req.ExpiryDate.Sub(now), func() bool {
		_, ok := r.receipts[issued.NoticeNumber]
		return ok
	})
	if err != nil {
		return "", "", err
	}
	if !paid {
		return r.paymentExpired(ctx, s, issued)
	}
	rc := r.receipts[issued.NoticeNumber]
	delete(r.positions, issued.NoticeNumber)
	r.vars["payment"].(map[string]any)["paid"] = true
	r.vars["payment"].(map[string]any)["receiptId"] = rc.ReceiptID
	r.status = pratica.PaymentSuccess
	err = r.record(ctx, pratica.Transition{Kind: "payment_received",
		Detail:    map[string]any{"noticeNumber": rc.NoticeNumber, "receiptId": rc.ReceiptID, "amountCents": rc.AmountCents, "psp": rc.PSP},
		MessageIT: "Pagamento ricevuto (ricevuta " + rc.ReceiptID + ")", MessageEN: "Payment received (receipt " + rc.ReceiptID + ")"})
	return s.Next, "", err
}

func (r *run) paymentExpired(ctx workflow.Context, s *modeler.Step, issued activities.PaymentIssued) (string, string, error) {
	if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.InvalidatePayment, r.in.Ente, issued.IUPD).Get(ctx, nil); err != nil {
		return "", "", err
	}
	delete(r.positions, issued.NoticeNumber)
	r.status = pratica.PaymentFailed
	if err := r.record(ctx, pratica.Transition{Kind: "payment_expired", Detail: map[string]any{"noticeNumber": issued.NoticeNumber},
		MessageIT: "Avviso " + issued.NoticeNumber + " scaduto senza pagamento",
		MessageEN: "Notice " + issued.NoticeNumber + " expired unpaid"}); err != nil {
		return "", "", err
	}
	if s.Payment.OnExpiry != "" {
		return s.Payment.OnExpiry, "", nil
	}
	_, outcome, err := r.end(ctx, &modeler.Step{ID: s.ID, Type: modeler.StepEnd, End: &modeler.EndStep{Outcome: "rejected",
		Message: modeler.Text{IT: "Pratica respinta: pagamento non effettuato entro la scadenza", EN: "Pratica rejected: not paid in time"}}})
	return "", outcome, err
}

// invalidatePositions invalidates every open debt position (compensation).
func (r *run) invalidatePositions(ctx workflow.Context, detail map[string]any) error {
	if len(r.positions) > 0 && r.paymentVersion(ctx) != workflow.DefaultVersion {
		return r.closePositions(ctx, detail)
	}
	var done []string
	for _, notice := range sortedKeys(r.positions) {
		iupd := r.positions[notice]
		if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.InvalidatePayment, r.in.Ente, iupd).Get(ctx, nil); err != nil {
			return err
		}
		done = append(done, notice)
		delete(r.positions, notice)
	}
	if len(done) > 0 {
		detail["invalidatedNotices"] = done
	}
	return nil
}

// renderBody renders a message body: on App IO the text is Markdown, so every
// value from the pratica is escaped (a name cannot become a link); an e-mail is
// plain text and takes the values as they are.
func (r *run) renderBody(channel, tmpl string, vars map[string]any) (string, error) {
	if channel == "email" {
		return r.plan.RenderText(tmpl, r.data, vars)
	}
	return r.plan.RenderMarkdown(tmpl, r.data, vars)
}

// notify sends the citizen a message in their language, with the payment data
// of the last payment step when asked.
func (r *run) notify(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	n := s.Notify
	lang := r.in.Lang
	subject, err := r.plan.RenderText(n.Subject.In(lang), r.data, r.vars)
	if err != nil {
		return "", "", temporal.NewNonRetryableApplicationError("notify "+s.ID+": "+err.Error(), "invalid_plan", nil)
	}
	body, err := r.renderBody(n.Channel, n.Markdown.In(lang), r.vars)
	if err != nil {
		return "", "", temporal.NewNonRetryableApplicationError("notify "+s.ID+": "+err.Error(), "invalid_plan", nil)
	}
	req := activities.MessageRequest{Key: fmt.Sprintf("%s/%s/%d", r.in.PraticaID, s.ID, r.seq+1), PraticaID: r.in.PraticaID,
		Service: r.svc, FiscalCode: r.in.Owner, Channel: n.Channel, Subject: subject, Markdown: body}
	if n.To != "" {
		// The e-mail recipient comes from the pratica's data; a missing field
		// renders empty and the sender records "no_address" on the timeline.
		to, err := r.plan.RenderText(n.To, r.data, r.vars)
		if err != nil {
			return "", "", temporal.NewNonRetryableApplicationError("notify "+s.ID+": "+err.Error(), "invalid_plan", nil)
		}
		req.To = to
	}
	if n.WithPayment && r.lastPayment != nil && !r.paymentSettled(ctx) {
		p := *r.lastPayment
		req.Payment = &p
	}
	var sent activities.MessageSent
	if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.SendMessage, req).Get(ctx, &sent); err != nil {
		return "", "", err
	}
	it, en := "Messaggio inviato su App IO: "+subject, "Message sent on App IO: "+subject
	if n.Channel == "email" {
		it, en = "E-mail inviata: "+subject, "E-mail sent: "+subject
	}
	if sent.Outcome != "sent" {
		it, en = "Messaggio non inviato ("+sent.Outcome+"): "+subject, "Message not sent ("+sent.Outcome+"): "+subject
	}
	err = r.record(ctx, pratica.Transition{Kind: "message_sent",
		Detail:    map[string]any{"channel": n.Channel, "messageId": sent.ID, "outcome": sent.Outcome, "subject": subject},
		MessageIT: it, MessageEN: en})
	return s.Next, "", err
}

// ledger posts the accounting entries of the service for the last payment.
func (r *run) ledger(ctx workflow.Context, s *modeler.Step) (string, string, error) {
	l := s.Ledger
	req := activities.LedgerRequest{Key: fmt.Sprintf("%s/%s/%d", r.in.PraticaID, s.ID, r.seq+1), PraticaID: r.in.PraticaID,
		Service: r.svc, Kind: l.Kind, Capitolo: first(r.svc.Capitolo, l.Capitolo), Articolo: first(r.svc.Articolo, l.Articolo)}
	if p, ok := r.vars["payment"].(map[string]any); ok {
		req.AmountCents, _ = p["amountCents"].(int64)
		if f, ok := p["amountCents"].(float64); ok {
			req.AmountCents = int64(f)
		}
		req.IUV, _ = p["iuv"].(string)
		req.ReceiptID, _ = p["receiptId"].(string)
	}
	var posted activities.LedgerPosted
	if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.PostLedger, req).Get(ctx, &posted); err != nil {
		return "", "", err
	}
	err := r.record(ctx, pratica.Transition{Kind: "ledger_posted",
		Detail:    map[string]any{"entryId": posted.EntryID, "capitolo": req.Capitolo, "articolo": req.Articolo, "amountCents": req.AmountCents},
		MessageIT: "Scrittura contabile registrata (capitolo " + req.Capitolo + ")", MessageEN: "Accounting entry posted (chapter " + req.Capitolo + ")"})
	return s.Next, "", err
}

// drainReceipts keeps every receipt signal by notice number; a duplicate is ignored.
func (r *run) drainReceipts(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, ReceiptSignal)
	for {
		var rc ReceiptArrived
		ch.Receive(ctx, &rc)
		if _, dup := r.receipts[rc.NoticeNumber]; !dup {
			r.receipts[rc.NoticeNumber] = rc
		}
	}
}

func euro(cents int64) string {
	return fmt.Sprintf("%d,%02d €", cents/100, cents%100)
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// iupd derives the debt position's id from the pratica, the step and the
// sequence: the same on every replay and retry (so issuing is idempotent), and
// within GPD's 35 characters.
func iupd(pratica, step string, seq int64) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", pratica, step, seq)))
	return "SPT" + strings.ToUpper(hex.EncodeToString(sum[:14]))
}
