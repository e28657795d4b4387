package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

// No container engine runs here: the deploy files are parsed, and the real
// binary is started as each container would be, with the environment the
// file gives it. Only what names another container or a cluster service
// (the database, Temporal, the outside systems, the listening port) is pointed
// at a local stand-in: `sportello dev` for Temporal, the identity broker and
// the outside systems' simulators, and the test's PostgreSQL.

// TestComposeNeedsTheOutsideSystems: the compose file used to start the server
// with an empty OIDC issuer (and no pagoPA URL), which failed at start; now
// compose itself refuses, naming the variable to set.
func TestComposeNeedsTheOutsideSystems(t *testing.T) {
	vars := map[string]string{}
	for _, want := range []string{"SPORTELLO_OIDC_ISSUER", "SPORTELLO_PAGOPA_URL"} {
		for _, svc := range []string{"server", "worker", "migrate"} {
			if _, _, err := composeService(t, svc, vars); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s without %s: err = %v, want it named", svc, want, err)
			}
		}
		vars[want] = "https://" + strings.ToLower(want) + ".example.it"
	}
	if _, env, err := composeService(t, "server", vars); err != nil || env["SPORTELLO_APPIO_URL"] == "" {
		t.Errorf("with both set: err = %v, App IO URL %q", err, env["SPORTELLO_APPIO_URL"])
	}
}

// TestDeployLayoutsReachReady starts the production layout of compose.yaml and
// of the Kubernetes manifests from their own settings: the migration job, the
// workers and the server; the server reaches /readyz (the compose healthcheck
// says so too, and said not before), and the workers run a pratica started
// through the server.
func TestDeployLayoutsReachReady(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	// The stand-in's own worker polls another task queue, so the files' workers get the pratiche.
	cluster := startDev(t, "--temporal-task-queue", "dev-stand-in")
	admin, err := store.Open(store.Postgres, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	for _, tc := range []struct {
		name, dbHost, temporalHost string
		layout                     func(vars map[string]string) layout
	}{
		{"compose", "postgresql", "temporal", func(vars map[string]string) layout { return composeLayout(t, vars) }},
		{"k8s", "postgresql", "temporal-frontend.temporal.svc", func(map[string]string) layout { return k8sLayout(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := fmt.Sprintf("deploy_%s_%d", tc.name, time.Now().UnixNano())
			if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
			port := freePort(t)
			public := fmt.Sprintf("http://127.0.0.1:%d", port)
			// What an operator of compose sets in .env; the Kubernetes files name their own.
			outside := map[string]string{
				"SPORTELLO_OIDC_ISSUER": cluster.url("/idp"),
				"SPORTELLO_PAGOPA_URL":  cluster.url("/sim/pagopa"),
				"SPORTELLO_APPIO_URL":   cluster.url("/sim/appio"),
				"SPORTELLO_PUBLIC_URL":  public,
			}
			l := tc.layout(outside)
			local := map[string]string{
				"SPORTELLO_DB_DSN":           storetest.WithSearchPath(dsn, schema),
				"SPORTELLO_TEMPORAL_ADDRESS": fmt.Sprintf("127.0.0.1:%d", cluster.tPort),
				// The stand-in speaks no TLS: the cluster's certificates have no counterpart here.
				"SPORTELLO_TEMPORAL_TLS": "", "SPORTELLO_TEMPORAL_TLS_CERT": "", "SPORTELLO_TEMPORAL_TLS_KEY": "", "SPORTELLO_TEMPORAL_TLS_CA": "",
				"SPORTELLO_LOG_LEVEL": "warn",
			}
			for k, v := range outside {
				local[k] = v
			}
			logs := &lockedBuffer{}
			start := func(role string, extra map[string]string) *exec.Cmd {
				env, base := map[string]string{}, l.env[role]
				if role == "seed" {
					base = l.env["migrate"] // seed is run as the migration job is
				}
				for k, v := range base {
					env[k] = v
				}
				changed := standIns(t, env, tc.dbHost, tc.temporalHost, local)
				for k, v := range extra {
					env[k] = v
				}
				sort.Strings(changed)
				t.Logf("%s %s: stand-ins for %s", tc.name, role, strings.Join(changed, ", "))
				cmd := exec.Command(cluster.bin, role)
				cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				cmd.Stdout, cmd.Stderr = logs, logs
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					cmd.Process.Signal(os.Interrupt)
					cmd.Wait()
				})
				return cmd
			}
			defer func() {
				if t.Failed() {
					t.Logf("%s processes:\n%s", tc.name, logs.String())
				}
			}()
			if err := start("migrate", nil).Wait(); err != nil {
				t.Fatalf("migrate: %v", err)
			}
			// The demo data stands in for an ente's catalog (not part of the files).
			if err := start("seed", nil).Wait(); err != nil {
				t.Fatalf("seed: %v", err)
			}
			httpAddr := map[string]string{"SPORTELLO_HTTP_ADDR": fmt.Sprintf("127.0.0.1:%d", port)}
			health := func() error {
				if len(l.health) == 0 {
					return nil
				}
				if l.health[0] != "/sportello" {
					t.Fatalf("healthcheck %v: want the image's /sportello", l.health)
				}
				cmd := exec.Command(cluster.bin, l.health[1:]...)
				// Inside the container it asks its own :8080: here, the free port.
				cmd.Env = []string{fmt.Sprintf("SPORTELLO_HTTP_ADDR=:%d", port)}
				out, err := cmd.CombinedOutput()
				if err != nil {
					return fmt.Errorf("%v: %s", err, out)
				}
				return nil
			}
			if len(l.health) > 0 && health() == nil {
				t.Fatal("the healthcheck passed before the server started")
			}
			for i := 0; i < min(l.replicas["worker"], 2); i++ {
				start("worker", nil)
			}
			start("server", httpAddr)
			server := &proc{t: t, httpPort: port}
			deadline := time.Now().Add(90 * time.Second)
			for {
				resp, err := http.Get(server.url(l.ready))
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("the server did not reach %s", l.ready)
				}
				time.Sleep(250 * time.Millisecond)
			}
			if err := health(); err != nil {
				t.Errorf("the healthcheck fails on a ready server: %v", err)
			}
			citizen := cluster.token("mario.rossi")
			id := server.startGeneric(citizen)
			server.waitStatus(id, citizen, "registered")
		})
	}
}
