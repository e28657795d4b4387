package bench

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/worker/embedded"
)

// crashyGPD creates each position at GPD, then on every k-th call fails as a
// process would that crashed between GPD's answer and our record of it.
type crashyGPD struct {
	pagopa.GPD
	every int64
	calls atomic.Int64
	fails atomic.Int64
}

func (g *crashyGPD) CreatePosition(ctx context.Context, org string, p pagopa.GPDPosition, publish bool) (*pagopa.GPDPosition, error) {
	out, err := g.GPD.CreatePosition(ctx, org, p, publish)
	if err == nil && g.every > 0 && g.calls.Add(1)%g.every == 0 {
		g.fails.Add(1)
		return nil, errors.New("connection reset after GPD answered")
	}
	return out, err
}

type issuanceEnv struct {
	db       *gorm.DB
	c        client.Client
	svc      *issuance.Service
	launcher *issuance.Launcher
	acts     *issuance.Activities
	gpd      *crashyGPD
	sim      *sim.Simulator
	simURL   string
	queue    string
	plan     issuance.Plan
}

func newIssuanceEnv(t *testing.T, gpdDelay time.Duration) *issuanceEnv {
	return newIssuanceEnvOn(t, storetest.SQLite(t), gpdDelay)
}

// newIssuanceEnvOn starts the embedded server, the GPD simulator over HTTP
// and the campaign's services on db, a migrated database.
func newIssuanceEnvOn(t *testing.T, db *gorm.DB, gpdDelay time.Duration) *issuanceEnv {
	return newIssuanceEnvSim(t, db, sim.Config{Delay: gpdDelay})
}

// newIssuanceEnvSim is newIssuanceEnvOn with the simulator's configuration.
func newIssuanceEnvSim(t *testing.T, db *gorm.DB, cfg sim.Config) *issuanceEnv {
	t.Helper()
	dir := t.TempDir()
	srv, err := embedded.Start(embedded.Config{File: filepath.Join(dir, "temporal.db"), Namespace: "issuance", LogLevel: "fatal"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.WaitReady(ctx, "issuance"); err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "issuance", Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	s, err := sim.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	gpd := &crashyGPD{GPD: pagopa.NewClient(hs.URL, "")}
	st := issuance.NewStore(db, nil)
	e := &issuanceEnv{db: db, c: c, gpd: gpd, sim: s, queue: "issuance", simURL: hs.URL,
		acts:     &issuance.Activities{Store: st, Positions: pagopa.NewStore(db, nil), GPD: issuance.SingleGPD{GPD: gpd}},
		launcher: &issuance.Launcher{Temporal: c, TaskQueue: "issuance", ChunkSize: 250, ChunksPerRun: 3}}
	e.svc = &issuance.Service{Store: st, Enti: catalog.NewStore(db), Engine: e.launcher}
	cat, _ := catalog.NewStore(db).GetEnte(ctx, catalog.Trieste)
	e.plan = issuance.DemoPlan(pagopa.Creditor{FiscalCode: cat.FiscalCode, Name: cat.Name, IBAN: cat.Accounts[0].IBAN}, 2026)
	return e
}

func (e *issuanceEnv) worker(t *testing.T) sdkworker.Worker {
	w := sdkworker.New(e.c, e.queue, sdkworker.Options{})
	worker.Register(w, worker.Deps{Issuance: e.acts})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	return w
}

// upload creates a campaign of plan and uploads rows (plus extra CSV lines).
func (e *issuanceEnv) upload(t *testing.T, plan issuance.Plan, rows []issuance.Row, extra string) (*issuance.Campaign, *issuance.DryRun) {
	t.Helper()
	ctx := context.Background()
	c, err := e.svc.Create(ctx, catalog.Trieste, "tester", plan)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := issuance.WriteCSV(&buf, &plan, rows); err != nil {
		t.Fatal(err)
	}
	buf.WriteString(extra)
	d, err := e.svc.Upload(ctx, c, "csv", &buf)
	if err != nil {
		t.Fatal(err)
	}
	c, err = e.svc.Store.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, d
}

func (e *issuanceEnv) waitFor(t *testing.T, id string, d time.Duration, ok func(*issuance.Campaign) bool) *issuance.Campaign {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		c, err := e.svc.Store.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if ok(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("campaign %s: still %s %+v", id, c.Status, c.Progress)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// positionsByKey counts the stored positions of the campaign's tax and year
// per natural key (the iupd), and their options.
func positionsByKey(t *testing.T, db *gorm.DB, prefix string) (keys, dups, options int64) {
	t.Helper()
	if err := db.Raw("SELECT COUNT(DISTINCT iupd) FROM pagopa_positions WHERE iupd LIKE ?", prefix+"%").Scan(&keys).Error; err != nil {
		t.Fatal(err)
	}
	var all int64
	db.Raw("SELECT COUNT(*) FROM pagopa_positions WHERE iupd LIKE ?", prefix+"%").Scan(&all)
	db.Raw("SELECT COUNT(*) FROM pagopa_options o JOIN pagopa_positions p ON p.id = o.position_id WHERE p.iupd LIKE ?", prefix+"%").Scan(&options)
	return keys, all - keys, options
}

// TestIssueCampaignCrashNoDuplicate issues 3,000 households through the real
// embedded Temporal server: chunks of 250, continue-as-new every 3 chunks,
// every 400th GPD call failing after GPD took the position, and the worker
// stopped and replaced in the middle. Every row ends issued exactly once,
// with its four options; the bad rows are refused and listed; the same roll
// uploaded again into a new campaign issues nobody.
func TestIssueCampaignCrashNoDuplicate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	storetest.Each(t, func(t *testing.T, db *gorm.DB) { crashNoDuplicate(t, db) })
}

func crashNoDuplicate(t *testing.T, db *gorm.DB) {
	const n = 3000
	e := newIssuanceEnvOn(t, db, 5*time.Millisecond)
	e.gpd.every = 400
	ctx := context.Background()
	rows := issuance.DemoRows(n, 2026)
	bad := "2026,F,RSSMRA80A01L424X,Bad Check,,10.00,,,,1.00,,,\n2025,F,BNCGLI85C55L424K,Wrong Year,,10.00,,,,1.00,,,\n"
	c, dry := e.upload(t, e.plan, rows, bad)
	if dry.Rows != n || dry.Refused != 2 || len(dry.RefusedRows) != 2 || dry.RefusedRows[0].Line != n+2 || dry.RefusedRows[1].Field != "tax_year" {
		t.Fatalf("dry run: rows %d refused %d %+v", dry.Rows, dry.Refused, dry.RefusedRows)
	}
	if keys, _, _ := positionsByKey(t, e.db, "TARI-2026-"); keys != 0 {
		t.Fatalf("%d positions before confirming", keys)
	}
	w1 := e.worker(t)
	if _, err := e.svc.Confirm(ctx, c); err != nil {
		t.Fatal(err)
	}
	mid := e.waitFor(t, c.ID, 2*time.Minute, func(c *issuance.Campaign) bool { return c.Progress.Issued >= n/3 })
	w1.Stop() // the worker goes away in the middle of a chunk
	if mid.Progress.Issued == n {
		t.Fatal("the campaign ended before the worker was stopped: nothing was restarted")
	}
	w2 := e.worker(t)
	defer w2.Stop()
	got := e.waitFor(t, c.ID, 3*time.Minute, func(c *issuance.Campaign) bool { return c.Status == issuance.Done })
	if got.Progress.Issued != n || got.Progress.Failed != 0 || got.Progress.Pending != 0 {
		t.Errorf("progress = %+v", got.Progress)
	}
	keys, dups, options := positionsByKey(t, e.db, "TARI-2026-")
	if keys != n || dups != 0 || options != 4*n {
		t.Errorf("positions: %d keys, %d duplicates, %d options; want %d, 0, %d", keys, dups, options, n, 4*n)
	}
	if e.gpd.fails.Load() == 0 {
		t.Error("no GPD call failed: the test did not exercise the crash")
	}
	var unsynced int64
	e.db.Raw("SELECT COUNT(*) FROM pagopa_positions WHERE iupd LIKE 'TARI-2026-%' AND (NOT synced OR status <> 'VALID')").Scan(&unsynced)
	if unsynced != 0 {
		t.Errorf("%d positions not at GPD or not valid", unsynced)
	}
	desc, err := e.c.DescribeWorkflowExecution(ctx, issuance.WorkflowID(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if desc.WorkflowExecutionInfo.GetFirstRunId() == desc.WorkflowExecutionInfo.Execution.GetRunId() {
		t.Error("the workflow never continued as new")
	}
	if h := desc.WorkflowExecutionInfo.GetHistoryLength(); h > 200 {
		t.Errorf("last run's history has %d events: not bounded by continue-as-new", h)
	}
	probs, total, err := e.svc.Store.Problems(ctx, c.ID, 10, 0)
	if err != nil || total != 2 || probs[0].Line != n+2 {
		t.Errorf("problems = %+v (%d), %v", probs, total, err)
	}

	// The same roll again, in a new campaign: everyone is refused as already issued.
	c2, dry2 := e.upload(t, e.plan, rows, "")
	if dry2.Rows != 0 || dry2.Refused != n {
		t.Errorf("re-upload dry run: rows %d refused %d", dry2.Rows, dry2.Refused)
	}
	if _, err := e.svc.Confirm(ctx, c2); !errs.Is(err, errs.Conflict) {
		t.Errorf("confirming an empty campaign: %v", err)
	}
	if keys, dups, _ := positionsByKey(t, e.db, "TARI-2026-"); keys != n || dups != 0 {
		t.Errorf("after the re-upload: %d keys, %d duplicates", keys, dups)
	}
}

// TestIssueCampaignPauseResumeCancel steers campaigns through Updates: a
// pause holds the rows where they are, resume finishes them, cancel stops
// with the rest pending; a resume of a campaign not paused is refused.
func TestIssueCampaignPauseResumeCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	e := newIssuanceEnv(t, 3*time.Millisecond)
	e.launcher.ChunkSize = 40
	ctx := context.Background()
	w := e.worker(t)
	defer w.Stop()
	rows := issuance.DemoRows(400, 2026)

	c, _ := e.upload(t, e.plan, rows, "")
	if _, err := e.svc.Confirm(ctx, c); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, c.ID, time.Minute, func(c *issuance.Campaign) bool { return c.Progress.Issued > 0 })
	cur, _ := e.svc.Store.Get(ctx, c.ID)
	if _, err := e.svc.Act(ctx, cur, "resume"); !errs.Is(err, errs.Conflict) {
		t.Errorf("resume while issuing: %v, want conflict", err)
	}
	paused, err := e.svc.Act(ctx, cur, "pause")
	if err != nil {
		t.Fatal(err)
	}
	desc, err := e.c.DescribeWorkflowExecution(ctx, issuance.WorkflowID(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	pausedRun := desc.WorkflowExecutionInfo.Execution.GetRunId()
	if paused.Status != issuance.Paused || paused.Progress.Pending == 0 {
		t.Fatalf("after pause: %s %+v", paused.Status, paused.Progress)
	}
	time.Sleep(time.Second)
	still, _ := e.svc.Store.Get(ctx, c.ID)
	if still.Progress.Issued != paused.Progress.Issued {
		t.Errorf("issued moved while paused: %d → %d", paused.Progress.Issued, still.Progress.Issued)
	}
	if _, err := e.svc.Act(ctx, still, "resume"); err != nil {
		t.Fatal(err)
	}
	done := e.waitFor(t, c.ID, time.Minute, func(c *issuance.Campaign) bool { return c.Status == issuance.Done })
	if done.Progress.Issued != 400 {
		t.Errorf("done with %+v", done.Progress)
	}
	if *record {
		// The run that was paused and resumed, for the replay tests:
		// go test ./bench -run TestIssueCampaignPauseResumeCancel -record -record-version v1
		save(t, &env{c: e.c}, e.c.GetWorkflow(ctx, issuance.WorkflowID(c.ID), pausedRun), historyName("issuance", *recordVersion))
	}

	plan := e.plan
	plan.Year = 2027
	rows27 := issuance.DemoRows(400, 2027)
	c2, _ := e.upload(t, plan, rows27, "")
	if _, err := e.svc.Confirm(ctx, c2); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, c2.ID, time.Minute, func(c *issuance.Campaign) bool { return c.Progress.Issued > 0 })
	cur, _ = e.svc.Store.Get(ctx, c2.ID)
	cancelled, err := e.svc.Act(ctx, cur, "cancel")
	if err != nil {
		t.Fatal(err)
	}
	if cancelled.Status != issuance.Cancelled || cancelled.Progress.Pending == 0 || cancelled.FinishedAt == nil {
		t.Errorf("after cancel: %s %+v", cancelled.Status, cancelled.Progress)
	}
	time.Sleep(500 * time.Millisecond)
	after, _ := e.svc.Store.Get(ctx, c2.ID)
	if after.Progress.Issued != cancelled.Progress.Issued {
		t.Errorf("issued moved after cancel: %d → %d", cancelled.Progress.Issued, after.Progress.Issued)
	}
	keys, dups, _ := positionsByKey(t, e.db, "TARI-2027-")
	if int(keys) != after.Progress.Issued || dups != 0 {
		t.Errorf("2027 positions %d (dups %d), issued rows %d", keys, dups, after.Progress.Issued)
	}

	// Confirming the cancelled campaign again takes up only its pending rows.
	if _, err := e.svc.Confirm(ctx, after); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, c2.ID, time.Minute, func(c *issuance.Campaign) bool { return c.Status == issuance.Done && c.Progress.Issued == 400 })
	if keys, dups, _ := positionsByKey(t, e.db, "TARI-2027-"); keys != 400 || dups != 0 {
		t.Errorf("after taking up the cancelled campaign: %d positions, %d duplicates", keys, dups)
	}
}

func quietLogger() tlog.Logger {
	return tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}
