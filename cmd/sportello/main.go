// Command sportello runs the Sportello platform: `dev` is the whole platform in
// one process on its embedded defaults; `server`, `worker` and `migrate` are the
// production split on PostgreSQL and a Temporal cluster.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `sportello: the process platform of the enti locali

Usage:
  sportello dev      the whole platform in one process: embedded Temporal, SQLite, simulators, demo data
  sportello server   the HTTP server (API, UI) on PostgreSQL and a Temporal cluster
  sportello worker   a Temporal worker running pratiche (run as many as needed)
  sportello temporal only the Temporal server, on PostgreSQL with SPORTELLO_TEMPORAL_DB (else SQLite in <data-dir>)
  sportello migrate  apply the database migrations and exit
  sportello seed     load the demo data into a migrated database (idempotent; dev does it by itself)
  sportello audit verify   check the audit log's hash chain
  sportello healthcheck    exit 0 when /readyz of the server on SPORTELLO_HTTP_ADDR answers 200 (container healthcheck)
  sportello campaign ...   bollettazione massiva through the HTTP API: upload, dry-run, confirm, status, pause, resume, cancel, export
  sportello version  print the version

Every setting is a flag and a SPORTELLO_* environment variable: sportello <command> -h lists them.
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version":
		fmt.Fprintln(stdout, "sportello", version)
		return 0
	case "audit":
		if len(rest) == 0 || rest[0] != "verify" {
			fmt.Fprintln(stderr, "sportello: usage: sportello audit verify [flags]")
			return 2
		}
		cmd, rest = "audit verify", rest[1:]
	case "campaign":
		return runCampaignCLI(rest, getenv, stdout, stderr)
	case "dev", "server", "worker", "migrate", "seed", "healthcheck", "temporal":
	default:
		fmt.Fprintf(stderr, "sportello: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	cfg, err := parseConfig(cmd, rest, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err == nil {
		err = cfg.checkRole(cmd)
	}
	if err != nil {
		fmt.Fprintln(stderr, "sportello:", err)
		return 2
	}
	log := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "dev":
		err = runDev(ctx, cfg, log, stdout)
	case "server":
		err = runServer(ctx, cfg, log)
	case "worker":
		err = runWorker(ctx, cfg, log)
	case "migrate":
		err = runMigrate(ctx, cfg, log)
	case "seed":
		err = runSeed(ctx, cfg, log)
	case "healthcheck":
		err = runHealthcheck(ctx, cfg)
	case "temporal":
		err = runTemporal(ctx, cfg, log)
	case "audit verify":
		err = runAuditVerify(ctx, cfg, log, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "sportello:", err)
		return 1
	}
	return 0
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
