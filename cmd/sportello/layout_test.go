package main

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

// pgLayout is the production layout as separate real processes: Temporal on
// PostgreSQL (`sportello temporal`, one or more nodes), two `sportello worker`
// and a `sportello server` on a PostgreSQL application database. A `sportello
// dev` stands in for the identity broker only.
type pgLayout struct {
	t        *testing.T
	idp      *proc
	server   *proc
	serverP  *exec.Cmd
	temporal []*exec.Cmd
	workers  []*exec.Cmd
	logs     *lockedBuffer
	// temporalDB is the URL of Temporal's own database, tpg_<n>.
	temporalDB string
}

// startPGLayout starts the layout with nodes Temporal processes at once on a
// fresh Temporal database (their schema set-up races, as on a real roll-out).
func startPGLayout(t *testing.T, idp *proc, nodes int) *pgLayout {
	dsn := os.Getenv(storetest.EnvPostgres)
	if dsn == "" {
		t.Skip("TEST_POSTGRES_DSN not set: the production layout runs on PostgreSQL (CI sets it)")
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		t.Skip("TEST_POSTGRES_DSN is not a URL: Temporal's database is named in its path")
	}
	l := &pgLayout{t: t, idp: idp, logs: &lockedBuffer{}}
	name := fmt.Sprintf("tpg_%d", time.Now().UnixNano())
	u, _ := url.Parse(dsn)
	u.Path = "/" + name
	l.temporalDB = u.String()
	t.Cleanup(func() { l.stop(name, dsn) })

	admin, err := store.Open(store.Postgres, dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "layout_" + strings.TrimPrefix(name, "tpg_")
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })

	var tports []int
	for range nodes {
		p := freeTemporalPort(t, tports)
		tports = append(tports, p)
		cmd := exec.Command(idp.bin, "temporal")
		cmd.Env = append(os.Environ(), "SPORTELLO_TEMPORAL_DB="+l.temporalDB,
			fmt.Sprintf("SPORTELLO_TEMPORAL_ADDRESS=127.0.0.1:%d", p), "SPORTELLO_LOG_LEVEL=info")
		cmd.Stdout, cmd.Stderr = l.logs, l.logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		l.temporal = append(l.temporal, cmd)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for strings.Count(l.logs.String(), "temporal is serving") < nodes {
		if time.Now().After(deadline) || strings.Contains(l.logs.String(), `"level":"fatal"`) {
			t.Fatalf("temporal on postgres not serving:\n%s", l.logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}

	httpPort := freePort(t)
	env := append(os.Environ(),
		"SPORTELLO_DB_DRIVER=postgres",
		"SPORTELLO_DB_DSN="+storetest.WithSearchPath(dsn, schema),
		fmt.Sprintf("SPORTELLO_TEMPORAL_ADDRESS=127.0.0.1:%d", tports[0]),
		"SPORTELLO_OIDC_ISSUER="+idp.url("/idp"),
		// Outside dev the outside systems are required settings: the dev's simulators stand in.
		"SPORTELLO_PAGOPA_URL="+idp.url("/sim/pagopa"),
		"SPORTELLO_APPIO_URL="+idp.url("/sim/appio"),
		"SPORTELLO_OIDC_ROLE_CLAIMS=true",
		fmt.Sprintf("SPORTELLO_HTTP_ADDR=127.0.0.1:%d", httpPort),
		fmt.Sprintf("SPORTELLO_PUBLIC_URL=http://127.0.0.1:%d", httpPort),
		"SPORTELLO_LOG_LEVEL=warn",
	)
	run := func(args ...string) *exec.Cmd {
		cmd := exec.Command(idp.bin, args...)
		cmd.Env = env
		return cmd
	}
	for _, step := range []string{"migrate", "seed"} {
		if out, err := run(step).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", step, err, out)
		}
	}
	for _, args := range []string{"worker", "worker", "server"} {
		cmd := run(args)
		cmd.Stdout, cmd.Stderr = l.logs, l.logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if args == "worker" {
			l.workers = append(l.workers, cmd)
		} else {
			l.serverP = cmd
		}
	}
	l.server = &proc{t: t, bin: idp.bin, httpPort: httpPort}
	deadline = time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(l.server.url("/readyz"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready:\n%s", l.logs.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// stop interrupts every process (server, workers, then Temporal) and drops
// Temporal's two databases.
func (l *pgLayout) stop(name, dsn string) {
	var all []*exec.Cmd
	if l.serverP != nil {
		all = append(all, l.serverP)
	}
	all = append(append(all, l.workers...), l.temporal...)
	for _, c := range all {
		if c.ProcessState == nil {
			c.Process.Signal(os.Interrupt)
		}
	}
	for _, c := range all {
		if c.ProcessState == nil {
			c.Wait()
		}
	}
	if l.t.Failed() {
		l.t.Logf("temporal, server and workers:\n%s", l.logs.String())
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return
	}
	defer db.Close()
	for _, n := range []string{name, name + "_visibility"} {
		if _, err := db.Exec(`DROP DATABASE IF EXISTS "` + n + `" WITH (FORCE)`); err != nil {
			l.t.Logf("drop %s: %v", n, err)
		}
	}
}

// freeTemporalPort finds a frontend port whose service ports (the next three)
// and membership ports (300 below, at most 32767: Temporal's PostgreSQL schema
// keeps them as smallint) are free, away from those taken.
func freeTemporalPort(t *testing.T, taken []int) int {
	for range 200 {
		p := 10300 + rand.IntN(22000)
		ok := true
		for _, q := range taken {
			if p-400 < q && q < p+400 {
				ok = false
			}
		}
		for i := 0; ok && i < 4; i++ {
			for _, port := range []int{p + i, p - 300 + i} {
				ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
				if err != nil {
					ok = false
					break
				}
				ln.Close()
			}
		}
		if ok {
			return p
		}
	}
	t.Fatal("no free Temporal ports")
	return 0
}

// TestProductionLayoutOnPostgres runs Temporal on PostgreSQL as two processes
// of its own started at once on a fresh database, then two workers and a
// server; pratiche started through the HTTP API run on the workers, one worker
// is killed (SIGKILL) with pratiche in flight, and the other completes them all.
// Temporal's state is in PostgreSQL: its executions table holds the pratiche.
func TestProductionLayoutOnPostgres(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("TEST_POSTGRES_DSN not set: the production layout runs on PostgreSQL (CI sets it)")
	}
	idp := startDev(t)
	l := startPGLayout(t, idp, 2)
	citizen, operator := idp.token("mario.rossi"), idp.token("op.trieste")

	var ids []string
	for i := range 6 {
		ids = append(ids, l.server.startGeneric(citizen))
		if i == 2 {
			// Mid-way: three pratiche are in flight, some on this worker.
			for _, id := range ids {
				l.server.waitStatus(id, citizen, "registered")
			}
			if err := l.workers[0].Process.Kill(); err != nil {
				t.Fatal(err)
			}
			l.workers[0].Wait()
		}
	}
	for _, id := range ids {
		l.server.waitStatus(id, citizen, "registered")
		if code := l.server.call("POST", "/api/pratiche/"+id+"/actions", operator, map[string]any{"action": "acknowledge"}, nil); code != http.StatusOK {
			t.Fatalf("acknowledge %s = %d", id, code)
		}
	}
	for _, id := range ids {
		l.server.waitStatus(id, citizen, "completed")
	}

	db, err := sql.Open("pgx", l.temporalDB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version string
	var executions int
	if err := db.QueryRow("SELECT curr_version FROM schema_version").Scan(&version); err != nil || version == "" {
		t.Errorf("temporal schema version = %q, %v", version, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM executions").Scan(&executions); err != nil || executions < len(ids) {
		t.Errorf("temporal executions in postgres = %d, %v; want at least %d", executions, err, len(ids))
	}
	if strings.Contains(l.logs.String(), "panic") {
		t.Errorf("a process panicked:\n%s", l.logs.String())
	}
}
