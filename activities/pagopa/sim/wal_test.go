package sim_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
)

// many returns n positions with their own IUVs.
func many(prefix string, n int) []pagopa.GPDPosition {
	out := make([]pagopa.GPDPosition, n)
	for i := range out {
		p := position(fmt.Sprintf("%s-%d", prefix, i), true)
		for j := range p.PaymentOption {
			p.PaymentOption[j].IUV = fmt.Sprintf("%s%d%014d", prefix[:1], j, i)
		}
		out[i] = p
	}
	return out
}

// TestStateLogSurvivesAbandon changes a simulator through every door (single
// create, publish, invalidate, a massive upload, a payment) and never closes
// it, as a kill -9 would leave it; a second simulator opened on the same
// state file sees every change the first one acknowledged, and folds the
// log into the snapshot.
func TestStateLogSurvivesAbandon(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "pagopa-sim.json")
	first, err := sim.Open(sim.Config{StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(first)
	defer srv.Close()
	c := pagopa.NewClient(srv.URL, "")
	singles := many("S", 50)
	for i, p := range singles {
		if _, err := c.CreatePosition(ctx, org, p, i%5 != 0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.PublishPosition(ctx, org, "S-0"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InvalidatePosition(ctx, org, "S-1"); err != nil {
		t.Fatal(err)
	}
	b := pagopa.NewBulk(srv.URL, sim.Broker, "")
	b.PollEvery = time.Millisecond
	if _, err := b.BulkCreate(ctx, org, many("B", 300)); err != nil {
		t.Fatal(err)
	}
	g, _ := c.GetPosition(ctx, org, "S-2")
	pay, err := first.Pay(ctx, org, g.PaymentOption[0].NAV, "RSSMRA80A01H501U")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".log"); err != nil {
		t.Fatalf("no write-ahead log: %v", err)
	}

	second, err := sim.Open(sim.Config{StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(second)
	defer srv2.Close()
	c2 := pagopa.NewClient(srv2.URL, "")
	want := map[string]pagopa.Status{"S-0": pagopa.Valid, "S-1": pagopa.Invalid, "S-2": pagopa.Paid, "S-5": pagopa.Draft, "S-49": pagopa.Valid, "B-0": pagopa.Valid, "B-299": pagopa.Valid}
	for iupd, st := range want {
		got, err := c2.GetPosition(ctx, org, iupd)
		if err != nil || pagopa.Status(got.Status) != st {
			t.Errorf("%s after the restart: %+v, %v; want %s", iupd, got, err, st)
		}
	}
	if _, err := second.Pay(ctx, org, pay.NoticeNumber, ""); err == nil {
		t.Error("the notice paid before the restart was paid again")
	}
	if ids, err := pagopa.NewBulk(srv2.URL, sim.Broker, "").Files(ctx, org, "", ""); err != nil || len(ids) != 1 {
		t.Errorf("uploads after the restart: %v, %v", ids, err)
	}
	if _, err := os.Stat(file + ".log"); !os.IsNotExist(err) {
		t.Errorf("the log was not folded into the snapshot at start: %v", err)
	}
}

// TestStateLogTornLastLine drops a last line cut short (never acknowledged)
// and refuses a log broken in the middle, naming the file.
func TestStateLogTornLastLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "pagopa-sim.json")
	first, _ := sim.Open(sim.Config{StateFile: file})
	srv := httptest.NewServer(first)
	defer srv.Close()
	for _, p := range many("T", 3) {
		if _, err := pagopa.NewClient(srv.URL, "").CreatePosition(ctx, org, p, true); err != nil {
			t.Fatal(err)
		}
	}
	log, _ := os.ReadFile(file + ".log")
	torn := append(append([]byte{}, log...), `{"position":{"org":"0021`...)
	os.WriteFile(file+".log", torn, 0o600)
	second, err := sim.Open(sim.Config{StateFile: file})
	if err != nil {
		t.Fatalf("torn last line: %v", err)
	}
	srv2 := httptest.NewServer(second)
	defer srv2.Close()
	if _, err := pagopa.NewClient(srv2.URL, "").GetPosition(ctx, org, "T-2"); err != nil {
		t.Errorf("T-2 after a torn last line: %v", err)
	}

	other := filepath.Join(dir, "other.json")
	os.WriteFile(other+".log", append([]byte("{broken\n"), log...), 0o600)
	if _, err := sim.Open(sim.Config{StateFile: other}); err == nil {
		t.Error("a log broken before its last line was accepted")
	}
}
