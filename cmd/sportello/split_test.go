package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

// TestProductionSplit runs the production layout for real on PostgreSQL:
// `sportello dev` stands in for the Temporal cluster and the identity broker;
// two migrations start at once, then the demo data is loaded, two workers and
// a server start, and a pratica started through the server is run by the
// workers and completed; an overlay published through the server is what the
// next pratica runs.
func TestProductionSplit(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	cluster := startDev(t)
	admin, err := store.Open(store.Postgres, dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("split_%d", time.Now().UnixNano())
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	httpPort := freePort(t)
	env := append(os.Environ(),
		"SPORTELLO_DB_DRIVER=postgres",
		"SPORTELLO_DB_DSN="+storetest.WithSearchPath(dsn, schema),
		fmt.Sprintf("SPORTELLO_TEMPORAL_ADDRESS=127.0.0.1:%d", cluster.tPort),
		"SPORTELLO_TEMPORAL_TASK_QUEUE="+schema,
		"SPORTELLO_OIDC_ISSUER="+cluster.url("/idp"),
		// Outside dev the outside systems are required settings: the dev's simulators stand in.
		"SPORTELLO_PAGOPA_URL="+cluster.url("/sim/pagopa"),
		"SPORTELLO_APPIO_URL="+cluster.url("/sim/appio"),
		// The dev provider is the trusted broker here: its demo staff carry role claims.
		"SPORTELLO_OIDC_ROLE_CLAIMS=true",
		fmt.Sprintf("SPORTELLO_HTTP_ADDR=127.0.0.1:%d", httpPort),
		fmt.Sprintf("SPORTELLO_PUBLIC_URL=http://127.0.0.1:%d", httpPort),
		"SPORTELLO_LOG_LEVEL=warn",
	)
	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(cluster.bin, args...)
		cmd.Env = env
		return cmd
	}

	// Two migrations at once: the advisory lock makes the second wait, then find nothing to do.
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { outs[i], errs[i] = run("migrate").CombinedOutput() })
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("migrate %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if out, err := run("seed").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}

	var procs []*exec.Cmd
	logs := &lockedBuffer{}
	for _, args := range [][]string{{"worker"}, {"worker"}, {"server"}} {
		cmd := run(args...)
		cmd.Stdout, cmd.Stderr = logs, logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	t.Cleanup(func() {
		for _, c := range procs {
			c.Process.Signal(os.Interrupt)
		}
		for _, c := range procs {
			c.Wait()
		}
		if t.Failed() {
			t.Logf("server and workers:\n%s", logs.String())
		}
	})
	server := &proc{t: t, httpPort: httpPort}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(server.url("/readyz"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready:\n%s", logs.String())
		}
		time.Sleep(250 * time.Millisecond)
	}

	citizen, operator := cluster.token("mario.rossi"), cluster.token("op.trieste")
	var started struct {
		ID       string `json:"id"`
		Template string `json:"template"`
	}
	if code := server.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.richiesta-generica",
		"data": map[string]any{"oggetto": "Accesso agli atti", "testo": "Chiedo copia della delibera 12/2026"}}, &started); code != http.StatusCreated {
		t.Fatalf("start through the server = %d", code)
	}
	server.waitStatus(started.ID, citizen, "registered")
	if code := server.call("POST", "/api/pratiche/"+started.ID+"/actions", operator, map[string]any{"action": "acknowledge"}, nil); code != http.StatusOK {
		t.Fatalf("acknowledge = %d", code)
	}
	server.waitStatus(started.ID, citizen, "completed")
	// The dev instance, with its own SQLite database, never saw this pratica.
	if code := cluster.call("GET", "/api/pratiche/"+started.ID, citizen, nil, nil); code != http.StatusNotFound {
		t.Errorf("the pratica leaked into the dev database: %d", code)
	}
	// Publishing goes live in this layout too: the overlay an ente admin
	// publishes through the server is the version the next pratica runs.
	enteAdmin := cluster.token("admin.trieste")
	var o map[string]any
	server.call("GET", "/api/modeler/overlays/c_l424/matrimonio", enteAdmin, nil, &o)
	o["values"].(map[string]any)["tariffa"] = 18000
	server.call("PUT", "/api/modeler/overlays/c_l424/matrimonio", enteAdmin, o, nil)
	var rec struct{ Version int }
	if code := server.call("POST", "/api/modeler/overlays/c_l424/matrimonio/publish", enteAdmin, nil, &rec); code != http.StatusOK {
		t.Fatalf("publish overlay through the server = %d", code)
	}
	if code := server.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.matrimonio", "data": marriageForm()}, &started); code != http.StatusCreated ||
		started.Template != fmt.Sprintf("c_l424.matrimonio@%d", rec.Version) || rec.Version < 2 {
		t.Errorf("a marriage after the publish = %d on %q, want c_l424.matrimonio@%d", code, started.Template, rec.Version)
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a process panicked:\n%s", logs.String())
	}
}
