package email_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/email"
)

// send delivers n messages to the catcher behind cfg over SMTP and returns how
// long each took.
func send(t *testing.T, cfg email.Config, from, n int) []time.Duration {
	t.Helper()
	cl, err := email.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	took := make([]time.Duration, n)
	for i := range n {
		t0 := time.Now()
		err := cl.Send(context.Background(), email.Message{To: "sposa@example.it", Subject: fmt.Sprintf("Pratica n. %d ricevuta", from+i),
			Text: "Gentile cittadina,\nla sua pratica è stata ricevuta e sarà esaminata entro trenta giorni.\n", MessageID: fmt.Sprintf("m%d@sportello", from+i)})
		if err != nil {
			t.Fatal(err)
		}
		took[i] = time.Since(t0)
	}
	return took
}

// TestCatcherLogSurvivesAbandon leaves a catcher without closing it, as a
// kill -9 would: a new one on the same state file holds every message it
// accepted, read from the write-ahead log, which it folds into the snapshot;
// closing a catcher folds its log too.
func TestCatcherLogSurvivesAbandon(t *testing.T) {
	file := filepath.Join(t.TempDir(), "mail-sim.json")
	first, err := email.NewCatcher().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	send(t, catcher(t, first), 0, 50)
	if _, err := os.Stat(file + ".log"); err != nil {
		t.Fatalf("no write-ahead log beside the state file: %v", err)
	}
	second, err := email.NewCatcher().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got := second.Messages("")
	if len(got) != 50 {
		t.Fatalf("messages after the abandon = %d, want 50", len(got))
	}
	for i, m := range got {
		if want := fmt.Sprintf("Pratica n. %d ricevuta", i); m.Subject != want {
			t.Fatalf("message %d: subject %q, want %q (oldest first)", i, m.Subject, want)
		}
	}
	if _, err := os.Stat(file + ".log"); !os.IsNotExist(err) {
		t.Errorf("the log was not folded into the snapshot at start: %v", err)
	}
	send(t, catcher(t, second), 50, 1)
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".log"); !os.IsNotExist(err) {
		t.Errorf("the log was not folded into the snapshot at close: %v", err)
	}
	third, err := email.NewCatcher().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(third.Messages("")); n != 51 {
		t.Errorf("messages after a clean close = %d, want 51", n)
	}
}

// TestCatcherCostFlat: the last messages into a big inbox cost about what the
// first ones did (one log line each, not the whole inbox rewritten).
func TestCatcherCostFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("3,000 messages")
	}
	const n, window = 3000, 300
	file := filepath.Join(t.TempDir(), "mail-sim.json")
	c, err := email.NewCatcher().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	took := send(t, catcher(t, c), 0, n)
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
}
