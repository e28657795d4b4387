package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	"github.com/sportello/sportello/worker/embedded"
)

// runTemporal runs only the Temporal server, so that the production layout on
// one or a few machines is Temporal + sportello server + sportello workers as
// separate processes: on PostgreSQL with SPORTELLO_TEMPORAL_DB, else on the
// SQLite file of the data folder. Several machines want Temporal's own cluster
// (its Helm chart) instead: see the README.
func runTemporal(ctx context.Context, cfg *Config, log *slog.Logger) error {
	host, port, _ := splitHostPort(cfg.TemporalAddress)
	if host == "" || host == "0.0.0.0" || host == "::" {
		return fmt.Errorf("setting SPORTELLO_TEMPORAL_ADDRESS (--temporal-address): %q: give the address other processes reach this server at, not a wildcard (Temporal announces it to its cluster members)", cfg.TemporalAddress)
	}
	if port == 0 {
		return fmt.Errorf("setting SPORTELLO_TEMPORAL_ADDRESS (--temporal-address): %q: give a port; the other services take the next three and membership the same minus 300", cfg.TemporalAddress)
	}
	ts, err := startTemporal(cfg, log, host, port)
	if err != nil {
		return err
	}
	defer func() {
		if err := ts.Stop(); err != nil {
			log.Warn("stop temporal", "err", err)
		}
	}()
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	err = ts.WaitReady(rctx, cfg.TemporalNamespace)
	cancel()
	if err != nil {
		return err
	}
	log.Info("temporal is serving", "address", ts.HostPort(), "namespace", cfg.TemporalNamespace)
	<-ctx.Done()
	log.Info("stopping", "reason", "signal")
	return nil
}

// startTemporal starts the embedded Temporal server of dev and temporal, on
// PostgreSQL when SPORTELLO_TEMPORAL_DB is set, else on <data-dir>/temporal.db.
func startTemporal(cfg *Config, log *slog.Logger, host string, port int) (*embedded.Server, error) {
	ec := embedded.Config{IP: host, Port: port, Namespace: cfg.TemporalNamespace, LogLevel: temporalLogLevel(cfg.LogLevel)}
	if cfg.TemporalDB != "" {
		ec.Postgres = cfg.TemporalDB
		log.Info("starting embedded temporal", "address", cfg.TemporalAddress, "persistence", "postgres")
	} else {
		ec.File = filepath.Join(cfg.DataDir, "temporal.db")
		log.Info("starting embedded temporal", "address", cfg.TemporalAddress, "file", ec.File)
	}
	ts, err := embedded.Start(ec)
	if err != nil && cfg.TemporalDB != "" && !isAddrInUse(err) {
		return nil, fmt.Errorf("setting SPORTELLO_TEMPORAL_DB (--temporal-db): %w", err)
	}
	return ts, err
}

// validTemporalDB checks the shape of SPORTELLO_TEMPORAL_DB without echoing
// it: it carries a password.
func validTemporalDB(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL; want postgres://user:password@host:5432/temporal?sslmode=disable")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Errorf("scheme %q is not postgres; want postgres://user:password@host:5432/temporal?sslmode=disable", u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("the host is missing; want postgres://user:password@host:5432/temporal?sslmode=disable")
	}
	return nil
}
