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
	log.Info("starting server", a.cfg.Redacted()...)
	if err := a.openDB(ctx, false); err != nil {
		return err
	}
	if err := a.checkMigrated(ctx); err != nil {
		return err
	}
	if err := a.dialTemporal(ctx, cfg.TemporalAddress); err != nil {
		return err
	}
	publicURL := cfg.PublicURL
	if publicURL == "" {
		_, p, _ := splitHostPort(cfg.HTTPAddr)
		publicURL = fmt.Sprintf("http://localhost:%d", p)
	}
	srv, err := a.httpServer(ctx, publicURL, false)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("setting SPORTELLO_HTTP_ADDR (--http-addr): %v", err)
	}
	log.Info("listening", "url", publicURL, "addr", ln.Addr().String())
	return serve(ctx, srv, ln, cfg.ShutdownGrace)
}

// runWorker runs pratiche until stopped; start as many as the load needs.
func runWorker(ctx context.Context, cfg *Config, log *slog.Logger) error {
	a := newApp(cfg, log)
	defer a.close()
	log.Info("starting worker", a.cfg.Redacted()...)
	if err := a.openDB(ctx, false); err != nil {
		return err
	}
	if err := a.checkMigrated(ctx); err != nil {
		return err
	}
	if err := a.dialTemporal(ctx, cfg.TemporalAddress); err != nil {
		return err
	}
	w, err := a.startWorker(ctx, cfg.PublicURL, false)
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

func runAuditVerify(ctx context.Context, cfg *Config, log *slog.Logger, out io.Writer) error {
	a := newApp(cfg, log)
	defer a.close()
	if err := a.openDB(ctx, false); err != nil {
		return err
	}
	return a.auditVerify(ctx, out)
}
