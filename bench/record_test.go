package bench

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/workflows"
)

var (
	record        = flag.Bool("record", false, "record new histories into workflows/testdata for the replay tests")
	recordVersion = flag.String("record-version", "", "with -record: the suffix of the new files, e.g. v2 writes pratica-v2.json; an existing file is never overwritten")
)

// historyName is the file a recording of workflow goes to: <workflow>-<version>.json.
func historyName(workflow, version string) string { return workflow + "-" + version + ".json" }

// newHistoryFile creates dir/name for a new recording, refusing an existing
// file: recorded histories are kept for good (README, "Changing the interpreter").
func newHistoryFile(dir, name string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("new history %s: %w (recorded histories are never overwritten: pick a new -record-version)", name, err)
	}
	return f, nil
}

func (outside) Issue(_ context.Context, r activities.PaymentRequest) (*activities.PaymentIssued, error) {
	return &activities.PaymentIssued{IUPD: r.IUPD, NoticeNumber: "301000000000000042", IUV: "01000000000000042", AmountCents: r.AmountCents, DueDate: r.DueDate}, nil
}
func (outside) Invalidate(context.Context, string, string) error { return nil }

// recordPlan exercises every kind of history event the interpreter makes:
// activities, an update, a signal, a timer and the legal clock.
func recordPlan() *modeler.Plan {
	p := demoPlan()
	p.TemplateID = "record"
	p.Steps["domanda"].Next = "termine"
	p.Steps["termine"] = &modeler.Step{ID: "termine", Type: modeler.StepDeadline, Next: "pagamento", Deadline: &modeler.Deadline{Days: 30, OnExpiry: "escalate"}}
	p.Steps["pagamento"] = &modeler.Step{ID: "pagamento", Type: modeler.StepPayment, Next: "attesa", Payment: &modeler.PaymentStep{AmountCents: 15000, Taxonomy: "9/0104102TS/", DueDays: 10, ExpiryDays: 15}}
	p.Steps["attesa"] = &modeler.Step{ID: "attesa", Type: modeler.StepWait, Next: "esame", Wait: &modeler.WaitStep{Duration: "1s"}}
	p.Steps["esame"] = &modeler.Step{ID: "esame", Type: modeler.StepTask, Next: "", Task: &modeler.TaskStep{Role: "operator",
		Outcomes: []modeler.Outcome{{Action: "approve", Label: modeler.Text{IT: "Approvata"}, Next: "avviso"}}}}
	return p
}

// TestRecordHistories runs a pratica on the embedded server and saves its history
// for the replay tests of the interpreter. It runs only with -record, when the
// interpreter changes on purpose, and writes new files next to the old ones:
// go test ./bench -run TestRecordHistories -record -record-version v2
func TestRecordHistories(t *testing.T) {
	if !*record {
		return
	}
	if !regexp.MustCompile(`^v[0-9]+$`).MatchString(*recordVersion) {
		t.Fatalf("-record-version %q: give the version of the new recordings, e.g. v2", *recordVersion)
	}
	for _, w := range []string{"pratica", "campaign", "reconciliation", "expiry"} {
		if _, err := os.Stat(filepath.Join(testdata, historyName(w, *recordVersion))); err == nil {
			t.Fatalf("%s exists: recorded histories are never overwritten, pick a new -record-version", historyName(w, *recordVersion))
		}
	}
	e := setup(t)
	ctx := context.Background()
	id := "record-" + time.Now().Format("150405")
	run := startRecordPratica(t, e, id, 0)
	time.Sleep(time.Second)
	payAndApprove(ctx, t, e, run.GetID())
	var out string
	if err := run.Get(ctx, &out); err != nil {
		t.Fatal(err)
	}
	save(t, e, run, historyName("pratica", *recordVersion))

	// The identity card campaign, on the App IO simulator with the demo cards.
	run, err := e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "campaign-" + id, TaskQueue: "bench"},
		workflows.CampaignWorkflow, appio.CampaignInput{Ente: "c_l424", Service: "c_l424.cie-scadenza", DaysBefore: 30,
			Day: time.Now().In(calendar.Rome).Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}
	var cres workflows.CampaignResult
	if err := run.Get(ctx, &cres); err != nil || cres.Sent == 0 {
		t.Fatalf("campaign = %+v %v", cres, err)
	}
	save(t, e, run, historyName("campaign", *recordVersion))

	// The daily reconciliation of two enti, one unknown.
	run, err = e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "reconciliation-" + id, TaskQueue: "bench"},
		workflows.ReconciliationWorkflow, workflows.ReconciliationInput{Entes: []string{"c_l424", "c_x999"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	save(t, e, run, historyName("reconciliation", *recordVersion))

	// The nightly expiry of debt positions.
	run, err = e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "expiry-" + id, TaskQueue: "bench"}, workflows.PositionsExpiryWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	save(t, e, run, historyName("expiry", *recordVersion))
}

// testdata is where the replay tests read recorded histories.
var testdata = filepath.Join("..", "workflows", "testdata")

// save writes the history of run to a new file workflows/testdata/name.
func save(t *testing.T, e *env, run client.WorkflowRun, name string) {
	t.Helper()
	hist := &historypb.History{}
	it := e.c.GetWorkflowHistory(context.Background(), run.GetID(), run.GetRunID(), false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	if err != nil {
		t.Fatal(err)
	}
	f, err := newHistoryFile(testdata, name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d events to %s", len(hist.Events), f.Name())
}

// campaignActivities are the App IO activities on the bench database, sending
// to an App IO simulator, with the demo identity cards.
func campaignActivities(db *gorm.DB) *appio.Activities {
	st := appio.NewStore(db, nil)
	if _, err := st.SeedDemoCards(context.Background(), time.Now()); err != nil {
		panic(err)
	}
	srv := httptest.NewServer(appio.NewSimulator())
	return &appio.Activities{IO: appio.NewClient(srv.URL), Intents: st, Recipients: st,
		Keys: appio.KeysFunc(func(context.Context, string) (string, error) { return "bench-key", nil })}
}

// startRecordPratica starts a pratica of recordPlan on the embedded server;
// continueAfter > 0 makes it continue as new after that many steps.
func startRecordPratica(t *testing.T, e *env, id string, continueAfter int) client.WorkflowRun {
	t.Helper()
	ctx := context.Background()
	if err := e.st.Create(ctx, &pratica.Pratica{ID: id, Ente: "c_l424", Service: "s", Template: "record@1", Owner: "RSSMRA80A01L424F",
		Status: pratica.Submitted, Data: pratica.JSON(`{}`)}); err != nil {
		t.Fatal(err)
	}
	run, err := e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.PraticaWorkflowID(id), TaskQueue: "bench"},
		workflows.PraticaWorkflow, workflows.PraticaInput{PraticaID: id, Ente: "c_l424", Service: "s", Template: "record", Version: 1,
			Hash: "h", Owner: "RSSMRA80A01L424F", Data: map[string]any{"nome": "Mario"}, ContinueAfter: continueAfter})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// payAndApprove sends the receipt of the record plan's notice and approves its
// task as soon as the pratica accepts it, whichever run is current.
func payAndApprove(ctx context.Context, t *testing.T, e *env, workflowID string) {
	t.Helper()
	for e.c.SignalWorkflow(ctx, workflowID, "", workflows.ReceiptSignal, workflows.ReceiptArrived{
		NoticeNumber: "301000000000000042", ReceiptID: "r-1", AmountCents: 15000}) != nil {
		if ctx.Err() != nil {
			t.Fatal("the receipt could not be signalled")
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		h, err := e.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflowID, UpdateName: workflows.ActionUpdate,
			WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{workflows.ActionRequest{Action: "approve",
				Actor: workflows.Actor{Subject: "op", Role: "operator", Ente: "c_l424"}}}})
		if err == nil && h.Get(ctx, nil) == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatal("approve never accepted")
		}
		time.Sleep(200 * time.Millisecond)
	}
}
