package workflows_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
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

func (f modelerForms) Validate(ctx context.Context, c activities.DataCheck) error {
	return f.m.CheckData(ctx, modeler.FormRef{ID: c.FormID, Version: c.Version}, c.Data,
		modeler.Facts{Applicant: c.Applicant, Sent: c.Sent}, c.Lang)
}

// rulesHarness runs the test plans with the real modeller over db, its form
// "matrimonio" being the demo marriage form, today being now for its rules.
func rulesHarness(t *testing.T, db *gorm.DB, now time.Time) (*harness, *fakes) {
	ctx := context.Background()
	m := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
	m.Now = func() time.Time { return now }
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
	return &harness{t: t, env: env, f: fk}, fk
}

const mario, giulia = "RSSMRA80A01L424F", "BNCGLI85C55L424K"

func spouse(nome, cf string) map[string]any {
	return map[string]any{"nome": nome, "cognome": "Rossi", "codiceFiscale": cf, "dataNascita": "1980-01-01"}
}

// TestIntegrationFollowsFormRules: an integration goes through the start form's
// rules like the first submission (the owner is the applicant), and the data
// the pratica keeps carries the normalised codice fiscale.
func TestIntegrationFollowsFormRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, fk := rulesHarness(t, db, time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome))
		env := h.env
		owner := workflows.Actor{Subject: mario, Role: "citizen"}
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

// TestIntegrationKeepsBookedDate: six weeks after booking, the ceremony is
// two weeks away, inside the month the window starts at. An integration that
// leaves the date alone is accepted; one that sends a date must respect the
// window counted from the day it is sent.
func TestIntegrationKeepsBookedDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, fk := rulesHarness(t, db, time.Date(2027, 1, 1, 9, 0, 0, 0, calendar.Rome))
		owner := workflows.Actor{Subject: mario, Role: "citizen"}
		h.act(26*time.Hour, operator, "request_integration", nil, "codice fiscale della sposa")
		moved := h.act(30*time.Hour, owner, "integrate", map[string]any{"data": "2027-01-20"}, "")
		kept := h.act(31*time.Hour, owner, "integrate", map[string]any{"note": "testimoni confermati"}, "")
		h.act(32*time.Hour, operator, "approve", nil, "")
		h.env.ExecuteWorkflow(workflows.Pratica, workflows.PraticaInput{PraticaID: "p-1", Ente: "c_l424", Service: "c_l424.matrimonio",
			Template: "matrimonio", Version: 1, Hash: "h1", Owner: mario, Lang: "it",
			Data: map[string]any{"sposo1": spouse("Mario", mario), "sposo2": spouse("Giulia", giulia), "sala": "sala-matrimoni", "data": "2027-01-15"}})
		if !h.env.IsWorkflowCompleted() || h.env.GetWorkflowError() != nil {
			t.Fatalf("workflow: completed %v, %v", h.env.IsWorkflowCompleted(), h.env.GetWorkflowError())
		}
		e, ok := errs.As(workflows.ActionError("integrate", moved.err))
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != "/data" || e.Fields[0].Message != "deve essere tra il 01/02/2027 e il 01/07/2027" {
			t.Errorf("integration moving the date too near = %v", moved.err)
		}
		if kept.err != nil || kept.rejected != nil {
			t.Errorf("integration leaving the booked date alone = %+v", kept)
		}
		var kinds []string
		for _, k := range fk.kinds() {
			if strings.HasPrefix(k, "integration_") {
				kinds = append(kinds, k)
			}
		}
		if diff := cmp.Diff([]string{"integration_requested", "integration_submitted"}, kinds); diff != "" {
			t.Errorf("integrations (-want +got):\n%s", diff)
		}
	})
}
