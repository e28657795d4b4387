package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/store/storetest"
)

var perf = flag.Bool("perf", false, "run the measurements (TestLayoutThroughput): pratiche per second of the production layout vs the SQLite default")

// TestLayoutThroughput measures pratiche per second through the HTTP API, the
// same journey on the SQLite default (`sportello dev`, one process) and on the
// production layout (Temporal on PostgreSQL, a server and two workers, all
// processes of their own), one after the other on this machine, and prints
// both with their ratio. Run it with -perf -v; it asserts nothing on time.
func TestLayoutThroughput(t *testing.T) {
	if !*perf {
		t.Skip("a measurement: run with -perf -v")
	}
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("TEST_POSTGRES_DSN not set: the production layout runs on PostgreSQL")
	}
	n, conc := envInt("SPORTELLO_PERF_PRATICHE", 100), envInt("SPORTELLO_PERF_CLIENTS", 8)
	dev := startDev(t)
	sqlite, sqliteP50 := drivePratiche(t, dev, dev, n, conc)
	l := startPGLayout(t, dev, 1)
	pg, pgP50 := drivePratiche(t, l.server, dev, n, conc)
	t.Logf("pratiche per second, %d pratiche by %d clients (start, wait registered, acknowledge, wait completed):", n, conc)
	t.Logf("  %-66s %6.1f/s  p50 %v", "SQLite default (sportello dev, one process)", sqlite, sqliteP50)
	t.Logf("  %-66s %6.1f/s  p50 %v  (%.2fx)", "Temporal on PostgreSQL + server + 2 workers (separate processes)", pg, pgP50, pg/sqlite)
	fmt.Printf("layout-throughput sqlite=%.2f postgres=%.2f ratio=%.2f sqlite_p50_ms=%d postgres_p50_ms=%d pratiche=%d clients=%d\n",
		sqlite, pg, pg/sqlite, sqliteP50.Milliseconds(), pgP50.Milliseconds(), n, conc)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// drivePratiche runs n generic requests through target's HTTP API with conc
// clients, each from its own loopback address with its own tokens (the rate
// limits are per address and per credential, as for real citizens and
// operators), after a warm-up of conc pratiche; it returns pratiche per second
// and the median time of one pratica from start to completed.
func drivePratiche(t *testing.T, target, idp *proc, n, conc int) (float64, time.Duration) {
	type client struct {
		c                 *http.Client
		citizen, operator string
	}
	clients := make([]client, conc)
	for i := range clients {
		clients[i] = client{loopbackClient(20 + i), idp.token("mario.rossi"), idp.token("op.trieste")}
	}
	one := func(c client) error {
		var started struct {
			ID string `json:"id"`
		}
		if code := sendJSON(c.c, "POST", target.url("/api/pratiche"), c.citizen, genericRequest("Chiedo copia della delibera 12/2026"), &started); code != http.StatusCreated {
			return fmt.Errorf("start = %d", code)
		}
		if err := pollStatus(c.c, target.url("/api/pratiche/"+started.ID), c.citizen, "registered"); err != nil {
			return err
		}
		if code := sendJSON(c.c, "POST", target.url("/api/pratiche/"+started.ID+"/actions"), c.operator, map[string]any{"action": "acknowledge"}, nil); code != http.StatusOK {
			return fmt.Errorf("acknowledge %s = %d", started.ID, code)
		}
		return pollStatus(c.c, target.url("/api/pratiche/"+started.ID), c.citizen, "completed")
	}
	var mu sync.Mutex
	var took []time.Duration
	run := func(total int) time.Duration {
		jobs := make(chan struct{}, total)
		for range total {
			jobs <- struct{}{}
		}
		close(jobs)
		errc := make(chan error, conc)
		var wg sync.WaitGroup
		begin := time.Now()
		for _, c := range clients {
			wg.Go(func() {
				for range jobs {
					t0 := time.Now()
					if err := one(c); err != nil {
						errc <- err
						return
					}
					mu.Lock()
					took = append(took, time.Since(t0))
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		return time.Since(begin)
	}
	run(conc)
	took = nil
	rate := float64(n) / run(n).Seconds()
	slices.Sort(took)
	return rate, took[len(took)/2].Round(time.Millisecond)
}

// sendJSON sends one request, waiting out a 429, and returns the status.
func sendJSON(c *http.Client, method, u, token string, body, out any) int {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	for {
		req, _ := http.NewRequest(method, u, bytes.NewReader(b))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := c.Do(req)
		if err != nil {
			return 0
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if out != nil && len(data) > 0 {
			_ = json.Unmarshal(data, out)
		}
		return resp.StatusCode
	}
}

// pollStatus reads the status API every 100 ms, a portal refreshing often,
// until the pratica has status.
func pollStatus(c *http.Client, u, token, status string) error {
	var d detail
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if code := sendJSON(c, "GET", u, token, nil, &d); code == http.StatusOK && d.Status == status {
			return nil
		}
	}
	return fmt.Errorf("%s is %q, want %q", u, d.Status, status)
}
