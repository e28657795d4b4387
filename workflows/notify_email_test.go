package workflows_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/modeler"
)

// TestEmailNotifyRendersRecipient: an email step sends to the address its "to"
// text renders from the pratica's data; an App IO step sends to no address.
func TestEmailNotifyRendersRecipient(t *testing.T) {
	mail := step("ricevuta", modeler.StepNotify, "fine")
	mail.Notify = &modeler.NotifyStep{Channel: "email", To: "{{data.email}}",
		Subject: modeler.Text{IT: "Ricevuta {{data.oggetto}}"}, Markdown: modeler.Text{IT: "Abbiamo ricevuto la domanda."}}
	io := step("avviso", modeler.StepNotify, "ricevuta")
	io.Notify = &modeler.NotifyStep{Channel: "appio", Subject: modeler.Text{IT: "Domanda ricevuta dal comune"}, Markdown: modeler.Text{IT: "Testo"}}
	h := newHarness(t, plan(formStep("avviso"), io, mail, endStep("fine", "accepted")))
	if got := h.run(map[string]any{"email": "sposa@example.it", "oggetto": "Accesso agli atti"}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	type sent struct{ Channel, To, Subject string }
	var got []sent
	for _, m := range h.f.messages {
		got = append(got, sent{m.Channel, m.To, m.Subject})
	}
	want := []sent{{"appio", "", "Domanda ricevuta dal comune"}, {"email", "sposa@example.it", "Ricevuta Accesso agli atti"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
}
