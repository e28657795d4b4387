package workflows_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/modeler/demo"
	"github.com/sportello/sportello/store/storetest"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

// modelerForms checks a pratica's data with the real modeller, as the binary does.
type modelerForms struct{ m *modeler.Service }

func (f modelerForms) Validate(ctx context.Context, formID string, version int, data map[string]any, applicant, lang string) error {
	return f.m.CheckData(ctx, modeler.FormRef{ID: formID, Version: version}, data, applicant, lang)
}

// TestIntegrationFollowsFormRules: an integration goes through the start form's
// rules like the first submission (the owner is the applicant), and the data
// the pratica keeps carries the normalised codice fiscale.
func TestIntegrationFollowsFormRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		m := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		m.Now = func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome) }
		b, _ := demo.FS.ReadFile("forms/matrimonio-domanda.json")
		var f modeler.Form
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		f.ID = "matrimonio" // the form the test plans name
		if _, err := m.SaveForm(ctx, &f); err != nil {
			t.Fatal(err)
		}
		if _, err := m.PublishForm(ctx, f.ID); err != nil {
			t.Fatal(err)
		}

		p := marriagePlan()
		p.Start = "domanda"
		p.Steps["domanda"].Next = "deadline"
		var s testsuite.WorkflowTestSuite
		s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
		env := s.NewTestWorkflowEnvironment()
		fk := &fakes{plan: p, invalidData: map[string]bool{}}
		worker.Register(env, worker.Deps{Pratiche: &activities.Activities{Projection: fk, Plans: fk, Payments: fk, Messages: fk, Ledger: fk,
			Forms: modelerForms{m}}})
		env.SetStartTime(time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome))
		h := &harness{t: t, env: env, f: fk}

		const mario, giulia = "RSSMRA80A01L424F", "BNCGLI85C55L424K"
		owner := workflows.Actor{Subject: mario, Role: "citizen"}
		spouse := func(nome, cf string) map[string]any {
			return map[string]any{"nome": nome, "cognome": "Rossi", "codiceFiscale": cf, "dataNascita": "1980-01-01"}
		}
		h.act(26*time.Hour, operator, "request_integration", nil, "codice fiscale della sposa")
		same := h.act(30*time.Hour, owner, "integrate", map[string]any{"sposo2": spouse("Giulia", "rssmra80a01l424f")}, "")
		ok := h.act(31*time.Hour, owner, "integrate", map[string]any{"sposo2": spouse("Giulia", " bncgli85c55l424k ")}, "")
		h.act(32*time.Hour, operator, "approve", nil, "")
		env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "p-1", Ente: "c_l424", Service: "c_l424.matrimonio",
			Template: "matrimonio", Version: 1, Hash: "h1", Owner: mario, Lang: "en",
			Data: map[string]any{"sposo1": spouse("Mario", mario), "sposo2": spouse("Giulia", "BNCGLI85C55L424X"), "sala": "sala-matrimoni", "data": "2027-01-15"}})
		if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
			t.Fatalf("workflow: completed %v, %v", env.IsWorkflowCompleted(), env.GetWorkflowError())
		}
		e, isErr := errs.As(workflows.ActionError("integrate", same.err))
		var got []string
		if isErr {
			for _, fe := range e.Fields {
				got = append(got, fe.Field+": "+fe.Message)
			}
		}
		want := []string{"/sposo1/codiceFiscale: the two spouses must have different tax codes",
			"/sposo2/codiceFiscale: the two spouses must have different tax codes"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("integration with the same codice fiscale (-want +got):\n%s\n%v", diff, same.err)
		}
		if ok.err != nil || ok.rejected != nil {
			t.Fatalf("lowercase integration = %+v", ok)
		}
		for _, tr := range fk.transitions {
			if tr.Kind == "integration_submitted" {
				if cf := tr.Data["sposo2"].(map[string]any)["codiceFiscale"]; cf != giulia {
					t.Errorf("kept codice fiscale = %q, want %s", cf, giulia)
				}
				return
			}
		}
		t.Fatalf("no integration_submitted in %v", fk.kinds())
	})
}
