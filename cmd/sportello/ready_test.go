package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// startGeneric starts the minimal pratica (a generic request in Trieste).
func (p *proc) startGeneric(citizen string) string {
	var started struct {
		ID string `json:"id"`
	}
	code := p.call("POST", "/api/pratiche", citizen, map[string]any{
		"service": "c_l424.richiesta-generica",
		"data":    map[string]any{"oggetto": "Accesso agli atti", "testo": "Chiedo copia della delibera 12/2026"},
	}, &started)
	if code != http.StatusCreated || started.ID == "" {
		p.t.Fatalf("start = %d %+v", code, started)
	}
	return started.ID
}

// untilStatus polls the status API for up to limit until the pratica reaches
// status, and returns how long it took (or limit and false).
func (p *proc) untilStatus(id, token, status string, limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < limit {
		var d detail
		if p.call("GET", "/api/pratiche/"+id, token, nil, &d) == http.StatusOK && d.Status == status {
			return time.Since(start), true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return limit, false
}

// TestReadyMeansServed kills the real program while a pratica waits for its
// office, starts it again and, as soon as /readyz says ready, starts a new
// pratica and acts on the old one: both must move within 5 seconds, because
// ready means the worker is being served, not only that Temporal answers.
func TestReadyMeansServed(t *testing.T) {
	p := startDev(t)
	citizen := p.token("mario.rossi")
	old := p.startGeneric(citizen)
	p.waitStatus(old, citizen, "registered")

	p.kill()
	began := time.Now()
	p.start() // returns at the first 200 of /readyz
	ready := time.Since(began)
	t.Logf("ready %v after the restart began", ready.Round(time.Millisecond))

	citizen, operator := p.token("mario.rossi"), p.token("op.trieste")
	fresh := p.startGeneric(citizen)
	took, ok := p.untilStatus(fresh, citizen, "registered", 90*time.Second)
	t.Logf("a new pratica reached its office %v after ready", took.Round(time.Millisecond))
	if !ok || took > 5*time.Second {
		t.Errorf("a new pratica took %v to move after /readyz said ready, want under 5s", took)
	}
	// Before the fix a restarted program waited for its dead predecessor's
	// cluster membership to expire: about a minute with nothing moving.
	if ready+took > 20*time.Second {
		t.Errorf("the first pratica moved %v after the restart began, want well under a minute", ready+took)
	}

	if code := p.call("POST", "/api/pratiche/"+old+"/actions", operator, map[string]any{"action": "acknowledge"}, nil); code != http.StatusOK {
		t.Fatalf("acknowledge = %d", code)
	}
	took, ok = p.untilStatus(old, citizen, "completed", 90*time.Second)
	t.Logf("the pratica from before the crash completed %v after the action", took.Round(time.Millisecond))
	if !ok || took > 5*time.Second {
		t.Errorf("the pratica from before the crash took %v to move, want under 5s", took)
	}
}

// TestReadyWhenPortsAreTaken: a restart after a kill -9 whose embedded
// Temporal server cannot get the ports of its last run back (another program
// took one) must not wait for its dead predecessor's cluster members either.
func TestReadyWhenPortsAreTaken(t *testing.T) {
	p := startDev(t)
	citizen := p.token("mario.rossi")
	p.waitStatus(p.startGeneric(citizen), citizen, "registered")
	p.kill()

	var ports []int
	b, err := os.ReadFile(filepath.Join(p.dir, "temporal.db.ports"))
	if err != nil || json.Unmarshal(b, &ports) != nil || len(ports) < 2 {
		t.Fatalf("ports of the last run: %s %v", b, err)
	}
	squatter, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", ports[len(ports)-1]))
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()

	began := time.Now()
	p.start()
	ready := time.Since(began)
	citizen = p.token("mario.rossi")
	took, ok := p.untilStatus(p.startGeneric(citizen), citizen, "registered", 90*time.Second)
	t.Logf("on new ports: ready %v after the restart began, a new pratica reached its office %v later", ready.Round(time.Millisecond), took.Round(time.Millisecond))
	if !ok || took > 5*time.Second || ready+took > 20*time.Second {
		t.Errorf("on new ports the first pratica moved %v after the restart began (ready after %v)", ready+took, ready)
	}
}
