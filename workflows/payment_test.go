package workflows_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

const (
	day          = 24 * time.Hour
	singleNotice = "301000000000000042"
	tariIUPD     = "SPT-TARI-1"
)

var instNotices = []string{"301000000000000043", "301000000000000044", "301000000000000045"}

// planFakes issue a position with a single option and three installments, and
// keep its stored state as the pagoPA store would: the receipts recorded, and
// what closing it did.
type planFakes struct {
	*fakes
	stored   map[string]string // notice → receipt id stored (its signal may be lost)
	storedAt time.Time         // stored receipts become visible from then
	env      *testsuite.TestWorkflowEnvironment
	closed   []string
	refunds  []activities.RefundRequest
	hidden   bool // the receipts are stored but State does not see them yet (only Close does)
	noIO     bool // App IO refuses every message with payment data for good
}

func (f *planFakes) Send(ctx context.Context, r activities.MessageRequest) (*activities.MessageSent, error) {
	if f.noIO && r.Payment != nil {
		return nil, errs.E(errs.Forbidden, "no App IO key for service %s", r.Service.ID)
	}
	return f.fakes.Send(ctx, r)
}

func (f *planFakes) Issue(ctx context.Context, r activities.PaymentRequest) (*activities.PaymentIssued, error) {
	out, _ := f.fakes.Issue(ctx, r)
	out.IUPD = tariIUPD
	for i, in := range r.Installments {
		out.Installments = append(out.Installments, activities.InstallmentIssued{NoticeNumber: instNotices[i], IUV: instNotices[i][1:],
			AmountCents: in.AmountCents, DueDate: in.DueDate})
	}
	return out, nil
}

func (f *planFakes) state() *activities.PositionState {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := &activities.PositionState{IUPD: tariIUPD, Status: "VALID"}
	if f.env.Now().Before(f.storedAt) {
		return st
	}
	for i, n := range append([]string{singleNotice}, instNotices...) {
		o := activities.OptionState{NoticeNumber: n, IUV: n[1:], AmountCents: 10000, Installment: i > 0}
		if i == 0 {
			o.AmountCents = 30000
		}
		if rc, ok := f.stored[n]; ok {
			o.ReceiptID = rc
			at := f.storedAt
			o.PaidAt = &at
		}
		st.Options = append(st.Options, o)
	}
	return st
}

func (f *planFakes) State(context.Context, activities.PositionRef) (*activities.PositionState, error) {
	if f.hidden {
		return &activities.PositionState{IUPD: tariIUPD, Status: "VALID"}, nil
	}
	return f.state(), nil
}

func (f *planFakes) Close(_ context.Context, ref activities.PositionRef) (*activities.PositionState, error) {
	st := f.state()
	st.Outcome = activities.ClosedInvalidated
	switch n := len(st.Paid()); {
	case n > 0 && st.Paid()[0].NoticeNumber == singleNotice, n == len(instNotices):
		st.Outcome = activities.ClosedPaid
	case n > 0:
		st.Outcome = activities.ClosedPartial
	}
	f.mu.Lock()
	f.closed = append(f.closed, ref.IUPD+":"+st.Outcome)
	f.mu.Unlock()
	return st, nil
}

func (f *planFakes) FlagRefund(_ context.Context, r activities.RefundRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refunds = append(f.refunds, r)
	return nil
}

func newPlanHarness(t *testing.T, p *modeler.Plan) (*harness, *planFakes) {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	env := s.NewTestWorkflowEnvironment()
	f := &fakes{plan: p}
	pf := &planFakes{fakes: f, stored: map[string]string{}, env: env}
	worker.Register(env, worker.Deps{Pratiche: &activities.Activities{Projection: f, Plans: f, Payments: pf, Messages: pf, Ledger: f,
		Forms: f, Positions: pf, Refunds: pf}})
	env.SetStartTime(time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome))
	return &harness{t: t, env: env, f: f}, pf
}

// tariPlan is the demo TARI: a payment in three installments, a confirmation, the ledger.
func tariPlan(notify *modeler.PaymentNotice) *modeler.Plan {
	pay := step("avviso", modeler.StepPayment, "conferma")
	pay.Payment = &modeler.PaymentStep{AmountCents: 30000, Taxonomy: "9/0101101IM/", Remittance: modeler.Text{IT: "TARI"},
		Installments: []modeler.Installment{{Percent: 34, DueDays: 30}, {Percent: 33, DueDays: 90}, {Percent: 33, DueDays: 150}},
		DueDays:      30, ExpiryDays: 180, OnExpiry: "insoluta", Notify: notify}
	conf := step("conferma", modeler.StepNotify, "contabilita")
	conf.Notify = &modeler.NotifyStep{Channel: "appio", WithPayment: true, Subject: modeler.Text{IT: "TARI pagata"}, Markdown: modeler.Text{IT: "Grazie."}}
	led := step("contabilita", modeler.StepLedger, "pagata")
	led.Ledger = &modeler.LedgerStep{Kind: "accertamento"}
	return plan(formStep("avviso"), pay, conf, led, endStep("pagata", "completed"), endStep("insoluta", "expired"))
}

func (h *harness) signal(delay time.Duration, notice, receipt string) {
	h.env.RegisterDelayedCallback(func() {
		h.env.SignalWorkflow(workflows.ReceiptSignal, workflows.ReceiptArrived{NoticeNumber: notice, ReceiptID: receipt, AmountCents: 10000})
	}, delay)
}

func count(kinds []string, kind string) int {
	n := 0
	for _, k := range kinds {
		if k == kind {
			n++
		}
	}
	return n
}

func TestInstallmentsCompleteThePaymentStep(t *testing.T) {
	h, _ := newPlanHarness(t, tariPlan(nil))
	for i, n := range instNotices {
		h.signal(time.Duration(20+50*i)*day, n, "rcpt-"+n[len(n)-2:])
	}
	if got := h.run(map[string]any{"utenza": "TS-1"}); got != "completed" {
		t.Fatalf("outcome = %q, want completed: %v", got, h.f.kinds())
	}
	want := []string{"submitted", "payment_requested", "installment_received", "installment_received", "installment_received",
		"payment_received", "message_sent", "ledger_posted", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if len(h.f.ledger) != 1 || h.f.ledger[0].AmountCents != 30000 {
		t.Errorf("ledger = %+v, want the whole 300,00 €", h.f.ledger)
	}
}

func TestUnfinishedPlanTakesOnExpiryAfterTheLastDueDate(t *testing.T) {
	h, pf := newPlanHarness(t, tariPlan(nil))
	h.signal(20*day, instNotices[0], "rcpt-43")
	pf.stored[instNotices[0]], pf.storedAt = "rcpt-43", h.env.Now().Add(20*day)
	if got := h.run(map[string]any{"utenza": "TS-1"}); got != "expired" {
		t.Fatalf("outcome = %q, want expired", got)
	}
	kinds := h.f.kinds()
	if count(kinds, "installment_received") != 1 || count(kinds, "payment_expired") != 1 {
		t.Errorf("timeline = %v", kinds)
	}
	if diff := cmp.Diff([]string{tariIUPD + ":" + activities.ClosedPartial}, pf.closed); diff != "" {
		t.Errorf("closed (-want +got):\n%s", diff)
	}
}

// A receipt stored while its signal was lost is found by the payment step's
// own check: hourly on the first day, daily after.
func TestStoredReceiptWithoutSignalSettlesThePayment(t *testing.T) {
	for _, tc := range []struct {
		name          string
		stored, found time.Duration
	}{
		{"first day", 5*time.Hour + 30*time.Minute, 6 * time.Hour},
		{"later", 3*day + 30*time.Minute, 4 * day},
	} {
		t.Run(tc.name, func(t *testing.T) { storedReceiptFound(t, tc.stored, tc.found) })
	}
}

func storedReceiptFound(t *testing.T, stored, found time.Duration) {
	h, pf := newPlanHarness(t, tariPlan(nil))
	start := h.env.Now()
	pf.stored[singleNotice], pf.storedAt = "rcpt-lost", start.Add(stored)
	if got := h.run(map[string]any{"utenza": "TS-1"}); got != "completed" {
		t.Fatalf("outcome = %q, want completed: %v", got, h.f.kinds())
	}
	last := h.f.transitions[2]
	if last.Kind != "payment_received" || last.Detail["receiptId"] != "rcpt-lost" || !last.At.Equal(start.Add(found)) {
		t.Errorf("payment received = %+v, want rcpt-lost at %v", last, start.Add(found))
	}
	if len(pf.closed) != 0 {
		t.Errorf("closed = %v, want nothing closed", pf.closed)
	}
}

// At the expiry a position found paid (its signal lost) settles the step:
// closing it is a no-op, not a failure.
func TestPaidPositionAtExpiryIsNotAFailure(t *testing.T) {
	h, pf := newPlanHarness(t, tariPlan(nil))
	// Only the close at the expiry sees it (the hourly checks miss it).
	pf.stored[singleNotice], pf.storedAt, pf.hidden = "rcpt-late", h.env.Now().Add(170*day), true
	if got := h.run(map[string]any{"utenza": "TS-1"}); got != "completed" {
		t.Fatalf("outcome = %q, want completed: %v", got, h.f.kinds())
	}
	if diff := cmp.Diff([]string{tariIUPD + ":" + activities.ClosedPaid}, pf.closed); diff != "" {
		t.Errorf("closed (-want +got):\n%s", diff)
	}
}

func TestWithdrawalAfterPartialPaymentFlagsRefund(t *testing.T) {
	h, pf := newPlanHarness(t, tariPlan(nil))
	h.signal(10*day, instNotices[0], "rcpt-43")
	pf.stored[instNotices[0]], pf.storedAt = "rcpt-43", h.env.Now().Add(10*day)
	withdraw := h.act(40*day, citizen, workflows.ActWithdraw, nil, "trasloco")
	if got := h.run(map[string]any{"utenza": "TS-1"}); got != "withdrawn" {
		t.Fatalf("outcome = %q, want withdrawn", got)
	}
	if withdraw.err != nil || withdraw.rejected != nil {
		t.Fatalf("withdraw: %v %v", withdraw.rejected, withdraw.err)
	}
	if diff := cmp.Diff([]string{tariIUPD + ":" + activities.ClosedPartial}, pf.closed); diff != "" {
		t.Errorf("closed (-want +got):\n%s", diff)
	}
	if len(pf.refunds) != 1 || pf.refunds[0].ReceiptID != "rcpt-43" || pf.refunds[0].AmountCents != 10000 || pf.refunds[0].PraticaID != "p-1" {
		t.Errorf("refunds = %+v, want the paid installment", pf.refunds)
	}
	kinds := h.f.kinds()
	if count(kinds, "refund_requested") != 1 || kinds[len(kinds)-1] != "withdrawn" {
		t.Errorf("timeline = %v", kinds)
	}
	for _, tr := range h.f.transitions {
		if tr.Kind == "refund_requested" && (tr.MessageIT == "" || tr.MessageEN == "") {
			t.Errorf("refund_requested without both languages: %+v", tr)
		}
	}
}

func TestPaymentNotifiesAtIssuanceAndReminds(t *testing.T) {
	notice := &modeler.PaymentNotice{Channel: "appio", RemindDays: 5,
		Subject: modeler.Text{IT: "TARI: avviso {{vars.payment.noticeNumber}}"}, Markdown: modeler.Text{IT: "Paga {{vars.payment.amount}}."}}
	h, _ := newPlanHarness(t, tariPlan(notice))
	h.signal(20*day, instNotices[0], "rcpt-43")
	h.signal(100*day, instNotices[1], "rcpt-44")
	h.signal(140*day, instNotices[2], "rcpt-45")
	if got := h.run(map[string]any{"utenza": "TS-1"}); got != "completed" {
		t.Fatalf("outcome = %q", got)
	}
	var got []string
	for _, m := range h.f.messages {
		n := "none"
		if m.Payment != nil {
			n = m.Payment.NoticeNumber
		}
		got = append(got, m.Subject+" → "+n)
	}
	// At issuance the single option; 5 days before installment 2 (unpaid at
	// day 85; installment 1 was paid at day 20, before its reminder); none for
	// installment 3, paid before its reminder (day 145); after the receipt, no payment data.
	want := []string{"TARI: avviso " + singleNotice + " → " + singleNotice,
		"Promemoria: TARI: avviso " + instNotices[1] + " → " + instNotices[1],
		"TARI pagata → none"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if k := h.f.kinds(); k[2] != "message_sent" {
		t.Errorf("the notice message is not sent before waiting: %v", k)
	}
}

// The last payment crosses continue-as-new as a typed field.
func TestCarryKeepsTheLastPayment(t *testing.T) {
	pay := step("pagamento", modeler.StepPayment, "fine")
	pay.Payment = &modeler.PaymentStep{AmountCents: 15000, Taxonomy: "9/0201133IM/", Remittance: modeler.Text{IT: "Diritti"},
		DueDays: 10, ExpiryDays: 15, OnExpiry: "sollecito"}
	io := step("sollecito", modeler.StepNotify, "fine")
	io.Notify = &modeler.NotifyStep{Channel: "appio", WithPayment: true, Subject: modeler.Text{IT: "Avviso scaduto"}, Markdown: modeler.Text{IT: "-"}}
	p := plan(formStep("pagamento"), pay, io, endStep("fine", "completed"))
	h, _ := newPlanHarness(t, p)
	h.env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "p-1", Ente: "c_l424", Service: "s",
		Template: "t", Version: 1, Hash: "h1", Owner: citizen.Subject, ContinueAfter: 2})
	var can *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("err = %v, want continue as new", err)
	}
	var in workflows.PraticaInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &in); err != nil {
		t.Fatal(err)
	}
	if in.Carry == nil || in.Carry.LastPayment == nil || in.Carry.LastPayment.NoticeNumber != singleNotice || in.Carry.LastPayment.AmountCents != 15000 {
		t.Fatalf("carry = %+v, want the last payment", in.Carry)
	}
	h2, _ := newPlanHarness(t, p)
	in.ContinueAfter = 0
	h2.env.ExecuteWorkflow(workflows.Pratica, in)
	if err := h2.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(h2.f.messages) != 1 || h2.f.messages[0].Payment == nil || h2.f.messages[0].Payment.NoticeNumber != singleNotice {
		t.Errorf("messages after continue-as-new = %+v, want the carried notice's data", h2.f.messages)
	}
}

// A notice message App IO refuses for good is on the timeline; the payment step waits all the same.
func TestNoticeMessageFailureDoesNotStopThePayment(t *testing.T) {
	notice := &modeler.PaymentNotice{Channel: "appio", Subject: modeler.Text{IT: "TARI: avviso"}, Markdown: modeler.Text{IT: "Paga."}}
	h, pf := newPlanHarness(t, tariPlan(notice))
	pf.noIO = true
	h.signal(2*day, singleNotice, "rcpt-42")
	h.run(map[string]any{"utenza": "TS-1"})
	kinds := h.f.kinds()
	if len(kinds) < 4 || kinds[2] != "message_failed" || kinds[3] != "payment_received" {
		t.Errorf("timeline = %v, want message_failed then payment_received", kinds)
	}
}
