// Package bench measures the Pratica interpreter against a hand-written workflow
// calling the same activities, on the same embedded Temporal server in the same
// run, and prints the ratio of their throughputs.
package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/worker/embedded"
	"github.com/sportello/sportello/workflows"
)

// demoPlan is a pratica of five activities: load, submit, message, ledger, close.
func demoPlan() *modeler.Plan {
	return &modeler.Plan{TemplateID: "bench", Version: 1, Hash: "h", Title: modeler.Text{IT: "Prova"}, Start: "domanda",
		Steps: map[string]*modeler.Step{
			"domanda": {ID: "domanda", Type: modeler.StepForm, Next: "avviso", Form: &modeler.FormStep{FormID: "f", Version: 1}},
			"avviso": {ID: "avviso", Type: modeler.StepNotify, Next: "contabile", Notify: &modeler.NotifyStep{Channel: "appio",
				Subject: modeler.Text{IT: "Pratica ricevuta"}, Markdown: modeler.Text{IT: "La pratica di {{data.nome}} è stata ricevuta."}}},
			"contabile": {ID: "contabile", Type: modeler.StepLedger, Next: "fine", Ledger: &modeler.LedgerStep{Kind: "accertamento", Capitolo: "100"}},
			"fine":      {ID: "fine", Type: modeler.StepEnd, End: &modeler.EndStep{Outcome: "accepted"}},
		}}
}

type outside struct{}

func (outside) Plan(_ context.Context, template string, _ int) (*modeler.Plan, error) {
	if template == "record" {
		return recordPlan(), nil
	}
	return demoPlan(), nil
}
func (outside) ServiceInfo(context.Context, string) (activities.ServiceInfo, error) {
	return activities.ServiceInfo{ID: "s", Ente: "c_l424"}, nil
}
func (outside) Send(context.Context, activities.MessageRequest) (*activities.MessageSent, error) {
	return &activities.MessageSent{ID: "m", Outcome: "sent"}, nil
}
func (outside) Post(context.Context, activities.LedgerRequest) (*activities.LedgerPosted, error) {
	return &activities.LedgerPosted{EntryID: "e"}, nil
}

// HandWritten is the same pratica written by hand: the same activities, no interpreter.
func HandWritten(ctx workflow.Context, in workflows.PraticaInput) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second}})
	var b activities.PlanBundle
	if err := workflow.ExecuteActivity(ctx, activities.LoadPlan, activities.PlanRef{Template: in.Template, Version: in.Version}).Get(ctx, &b); err != nil {
		return "", err
	}
	seq := int64(0)
	rec := func(kind string, st pratica.Status) error {
		seq++
		return workflow.ExecuteActivity(ctx, activities.RecordTransition, pratica.Transition{PraticaID: in.PraticaID, Seq: seq,
			At: workflow.Now(ctx), Kind: kind, Status: st}).Get(ctx, nil)
	}
	if err := rec("submitted", pratica.Submitted); err != nil {
		return "", err
	}
	if err := workflow.ExecuteActivity(ctx, activities.SendMessage, activities.MessageRequest{Key: in.PraticaID, Subject: "Pratica ricevuta"}).Get(ctx, nil); err != nil {
		return "", err
	}
	if err := rec("message_sent", pratica.Submitted); err != nil {
		return "", err
	}
	if err := workflow.ExecuteActivity(ctx, activities.PostLedger, activities.LedgerRequest{Key: in.PraticaID}).Get(ctx, nil); err != nil {
		return "", err
	}
	if err := rec("ledger_posted", pratica.Submitted); err != nil {
		return "", err
	}
	return "accepted", rec("closed", pratica.Completed)
}

type env struct {
	c  client.Client
	st *pratica.Store
}

var (
	once   sync.Once
	shared *env
	setErr error
)

func setup(b testing.TB) *env {
	once.Do(func() {
		// The environment outlives each run of the benchmark function (the
		// framework calls it with growing b.N), so it does not use b.TempDir.
		dir, err := os.MkdirTemp("", "sportello-bench")
		if err != nil {
			setErr = err
			return
		}
		srv, err := embedded.Start(embedded.Config{File: filepath.Join(dir, "temporal.db"), Namespace: "bench", LogLevel: "fatal"})
		if err != nil {
			setErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := srv.WaitReady(ctx, "bench"); err != nil {
			setErr = err
			return
		}
		c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "bench",
			Logger: tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))})
		if err != nil {
			setErr = err
			return
		}
		db, err := store.Open(store.SQLite, filepath.Join(dir, "app.db"))
		if err != nil {
			setErr = err
			return
		}
		if err := store.Migrate(context.Background(), db, nil); err != nil {
			setErr = err
			return
		}
		st := pratica.NewStore(db)
		o := outside{}
		w := sdkworker.New(c, "bench", sdkworker.Options{})
		worker.Register(w, worker.Deps{Pratiche: &activities.Activities{Projection: st, Plans: o, Messages: o, Ledger: o, Payments: o},
			AppIO: campaignActivities(db), Ledger: &ledger.Activities{Reconciler: ledger.NewService(db, ledger.DemoEntes,
				ledger.ReceiptsFunc(func(context.Context, string, time.Time, time.Time) ([]ledger.Receipt, error) { return nil, nil }),
				ledger.StaticChart{Default: ledger.Capitolo{Capitolo: "100", Articolo: "1"}})},
			Expiry: &pagopa.Expiry{Positions: pagopa.NewStore(db, nil)}})
		w.RegisterWorkflowWithOptions(HandWritten, workflow.RegisterOptions{Name: "HandWritten"})
		if err := w.Start(); err != nil {
			setErr = err
			return
		}
		shared = &env{c: c, st: st}
	})
	if setErr != nil {
		b.Fatal(setErr)
	}
	return shared
}

// runBatch runs n pratiche of workflowType concurrently and returns pratiche per second.
func runBatch(b *testing.B, e *env, workflowType string, n int) float64 {
	ctx := context.Background()
	start := time.Now()
	var runs []client.WorkflowRun
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%s-%d-%d", workflowType, time.Now().UnixNano(), i)
		if err := e.st.Create(ctx, &pratica.Pratica{ID: id, Ente: "c_l424", Service: "s", Template: "bench@1", Owner: "RSSMRA80A01L424F",
			Status: pratica.Submitted, Data: pratica.JSON(`{}`)}); err != nil {
			b.Fatal(err)
		}
		run, err := e.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.PraticaWorkflowID(id), TaskQueue: "bench"},
			workflowType, workflows.PraticaInput{PraticaID: id, Ente: "c_l424", Service: "s", Template: "bench", Version: 1, Hash: "h",
				Owner: "RSSMRA80A01L424F", Data: map[string]any{"nome": "Mario"}})
		if err != nil {
			b.Fatal(err)
		}
		runs = append(runs, run)
	}
	for _, r := range runs {
		var out string
		if err := r.Get(ctx, &out); err != nil || out != "accepted" {
			b.Fatalf("%s: %q %v", workflowType, out, err)
		}
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkInterpreter prints pratiche per second for the interpreter and for the
// hand-written workflow, and their ratio (target ≥ 0.8).
func BenchmarkInterpreter(b *testing.B) {
	e := setup(b)
	const n = 40
	runBatch(b, e, "HandWritten", 5) // warm up
	var hand, interp float64
	for i := 0; i < b.N; i++ {
		hand += runBatch(b, e, "HandWritten", n)
		interp += runBatch(b, e, workflows.PraticaWorkflow, n)
	}
	hand, interp = hand/float64(b.N), interp/float64(b.N)
	b.ReportMetric(hand, "handwritten-pratiche/s")
	b.ReportMetric(interp, "interpreter-pratiche/s")
	b.ReportMetric(interp/hand, "ratio")
	fmt.Printf("pratiche/s: hand-written %.1f, interpreter %.1f, ratio %.2f (target ≥ 0.8)\n", hand, interp, interp/hand)
}
