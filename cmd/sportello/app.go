package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/email"
	"github.com/sportello/sportello/store"
)

// app holds what every subcommand opens: the database, the Temporal client, the metrics.
type app struct {
	cfg      *Config
	log      *slog.Logger
	db       *gorm.DB
	temporal client.Client
	metrics  *prometheus.Registry
	dom      *domain
	catcher  *email.Catcher // sportello dev without SPORTELLO_SMTP_HOST: the local mail catcher
	dev      bool           // sportello dev: simulators stand in for the outside systems
	// workerID is the identity of the worker this process runs, if any: ready
	// waits until Temporal serves it.
	workerID string
	role     string     // server or worker (empty: dev), for the telemetry resource
	tel      *telemetry // OpenTelemetry: SDK and HTTP metrics, traces by OTLP when configured
	// sims are sportello dev's simulators with a state file: close folds their
	// write-ahead logs into their snapshots.
	sims []io.Closer
}

func newApp(cfg *Config, log *slog.Logger) *app {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &app{cfg: cfg, log: log, metrics: reg}
}

// openDB opens and migrates the application database.
func (a *app) openDB(ctx context.Context, migrate bool) error {
	dsn := a.cfg.DBDSN
	if a.cfg.DBDriver == store.SQLite && dsn == "" {
		dsn = filepath.Join(a.cfg.DataDir, "sportello.db")
	}
	if dsn == "" {
		return errors.New("setting SPORTELLO_DB_DSN (--db-dsn): required for postgres")
	}
	db, err := store.Open(a.cfg.DBDriver, dsn)
	if err != nil {
		return fmt.Errorf("database (SPORTELLO_DB_DSN): %s", store.Redact(err.Error(), dsn))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := store.Ping(pctx, db); err != nil {
		return fmt.Errorf("database (SPORTELLO_DB_DSN) unreachable: %s", store.Redact(err.Error(), dsn))
	}
	a.db = db
	if migrate {
		if err := store.Migrate(ctx, db, a.log); err != nil {
			return fmt.Errorf("database migrations: %s", store.Redact(err.Error(), dsn))
		}
	}
	return nil
}

// dialTemporal connects to the Temporal frontend, with TLS when configured.
func (a *app) dialTemporal(ctx context.Context, hostPort string) error {
	opts := client.Options{
		HostPort:  hostPort,
		Namespace: a.cfg.TemporalNamespace,
		Logger:    tlog.NewStructuredLogger(a.log.With("component", "temporal-sdk")),
	}
	tel, err := a.telemetry(ctx)
	if err != nil {
		return err
	}
	if err := tel.temporal(&opts); err != nil {
		return err
	}
	if a.cfg.TemporalTLS {
		t, err := a.tlsConfig()
		if err != nil {
			return err
		}
		opts.ConnectionOptions.TLS = t
	}
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := client.DialContext(dctx, opts)
	if err != nil {
		return fmt.Errorf("temporal at %s (SPORTELLO_TEMPORAL_ADDRESS) unreachable: %v", hostPort, err)
	}
	a.temporal = c
	return nil
}

func (a *app) tlsConfig() (*tls.Config, error) {
	t := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: a.cfg.TemporalServerName}
	if a.cfg.TemporalTLSCert != "" || a.cfg.TemporalTLSKey != "" {
		cert, err := tls.LoadX509KeyPair(a.cfg.TemporalTLSCert, a.cfg.TemporalTLSKey)
		if err != nil {
			return nil, fmt.Errorf("setting SPORTELLO_TEMPORAL_TLS_CERT / SPORTELLO_TEMPORAL_TLS_KEY: %v", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	if a.cfg.TemporalTLSCA != "" {
		pem, err := os.ReadFile(a.cfg.TemporalTLSCA)
		if err != nil {
			return nil, fmt.Errorf("setting SPORTELLO_TEMPORAL_TLS_CA: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("setting SPORTELLO_TEMPORAL_TLS_CA: no certificate in the file")
		}
		t.RootCAs = pool
	}
	return t, nil
}

// ready reports whether the database and Temporal answer, for /readyz.
func (a *app) ready(ctx context.Context) error {
	if err := store.Ping(ctx, a.db); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if a.temporal == nil {
		return errors.New("temporal: not connected")
	}
	if _, err := a.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		return fmt.Errorf("temporal: %w", err)
	}
	if a.workerID != "" {
		return a.workerServed(ctx)
	}
	return nil
}

func (a *app) metricsHTTP() http.Handler {
	return promhttp.HandlerFor(a.metrics, promhttp.HandlerOpts{})
}

func (a *app) close() {
	if a.catcher != nil {
		if err := a.catcher.Close(); err != nil {
			a.log.Warn("mail catcher: save state on stop", "err", err)
		}
	}
	for _, s := range a.sims {
		if err := s.Close(); err != nil {
			a.log.Warn("simulator: save state on stop", "err", err)
		}
	}
	if a.temporal != nil {
		a.temporal.Close()
	}
	if a.db != nil {
		if sqlDB, err := a.db.DB(); err == nil {
			sqlDB.Close()
		}
	}
	if a.tel != nil {
		if err := a.tel.close(); err != nil {
			a.log.Warn("telemetry: flush on stop", "err", err)
		}
	}
}
