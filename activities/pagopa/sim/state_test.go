package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
)

// TestStateFileSurvivesRestart issues a notice on one simulator and pays it
// on a second one built on the same state file, as after a restart.
func TestStateFileSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "data", "pagopa-sim.json")

	first, err := sim.Open(sim.Config{StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	srv1 := httptest.NewServer(first)
	defer srv1.Close()
	if _, err := pagopa.NewClient(srv1.URL, "").CreatePosition(ctx, org, position("TARI-9", false), true); err != nil {
		t.Fatal(err)
	}

	second, err := sim.Open(sim.Config{StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(second)
	defer srv2.Close()
	got, err := pagopa.NewClient(srv2.URL, "").GetPosition(ctx, org, "TARI-9")
	if err != nil {
		t.Fatalf("position after restart: %v", err)
	}
	if got.Status != string(pagopa.Valid) {
		t.Errorf("status after restart = %s, want VALID", got.Status)
	}
	pay, err := second.Pay(ctx, org, "347000000000000124", "RSSMRA80A01H501U")
	if err != nil {
		t.Fatalf("pay after restart: %v", err)
	}

	// A third start sees the payment and the paid position.
	third, err := sim.Open(sim.Config{StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	srv3 := httptest.NewServer(third)
	defer srv3.Close()
	var payments []sim.Payment
	if err := json.Unmarshal([]byte(get(t, srv3.URL+"/payments")), &payments); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]sim.Payment{*pay}, payments); diff != "" {
		t.Errorf("GET /payments after restart (-want +got):\n%s", diff)
	}
	if _, err := third.Pay(ctx, org, "347000000000000124", ""); !errors.Is(err, sim.ErrAlreadyPaid) && !errors.Is(err, sim.ErrNotPayable) {
		t.Errorf("paying again after restart: err = %v, want already paid or not payable", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("data dir holds %d files, want only the state file (no temp files left)", len(entries))
	}
}

func TestStateFileMissingAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	s, err := sim.Open(sim.Config{StateFile: filepath.Join(dir, "missing.json")})
	if err != nil || s == nil {
		t.Fatalf("missing file: %v, want an empty simulator", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"positions": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Open(sim.Config{StateFile: bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt file: err = %v, want an error naming %s", err, bad)
	}
}
