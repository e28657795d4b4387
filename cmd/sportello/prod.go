package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
)

// runServer serves the HTTP API and UI; pratiche run on the workers.
func runServer(ctx context.Context, cfg *Config, log *slog.Logger) error {
	a := newApp(cfg, log)
	defer a.close()
	if err := a.connect(ctx, "server"); err != nil {
		return err
	}
	srv, err := a.httpServer(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("setting SPORTELLO_HTTP_ADDR (--http-addr): %v", err)
	}
	log.Info("listening", "url", a.publicURL(), "addr", ln.Addr().String())
	return serve(ctx, srv, ln, cfg.ShutdownGrace)
}

// runWorker runs pratiche until stopped; start as many as the load needs.
func runWorker(ctx context.Context, cfg *Config, log *slog.Logger) error {
	a := newApp(cfg, log)
	defer a.close()
	if err := a.connect(ctx, "worker"); err != nil {
		return err
	}
	w, err := a.startWorker(ctx)
	if err != nil {
		return err
	}
	if err := a.ensureSchedules(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	w.Stop()
	return nil
}

// runMigrate applies the migrations; safe to run from several processes at once.
func runMigrate(ctx context.Context, cfg *Config, log *slog.Logger) error {
	a := newApp(cfg, log)
	defer a.close()
	if err := a.openDB(ctx, true); err != nil {
		return err
	}
	v, err := a.version(ctx)
	if err != nil {
		return err
	}
	log.Info("database is migrated", "version", v)
	return nil
}

// runSeed loads the demo data into a migrated database, for a demo or a test
// of the production layout; sportello dev does it on its own first start.
func runSeed(ctx context.Context, cfg *Config, log *slog.Logger) error {
	a := newApp(cfg, log)
	defer a.close()
	if err := a.openDB(ctx, false); err != nil {
		return err
	}
	if err := a.checkMigrated(ctx); err != nil {
		return err
	}
	if err := a.seedDemo(ctx); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	log.Info("demo data loaded")
	return nil
}

func runAuditVerify(ctx context.Context, cfg *Config, log *slog.Logger, out io.Writer) error {
	a := newApp(cfg, log)
	defer a.close()
	if err := a.openDB(ctx, false); err != nil {
		return err
	}
	return a.auditVerify(ctx, out)
}

// connect opens the migrated database and dials the Temporal cluster, as the
// server and every worker do at start.
func (a *app) connect(ctx context.Context, role string) error {
	a.role = role
	a.log.Info("starting "+role, a.cfg.Redacted()...)
	if err := a.openDB(ctx, false); err != nil {
		return err
	}
	if err := a.checkMigrated(ctx); err != nil {
		return err
	}
	return a.dialTemporal(ctx, a.cfg.TemporalAddress)
}
