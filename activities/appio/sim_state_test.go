package appio_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/appio"
)

// TestSimulatorStateFile sends a message and blocks a service on one
// simulator, then reads them from a second one on the same file, as after a
// restart.
func TestSimulatorStateFile(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "appio-sim.json")
	first, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	id, err := newClient(t, first).Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Pagamento ricevuto", Markdown: body}})
	if err != nil {
		t.Fatal(err)
	}
	first.Block(onIO, "key-other")
	want := first.Inbox(onIO)

	second, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, second.Inbox(onIO)); diff != "" {
		t.Errorf("inbox after restart (-want +got):\n%s", diff)
	}
	if len(want) != 1 || want[0].ID != id {
		t.Errorf("inbox = %+v, want the message %s", want, id)
	}
	c := newClient(t, second)
	if p, err := c.Profile(ctx, "key-other", onIO); err != nil || p.SenderAllowed {
		t.Errorf("blocked service after restart: profile %+v, err %v; want sender_allowed false", p, err)
	}
	if _, err := c.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Secondo messaggio", Markdown: body}}); err != nil {
		t.Fatal(err)
	}
	third, err := appio.NewSimulator().WithStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.Count(); got != 2 {
		t.Errorf("messages after second restart = %d, want 2", got)
	}
}

func TestSimulatorStateFileMissingAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	s, err := appio.NewSimulator().WithStateFile(filepath.Join(dir, "missing.json"))
	if err != nil || s.Count() != 0 {
		t.Fatalf("missing file: err %v, want an empty simulator", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := appio.NewSimulator().WithStateFile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt file: err = %v, want an error naming %s", err, bad)
	}
}
