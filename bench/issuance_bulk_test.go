package bench

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// useBulk makes the campaign's activities send through GPD's massive upload
// API of the environment's simulator, polling fast.
func (e *issuanceEnv) useBulk() *pagopa.Bulk {
	b := pagopa.NewBulk(e.simURL, sim.Broker, "")
	b.Backoff, b.PollEvery, b.PollMax = 20*time.Millisecond, 20*time.Millisecond, 200*time.Millisecond
	b.Log = slog.New(slog.DiscardHandler)
	e.acts.GPD = issuance.BulkGPD{Bulk: b, Single: pagopa.NewClient(e.simURL, "")}
	return b
}

// uploads lists the massive upload files the simulator received for org.
func uploads(t *testing.T, b *pagopa.Bulk, org string) []string {
	t.Helper()
	ids, err := b.Files(context.Background(), org, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestIssueCampaignBulkFaults issues 2,400 households through the embedded
// Temporal server and GPD's massive upload API of the simulator over HTTP,
// with its faults: the first file is taken but its answer lost (503, so it
// is uploaded again and GPD answers 409 for every position), every 97th
// position refused, status polls answered 429/500 then IN_PROGRESS for a
// while, and a report missing at first. Every row ends issued exactly once
// or failed with GPD's reason in the error list; a retry of the failed rows
// sends a file of those rows only.
func TestIssueCampaignBulkFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	const n = 2400
	e := newIssuanceEnvSim(t, storetest.SQLite(t), sim.Config{Bulk: sim.BulkFaults{
		UploadLost: 1, RefuseEvery: 97, StatusFaults: 2, InProgressPolls: 3, ReportMissing: 1}})
	bulk := e.useBulk()
	ctx := context.Background()
	c, _ := e.upload(t, e.plan, issuance.DemoRows(n, 2026), "")
	w := e.worker(t)
	defer w.Stop()
	if _, err := e.svc.Confirm(ctx, c); err != nil {
		t.Fatal(err)
	}
	got := e.waitFor(t, c.ID, 3*time.Minute, func(c *issuance.Campaign) bool { return c.Status == issuance.Done })
	if got.Progress.Failed == 0 || got.Progress.Issued+got.Progress.Failed != n || got.Progress.Pending != 0 {
		t.Fatalf("progress = %+v: want some failed by GPD and the rest issued", got.Progress)
	}
	keys, dups, options := positionsByKey(t, e.db, "TARI-2026-")
	if keys != n || dups != 0 || options != 4*n {
		t.Errorf("positions: %d keys, %d duplicates, %d options; want %d, 0, %d", keys, dups, options, n, 4*n)
	}
	var synced int64
	e.db.Raw("SELECT COUNT(*) FROM pagopa_positions WHERE iupd LIKE 'TARI-2026-%' AND synced AND status = 'VALID'").Scan(&synced)
	if synced != int64(got.Progress.Issued) {
		t.Errorf("%d positions synced and valid, %d rows issued", synced, got.Progress.Issued)
	}
	probs, total, err := e.svc.Store.Problems(ctx, c.ID, n, 0)
	if err != nil || total != int64(got.Progress.Failed) {
		t.Fatalf("problems: %d listed, %d failed, %v", total, got.Progress.Failed, err)
	}
	org := c.OrgFiscalCode
	single := pagopa.NewClient(e.simURL, "")
	for _, p := range probs {
		if !strings.Contains(p.Message, "simulated refusal") {
			t.Errorf("line %d: %q does not carry GPD's reason", p.Line, p.Message)
		}
	}
	// Every position issued is at GPD, every refused one is not.
	var iupds []struct {
		IUPD   string
		Synced bool
	}
	e.db.Raw("SELECT iupd, synced FROM pagopa_positions WHERE iupd LIKE 'TARI-2026-%' ORDER BY iupd").Scan(&iupds)
	for i, p := range iupds {
		if i%10 != 0 && p.Synced {
			continue // read back every refused one and a sample of the rest
		}
		_, err := single.GetPosition(ctx, org, p.IUPD)
		if p.Synced && err != nil || !p.Synced && !errs.Is(err, errs.NotFound) {
			t.Errorf("%s synced=%v, at GPD: %v", p.IUPD, p.Synced, err)
		}
	}
	chunks := (n + e.launcher.ChunkSize - 1) / e.launcher.ChunkSize
	files := uploads(t, bulk, org)
	if len(files) != chunks+1 {
		t.Errorf("%d files uploaded, want one per chunk (%d) and the lost one again", len(files), chunks)
	}

	// A retry of the failed rows sends one file holding just those.
	if _, err := e.svc.Retry(ctx, got); err != nil {
		t.Fatal(err)
	}
	e.waitFor(t, c.ID, 2*time.Minute, func(c *issuance.Campaign) bool { return c.Status == issuance.Done && c.Progress.Pending == 0 })
	after := uploads(t, bulk, org)
	if len(after) != len(files)+1 {
		t.Fatalf("retry uploaded %d files, want 1", len(after)-len(files))
	}
	st, err := bulk.Status(ctx, org, after[len(after)-1])
	if err != nil || st.SubmittedItem != got.Progress.Failed {
		t.Errorf("retry file: %+v, %v; want %d positions", st, err, got.Progress.Failed)
	}
	if keys, dups, _ := positionsByKey(t, e.db, "TARI-2026-"); keys != n || dups != 0 {
		t.Errorf("after the retry: %d keys, %d duplicates", keys, dups)
	}
}

// TestIssueCampaignBulkCrashWhilePolling stops the worker while GPD is still
// processing a file (its status stays IN_PROGRESS for a while): the retried
// activity resumes polling the same file from its heartbeat, uploads
// nothing twice, and every row ends issued once.
func TestIssueCampaignBulkCrashWhilePolling(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	const n = 1000
	e := newIssuanceEnvSim(t, storetest.SQLite(t), sim.Config{Bulk: sim.BulkFaults{InProgressPolls: 15}})
	bulk := e.useBulk()
	e.launcher.ChunkSize = 500
	ctx := context.Background()
	c, _ := e.upload(t, e.plan, issuance.DemoRows(n, 2026), "")
	org := c.OrgFiscalCode
	w1 := e.worker(t)
	if _, err := e.svc.Confirm(ctx, c); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(uploads(t, bulk, org)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no file uploaded")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // a few polls, still IN_PROGRESS
	w1.Stop()
	if c, _ := e.svc.Store.Get(ctx, c.ID); c.Progress.Issued != 0 {
		t.Fatalf("the first file was done before the worker stopped: %+v", c.Progress)
	}
	w2 := e.worker(t)
	defer w2.Stop()
	got := e.waitFor(t, c.ID, 3*time.Minute, func(c *issuance.Campaign) bool { return c.Status == issuance.Done })
	if got.Progress.Issued != n || got.Progress.Failed != 0 {
		t.Errorf("progress = %+v", got.Progress)
	}
	if keys, dups, options := positionsByKey(t, e.db, "TARI-2026-"); keys != n || dups != 0 || options != 4*n {
		t.Errorf("positions: %d keys, %d duplicates, %d options", keys, dups, options)
	}
	if files := uploads(t, bulk, org); len(files) != 2 {
		t.Errorf("%d files uploaded for 2 chunks: the file being polled was uploaded again", len(files))
	}
}
