package appio_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/store/statelog"
)

// TestSimulatorLogSurvivesAbandon sends messages and blocks a service over
// HTTP on a simulator that is never closed, as a kill -9 leaves it: a second
// simulator on the same state file sees every message the first one
// acknowledged and the block, and folds the log into the snapshot at start.
func TestSimulatorLogSurvivesAbandon(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "appio-sim.json")
	first, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, first)
	var ids []string
	for i := range 200 {
		id, err := c.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: fmt.Sprintf("Avviso TARI n. %d", i), Markdown: body}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	first.Block(onIO, "key-other")
	if _, err := os.Stat(file + ".log"); err != nil {
		t.Fatalf("no write-ahead log: %v", err)
	}

	second, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := second.Count(); got != len(ids) {
		t.Errorf("messages after the restart = %d, want %d", got, len(ids))
	}
	inbox := second.Inbox(onIO)
	for i, m := range inbox {
		if want := ids[len(ids)-1-i]; m.ID != want {
			t.Fatalf("inbox[%d] = %s, want %s (newest first)", i, m.ID, want)
		}
	}
	c2 := newClient(t, second)
	if p, err := c2.Profile(ctx, "key-other", onIO); err != nil || p.SenderAllowed {
		t.Errorf("blocked service after the restart: profile %+v, err %v; want sender_allowed false", p, err)
	}
	if _, err := os.Stat(file + ".log"); !os.IsNotExist(err) {
		t.Errorf("the log was not folded into the snapshot at start: %v", err)
	}
	if _, err := c2.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Dopo il riavvio", Markdown: body}}); err != nil {
		t.Fatal(err)
	}
	third, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.Count(); got != len(ids)+1 {
		t.Errorf("messages after the second restart = %d, want %d", got, len(ids)+1)
	}
}

// TestSimulatorLogTornLastLine drops a last line cut short (never
// acknowledged) and refuses a log broken before its last line, naming it.
func TestSimulatorLogTornLastLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "appio-sim.json")
	first, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, first)
	for i := range 3 {
		if _, err := c.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: fmt.Sprintf("Messaggio %d", i), Markdown: body}}); err != nil {
			t.Fatal(err)
		}
	}
	log, err := os.ReadFile(file + ".log")
	if err != nil {
		t.Fatalf("no write-ahead log: %v", err)
	}
	if err := os.WriteFile(file+".log", append(append([]byte{}, log...), `{"message":{"id":"01J`...), 0o600); err != nil {
		t.Fatal(err)
	}
	second, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatalf("torn last line: %v", err)
	}
	if got := second.Count(); got != 3 {
		t.Errorf("messages after a torn last line = %d, want 3", got)
	}

	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other+".log", append([]byte("{broken\n"), log...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := appio.NewSimulator().WithStateFile(other); err == nil || !strings.Contains(err.Error(), other+".log") {
		t.Errorf("a log broken before its last line: err = %v, want an error naming %s.log", err, other)
	}
}

// TestSimulatorSubmitCostFlat submits 5,000 messages over HTTP to a
// simulator with a state file and compares the median time of the last 500
// with that of the first 500: keeping the state must cost the size of the
// change, not of the inbox. A ratio bound, not a timed test.
func TestSimulatorSubmitCostFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 messages")
	}
	const n, window = 5000, 500
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "appio-sim.json")
	s, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	took := make([]time.Duration, n)
	start := time.Now()
	for i := range n {
		m := &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: fmt.Sprintf("Avviso TARI 2026 n. %d", i), Markdown: body}}
		t0 := time.Now()
		if _, err := c.Submit(ctx, key, m); err != nil {
			t.Fatal(err)
		}
		took[i] = time.Since(t0)
	}
	total := time.Since(start)
	median := func(d []time.Duration) time.Duration {
		d = slices.Clone(d)
		slices.Sort(d)
		return d[len(d)/2]
	}
	first, last := median(took[:window]), median(took[n-window:])
	ratio := float64(last) / float64(first)
	t.Logf("%d messages in %v (%.0f/s); median of the first %d %v, of the last %d %v: ratio %.2f", n, total, float64(n)/total.Seconds(), window, first, window, last, ratio)
	if ratio > 3 {
		t.Errorf("the last %d messages cost %.1f× the first %d (median %v vs %v): the cost per message grows with the inbox", window, ratio, window, last, first)
	}
	again, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Count(); got != n {
		t.Errorf("messages after a restart = %d, want %d", got, n)
	}
}

// TestSimulatorLogReplayedTwice leaves the log beside the snapshot it was
// already folded into, as a stop between the two steps of a compaction
// would: replaying it again adds no message twice.
func TestSimulatorLogReplayedTwice(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "appio-sim.json")
	first, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, first)
	for i := range 5 {
		if _, err := c.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: fmt.Sprintf("Messaggio %d", i), Markdown: body}}); err != nil {
			t.Fatal(err)
		}
	}
	log, err := os.ReadFile(file + ".log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := appio.NewSimulator().WithStateFile(file); err != nil { // folds the log
		t.Fatal(err)
	}
	if err := os.WriteFile(file+".log", log, 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Count(); got != 5 {
		t.Errorf("messages after the log was replayed twice = %d, want 5", got)
	}
}

// TestSimulatorLogCompacts sends enough messages for the log to outgrow
// statelog.MinCompact: it is folded into the snapshot on the way, so it
// never holds much more than that, and a restart still sees every message.
func TestSimulatorLogCompacts(t *testing.T) {
	if testing.Short() {
		t.Skip("about 10 MB of messages")
	}
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "appio-sim.json")
	s, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, s)
	long := strings.Repeat("Avviso di pagamento TARI 2026, rata unica o tre rate. ", 30) // about 1.6 kB a line
	n := 0
	for ; n < 7000; n++ {
		if _, err := c.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: fmt.Sprintf("Avviso TARI n. %d", n), Markdown: long}}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := os.Stat(file)
	if err != nil {
		t.Fatalf("no snapshot after %d messages: %v", n, err)
	}
	if snap.Size() < statelog.MinCompact/2 { // only a compaction writes it: none at a start without one
		t.Errorf("snapshot of %d bytes after %d messages: the log was not folded into it", snap.Size(), n)
	}
	if log, err := os.Stat(file + ".log"); err == nil && log.Size() > statelog.MinCompact+1<<20 {
		t.Errorf("log of %d bytes, above the compaction threshold", log.Size())
	}
	again, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Count(); got != n {
		t.Errorf("messages after a restart = %d, want %d", got, n)
	}
}
