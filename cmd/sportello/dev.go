package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// runDev runs the whole platform in one process: the embedded Temporal server
// persisted in <data-dir>/temporal.db, SQLite in <data-dir>/sportello.db, the
// worker, the HTTP server with the simulators, and the demo data.
func runDev(ctx context.Context, cfg *Config, log *slog.Logger, stdout io.Writer) error {
	if cfg.DBDriver != "sqlite" {
		return errors.New("setting SPORTELLO_DB_DRIVER: sportello dev runs on its embedded SQLite; use sportello server for postgres")
	}
	a := newApp(cfg, log)
	a.dev = true
	defer a.close()
	if err := a.openDB(ctx, true); err != nil {
		return err
	}
	// The HTTP address is taken first: the embedded server then picks free ports
	// for its inner services, and must not pick this one.
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("setting SPORTELLO_HTTP_ADDR (--http-addr): %v", err)
	}
	defer ln.Close()
	host, port, _ := splitHostPort(cfg.TemporalAddress)
	ts, err := startTemporal(cfg, log, host, port)
	if err != nil {
		if isAddrInUse(err) {
			return fmt.Errorf("setting SPORTELLO_TEMPORAL_ADDRESS (--temporal-address): %s is in use: is another sportello dev running?", cfg.TemporalAddress)
		}
		return err
	}
	defer func() {
		if err := ts.Stop(); err != nil {
			log.Warn("stop embedded temporal", "err", err)
		}
	}()
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	err = ts.WaitReady(rctx, cfg.TemporalNamespace)
	cancel()
	if err != nil {
		return err
	}
	if err := a.dialTemporal(ctx, ts.HostPort()); err != nil {
		return err
	}
	publicURL := a.publicURL()
	if err := a.startMailCatcher(); err != nil {
		return err
	}
	w, err := a.startWorker(ctx)
	if err != nil {
		return err
	}
	defer w.Stop()
	// The demo data first: the simulators' station key serves the enti it seeds.
	if cfg.Demo {
		if err := a.seedDemo(ctx); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	srv, err := a.httpServer(ctx)
	if err != nil {
		return err
	}
	if err := a.ensureSchedules(ctx); err != nil {
		return err
	}
	banner(stdout, publicURL, ts.HostPort(), cfg)
	if cfg.Demo && cfg.DemoRoll > 0 {
		go a.issueDemoRoll(ctx, cfg.DemoRoll)
	}
	err = serve(ctx, srv, ln, cfg.ShutdownGrace)
	log.Info("stopping", "reason", "signal")
	return err
}

func banner(w io.Writer, url, temporal string, cfg *Config) {
	lines := []string{
		"Sportello is running (sportello dev)",
		"  Portal and API   " + url,
		"  OpenAPI          " + url + "/openapi.json",
		"  Health           " + url + "/healthz  " + url + "/readyz",
		"  Metrics          " + url + "/metrics",
		"  pagoPA simulator " + url + "/sim/pagopa/",
		"  App IO simulator " + url + "/sim/appio/",
		"  Mail catcher     " + url + "/sim/mail/",
		"  Dev login (OIDC) " + url + "/idp/",
		"  Temporal         " + temporal + " (namespace " + cfg.TemporalNamespace + ")",
		"  Data             " + cfg.DataDir,
		"Press Ctrl-C to stop.",
	}
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}

// serve runs srv on ln until ctx ends, then drains for up to grace.
func serve(ctx context.Context, h http.Handler, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func isAddrInUse(err error) bool {
	return err != nil && strings.Contains(err.Error(), "address already in use")
}

// temporalLogLevel keeps the embedded server quiet: its errors at start-up and
// shutdown are routine; with debug logging it speaks from warnings up.
func temporalLogLevel(level string) string {
	if level == "debug" {
		return "warn"
	}
	return "fatal"
}
