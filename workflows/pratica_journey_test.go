package workflows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
)

// marriagePlan is journey 1: form → payment → receipt → App IO → operator task → ledger → end.
func marriagePlan() *modeler.Plan {
	pay := step("pagamento", modeler.StepPayment, "avviso")
	pay.Payment = &modeler.PaymentStep{AmountExpr: "data.sala == 'Sala Azzurra' ? 30000 : 15000", Taxonomy: "9/0201133IM/",
		Remittance: modeler.Text{IT: "Matrimonio {{data.sposo}}"}, DueDays: 10, ExpiryDays: 15}
	io := step("avviso", modeler.StepNotify, "deadline")
	io.Notify = &modeler.NotifyStep{Channel: "appio", WithPayment: true,
		Subject: modeler.Text{IT: "Pagamento ricevuto per il matrimonio", EN: "Payment received for the marriage"},
		Markdown: modeler.Text{IT: "Abbiamo ricevuto il pagamento di {{vars.payment.amount}} per l'avviso {{vars.payment.noticeNumber}}.",
			EN: "We received the payment of {{vars.payment.amount}}."}}
	dl := step("deadline", modeler.StepDeadline, "esame")
	dl.Deadline = &modeler.Deadline{Days: 3, OnExpiry: "escalate"}
	task := taskStep("esame",
		modeler.Outcome{Action: "approve", Label: modeler.Text{IT: "Approvata", EN: "Approved"}, Next: "contabile"},
		modeler.Outcome{Action: "reject", Label: modeler.Text{IT: "Respinta", EN: "Rejected"}, Next: "respinta", ReasonRequired: true},
		modeler.Outcome{Action: "request_integration", Label: modeler.Text{IT: "Integrazione", EN: "Integration"}, Integration: true})
	task.Next = ""
	led := step("contabile", modeler.StepLedger, "fine")
	led.Ledger = &modeler.LedgerStep{Kind: "accertamento"}
	return plan(formStep("pagamento"), pay, io, dl, task, led, endStep("fine", "accepted"), endStep("respinta", "rejected"))
}

func (h *harness) receipt(delay time.Duration, notice string) {
	h.env.RegisterDelayedCallback(func() {
		rc := workflows.ReceiptArrived{NoticeNumber: notice, ReceiptID: "rcpt-1", AmountCents: 30000, PSP: "BCITITMM"}
		h.env.SignalWorkflow(workflows.ReceiptSignal, rc)
		h.env.SignalWorkflow(workflows.ReceiptSignal, rc) // a PSP may send it twice
	}, delay)
}

func TestMarriageJourney(t *testing.T) {
	h := newHarness(t, marriagePlan())
	h.receipt(2*time.Hour, "301000000000000042")
	early := h.act(time.Hour, operator, "approve", nil, "") // before payment: no task yet
	approve := h.act(5*time.Hour, operator, "approve", nil, "")
	if got := h.run(map[string]any{"sposo": "Mario Rossi", "sala": "Sala Azzurra"}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	if early.rejected == nil {
		t.Error("approve before the task was accepted")
	}
	if approve.err != nil || approve.rejected != nil || approve.result.Status != string(pratica.Processing) {
		t.Fatalf("approve = %+v", approve)
	}
	want := []string{"submitted", "payment_requested", "payment_received", "message_sent", "deadline_started",
		"task_opened", "task_completed", "ledger_posted", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if len(h.f.issued) != 1 || h.f.issued[0].AmountCents != 30000 || h.f.issued[0].Remittance != "Matrimonio Mario Rossi" {
		t.Errorf("issued = %+v", h.f.issued)
	}
	// After the receipt the message is a confirmation: no data to pay a notice already paid.
	if len(h.f.messages) != 1 || h.f.messages[0].Payment != nil || h.f.messages[0].FiscalCode != citizen.Subject ||
		h.f.messages[0].Markdown != "Abbiamo ricevuto il pagamento di 300,00 € per l'avviso 301000000000000042." {
		t.Errorf("messages = %+v", h.f.messages)
	}
	if len(h.f.ledger) != 1 || h.f.ledger[0].AmountCents != 30000 || h.f.ledger[0].Capitolo != "3050" || h.f.ledger[0].ReceiptID != "rcpt-1" {
		t.Errorf("ledger = %+v", h.f.ledger)
	}
	if len(h.f.invalidated) != 0 {
		t.Errorf("invalidated = %v", h.f.invalidated)
	}
}

func TestRejectNeedsAReason(t *testing.T) {
	h := newHarness(t, marriagePlan())
	h.receipt(time.Hour, "301000000000000042")
	noReason := h.act(2*time.Hour, operator, "reject", nil, "")
	reject := h.act(3*time.Hour, operator, "reject", nil, "sala non disponibile")
	if got := h.run(map[string]any{"sala": "Sala Verde"}); got != "rejected" {
		t.Fatalf("outcome = %q", got)
	}
	if e, ok := errs.As(workflows.ActionError("x", noReason.rejected)); !ok || e.Code != errs.Invalid || e.Fields[0].Field != "reason" {
		t.Errorf("reject without reason = %v", noReason.rejected)
	}
	if reject.err != nil || reject.rejected != nil {
		t.Errorf("reject = %+v", reject)
	}
	if h.f.issued[0].AmountCents != 15000 {
		t.Errorf("amount = %d, want the Sala Verde fee", h.f.issued[0].AmountCents)
	}
	if last := h.f.last(); last.Status != pratica.Rejected || last.Status.Code() != 9000 {
		t.Errorf("last = %+v", last)
	}
}

func TestWithdrawDuringPaymentInvalidatesThePosition(t *testing.T) {
	h := newHarness(t, marriagePlan())
	w := h.act(time.Hour, citizen, "withdraw", nil, "cambio di programma")
	if got := h.run(nil); got != "withdrawn" {
		t.Fatalf("outcome = %q", got)
	}
	if w.err != nil || w.rejected != nil || w.result.Status != string(pratica.Withdrawn) {
		t.Fatalf("withdraw = %+v", w)
	}
	if diff := cmp.Diff([]string{h.f.issued[0].IUPD}, h.f.invalidated); diff != "" {
		t.Errorf("invalidated (-want +got):\n%s", diff)
	}
	last := h.f.last()
	if last.Kind != "withdrawn" || !last.CancelTasks || last.Detail["reason"] != "cambio di programma" {
		t.Errorf("last = %+v", last)
	}
}

func TestPaymentExpiryRejects(t *testing.T) {
	h := newHarness(t, marriagePlan())
	if got := h.run(nil); got != "rejected" {
		t.Fatalf("outcome = %q", got)
	}
	if len(h.f.invalidated) != 1 {
		t.Errorf("invalidated = %v", h.f.invalidated)
	}
	want := []string{"submitted", "payment_requested", "payment_expired", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

// TestIntegrationSuspendsTheLegalClock: the term is 3 calendar days from Monday
// 23 November (due Thursday 26); an integration asked on Tuesday and answered
// ten days later (Friday 4 December) keeps the two days left: Sunday 6, which
// moves to Monday 7 December.
func TestIntegrationSuspendsTheLegalClock(t *testing.T) {
	p := marriagePlan()
	p.Start = "domanda"
	p.Steps["domanda"].Next = "deadline"
	h := newHarness(t, p)
	ask := h.act(26*time.Hour, operator, "request_integration", nil, "manca il documento")
	bad := h.act(11*24*time.Hour, citizen, "integrate", map[string]any{"bad": 1}, "")
	integrate := h.act(11*24*time.Hour+time.Minute, citizen, "integrate", map[string]any{"documento": "ok"}, "")
	approve := h.act(12*24*time.Hour, operator, "approve", nil, "")
	if got := h.run(nil); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	for name, o := range map[string]*outcome{"ask": ask, "integrate": integrate, "approve": approve} {
		if o.err != nil || o.rejected != nil {
			t.Errorf("%s: %+v", name, o)
		}
	}
	if e, ok := errs.As(workflows.ActionError("x", bad.err)); !ok || e.Code != errs.Invalid || e.Fields[0].Field != "/bad" {
		t.Errorf("bad integration = %v", bad.err)
	}
	var suspended, resumed *pratica.Transition
	for i, tr := range h.f.transitions {
		switch tr.Kind {
		case "integration_requested":
			suspended = &h.f.transitions[i]
		case "integration_submitted":
			resumed = &h.f.transitions[i]
		}
	}
	if suspended == nil || !suspended.Suspended || suspended.Status.Code() != 4100 || suspended.Holder != "citizen" {
		t.Fatalf("suspension = %+v", suspended)
	}
	if resumed == nil || resumed.Suspended || resumed.Deadline == nil {
		t.Fatalf("resumption = %+v", resumed)
	}
	if got := resumed.Deadline.In(calendar.Rome).Format("2006-01-02"); got != "2026-12-07" {
		t.Errorf("deadline after integration = %s, want 2026-12-07", got)
	}
	if resumed.Data["documento"] != "ok" {
		t.Errorf("integration data not merged: %v", resumed.Data)
	}
	for _, k := range h.f.kinds() {
		if k == "deadline_expired" {
			t.Error("the term expired while suspended")
		}
	}
}

func TestSilenzioAssenso(t *testing.T) {
	dl := step("termine", modeler.StepDeadline, "esame")
	dl.Deadline = &modeler.Deadline{Days: 30, OnExpiry: "silenzio-assenso"}
	h := newHarness(t, plan(formStep("termine"), dl, taskStep("esame",
		modeler.Outcome{Action: "approve", Label: modeler.Text{IT: "Approvata"}, Next: "fine"}), endStep("fine", "accepted")))
	if got := h.run(nil); got != "silenzio-assenso" {
		t.Fatalf("outcome = %q", got)
	}
	last := h.f.last()
	if last.Kind != "silenzio_assenso" || last.Status != pratica.Completed || !last.CancelTasks {
		t.Fatalf("last = %+v", last)
	}
	att, _ := last.Detail["attestation"].(string)
	if att == "" || !strings.Contains(att, "art. 20 della L. 241/1990") || !strings.Contains(att, "23/12/2026") {
		t.Errorf("attestation = %q", att)
	}
}

func TestExpiryEscalatesToTheSubstitute(t *testing.T) {
	dl := step("termine", modeler.StepDeadline, "esame")
	dl.Deadline = &modeler.Deadline{Days: 3, OnExpiry: "escalate"}
	h := newHarness(t, plan(formStep("termine"), dl, taskStep("esame",
		modeler.Outcome{Action: "approve", Label: modeler.Text{IT: "Approvata"}, Next: "fine"}), endStep("fine", "accepted")))
	sameOffice := h.act(5*24*time.Hour, operator, "approve", nil, "")
	secretary := workflows.Actor{Subject: "segretario", Role: "operator", Ente: "c_l424", Office: "segretario-comunale"}
	approve := h.act(5*24*time.Hour+time.Minute, secretary, "approve", nil, "")
	if got := h.run(nil); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	if sameOffice.rejected == nil {
		t.Error("the original office could still act after escalation")
	}
	if approve.err != nil || approve.rejected != nil {
		t.Errorf("substitute approve = %+v", approve)
	}
	want := []string{"submitted", "deadline_started", "task_opened", "deadline_expired", "task_completed", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

func TestParallelAndDecision(t *testing.T) {
	par := step("insieme", modeler.StepParallel, "scelta")
	par.Parallel = &modeler.ParallelStep{Branches: []string{"a", "b"}}
	a := taskStep("a", modeler.Outcome{Action: "ok_a", Label: modeler.Text{IT: "A"}})
	b := taskStep("b", modeler.Outcome{Action: "ok_b", Label: modeler.Text{IT: "B"}})
	dec := step("scelta", modeler.StepDecision, "")
	dec.Decision = &modeler.DecisionStep{Cases: []modeler.Case{{When: "data.importo > 100", Next: "grande"}}, Default: "piccola"}
	h := newHarness(t, plan(formStep("insieme"), par, a, b, dec, endStep("grande", "accepted"), endStep("piccola", "rejected")))
	h.act(time.Hour, operator, "ok_b", nil, "")
	h.act(2*time.Hour, operator, "ok_a", nil, "")
	if got := h.run(map[string]any{"importo": 250}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	want := []string{"submitted", "task_opened", "task_opened", "task_completed", "task_completed", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

func TestTakeChargeAndReassign(t *testing.T) {
	h := newHarness(t, genericPlan())
	take := h.act(time.Hour, operator, "take_charge", nil, "")
	again := h.act(2*time.Hour, operator, "take_charge", nil, "")
	noOffice := h.act(3*time.Hour, operator, "reassign", nil, "")
	move := h.act(4*time.Hour, operator, "reassign", map[string]any{"office": "protocollo"}, "carico di lavoro")
	old := h.act(5*time.Hour, operator, "acknowledge", nil, "")
	prot := workflows.Actor{Subject: "op-prot", Role: "operator", Ente: "c_l424", Office: "protocollo"}
	h.act(6*time.Hour, prot, "acknowledge", nil, "")
	h.run(nil)
	if take.err != nil || take.rejected != nil || take.result.Status != string(pratica.InCharge) {
		t.Errorf("take charge = %+v", take)
	}
	if again.rejected == nil {
		t.Error("took charge twice")
	}
	if e, ok := errs.As(workflows.ActionError("x", noOffice.rejected)); !ok || e.Fields[0].Field != "data.office" {
		t.Errorf("reassign without office = %v", noOffice.rejected)
	}
	if move.err != nil || move.rejected != nil || old.rejected == nil {
		t.Errorf("reassign = %+v, old office acting = %+v", move, old)
	}
	want := []string{"submitted", "task_opened", "taken_in_charge", "reassigned", "task_completed", "closed"}
	if diff := cmp.Diff(want, h.f.kinds()); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
}

func TestRevokeByEnteAdmin(t *testing.T) {
	h := newHarness(t, genericPlan())
	noReason := h.act(time.Hour, admin, "revoke", nil, "")
	revoke := h.act(2*time.Hour, admin, "revoke", nil, "duplicata")
	if got := h.run(nil); got != "revoked" {
		t.Fatalf("outcome = %q", got)
	}
	if noReason.rejected == nil || revoke.rejected != nil || revoke.result.Status != string(pratica.Revoked) {
		t.Errorf("revoke = %+v / %+v", noReason, revoke)
	}
	if last := h.f.last(); last.Status.Code() != 50000 {
		t.Errorf("last = %+v", last)
	}
}

func TestLongPraticaContinuesAsNew(t *testing.T) {
	// A loop of waits; ContinueAfter forces continue-as-new at the first boundary.
	w := step("attesa", modeler.StepWait, "fine")
	w.Wait = &modeler.WaitStep{Duration: "1h"}
	h := newHarness(t, plan(formStep("attesa"), w, endStep("fine", "accepted")))
	h.env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "p-1", Ente: "c_l424", Service: "s",
		Template: "t", Version: 1, Hash: "h1", Owner: citizen.Subject, ContinueAfter: 1})
	err := h.env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), "continue as new") {
		t.Fatalf("err = %v, want continue as new", err)
	}
}
