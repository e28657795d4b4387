package workflows_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/modeler"
)

// TestNotifyEscapesMarkdown: a name a citizen typed as a Markdown link goes
// into the ente's App IO message as text, not as a live link; the e-mail,
// plain text, carries it as typed.
func TestNotifyEscapesMarkdown(t *testing.T) {
	io := step("avviso", modeler.StepNotify, "ricevuta")
	io.Notify = &modeler.NotifyStep{Channel: "appio", Subject: modeler.Text{IT: "Domanda ricevuta"}, Markdown: modeler.Text{IT: "Gentile {{data.nome}}, **grazie**."}}
	mail := step("ricevuta", modeler.StepNotify, "fine")
	mail.Notify = &modeler.NotifyStep{Channel: "email", To: "{{data.email}}", Subject: modeler.Text{IT: "Ricevuta"}, Markdown: modeler.Text{IT: "Gentile {{data.nome}}"}}
	h := newHarness(t, plan(formStep("avviso"), io, mail, endStep("fine", "accepted")))
	if got := h.run(map[string]any{"nome": "[Rimborso](https://evil.example)", "email": "a@example.it"}); got != "accepted" {
		t.Fatalf("outcome = %q", got)
	}
	var got []string
	for _, m := range h.f.messages {
		got = append(got, m.Markdown)
	}
	want := []string{`Gentile \[Rimborso\]\(https://evil.example\), **grazie**.`, "Gentile [Rimborso](https://evil.example)"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("bodies (-want +got):\n%s", d)
	}
}
