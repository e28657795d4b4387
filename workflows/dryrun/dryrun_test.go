package dryrun_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/modeler/demo"
	"github.com/sportello/sportello/workflows/dryrun"
)

func marriagePlan(t *testing.T) *modeler.Plan {
	t.Helper()
	doc, err := demo.FS.ReadFile("templates/matrimonio.json")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := modeler.ParseTemplate(doc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := modeler.Compile(tpl, 1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var trieste = activities.ServiceInfo{ID: "c_l424.matrimonio", Ente: "c_l424", EnteName: "Comune di Trieste",
	EnteFiscalCode: "00210240321", IBAN: "IT60X0542811101000000123456", Capitolo: "30100", Articolo: "12", IOEnabled: true, Office: "stato-civile"}

var sample = map[string]any{"data": "2027-05-20", "sala": "sala-matrimoni",
	"sposo1": map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": "RSSMRA80A01L424F", "dataNascita": "1980-01-01"},
	"sposo2": map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": "BNCGLI85C55L424K", "dataNascita": "1985-03-15"}}

func kinds(r *dryrun.Result) string {
	var out []string
	for _, s := range r.Path {
		out = append(out, s.Kind)
	}
	return strings.Join(out, " ")
}

// TestMarriageDryRun: form → payment → receipt → App IO message → operator task → ledger → end.
func TestMarriageDryRun(t *testing.T) {
	res, err := dryrun.Run(marriagePlan(t), trieste, dryrun.Request{Data: sample})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	// The notice goes out on App IO when issued; after the receipt a plain confirmation.
	want := "submitted deadline_started payment_requested message_sent payment_received message_sent task_opened task_completed message_sent ledger_posted closed"
	if got := kinds(res); got != want {
		t.Errorf("path = %s\nwant   %s", got, want)
	}
	if res.Outcome != "accepted" || len(res.Positions) != 1 || res.Positions[0].AmountCents != 10000 || len(res.Messages) != 3 || len(res.Ledger) != 1 {
		t.Errorf("result = %+v", res)
	}
	if res.Messages[0].Payment == nil || res.Messages[1].Payment != nil {
		t.Errorf("the notice message carries no payment data, or the confirmation does: %+v", res.Messages)
	}
	if len(res.Deadlines) == 0 {
		t.Error("no legal deadline")
	}
}

func TestDryRunChoosesOutcomesAndExpiry(t *testing.T) {
	rejected, err := dryrun.Run(marriagePlan(t), trieste, dryrun.Request{Data: sample, Outcomes: map[string]string{"istruttoria": "reject"}})
	if err != nil {
		t.Fatal(err)
	}
	unpaid, err := dryrun.Run(marriagePlan(t), trieste, dryrun.Request{Data: sample, Unpaid: true})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{rejected.Outcome, unpaid.Outcome, kinds(unpaid)}
	// Unpaid: the notice message, the 3-day legal term expires (escalated), a
	// reminder before the due date, then the notice expires and the template's
	// onExpiry ends the pratica as expired.
	want := []string{"rejected", "expired", "submitted deadline_started payment_requested message_sent deadline_expired message_sent payment_expired closed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := dryrun.Run(marriagePlan(t), trieste, dryrun.Request{TaskDelay: "soon"}); err == nil || !strings.Contains(err.Error(), "taskDelay") {
		t.Errorf("bad task delay = %v", err)
	}
}
