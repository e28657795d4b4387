// Package bench measures the Pratica interpreter against a hand-written workflow
// calling the same activities (marriage_test.go), on the same embedded Temporal
// server in the same run, and prints the ratio of their throughputs; it also
// records the histories replayed by the workflows package.
package bench

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
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
)

// demoPlan is a pratica of five activities (load, submit, message, ledger,
// close): the start of recordPlan.
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
	switch template {
	case "record":
		return recordPlan(), nil
	case "marriage":
		return marriagePlan(), nil
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
		w.RegisterWorkflowWithOptions(HandMarriage, workflow.RegisterOptions{Name: "HandMarriage"})
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
