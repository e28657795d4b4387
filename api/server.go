// Package api is the HTTP face of Sportello: Echo handlers, authorization, the
// OpenAPI document. Handlers decode, call a service, encode.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sportello/sportello/errs"
)

// Options configure the server.
type Options struct {
	Log *slog.Logger
	// Ready reports whether the database and Temporal answer; /readyz calls it.
	Ready func(ctx context.Context) error
	// Metrics serves /metrics in the Prometheus format.
	Metrics http.Handler
	// Guard authenticates and authorizes every non-public route.
	Guard func(Route) echo.MiddlewareFunc
	// Middleware runs on every request after the request id and logging.
	Middleware []echo.MiddlewareFunc
	// BodyLimit caps request bodies, e.g. "2M".
	BodyLimit string
	Version   string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is believed;
	// without any, the peer address is the client's (rate limits, audit).
	TrustedProxies []*net.IPNet
}

// LargeBodyPrefixes are the import routes, allowed bodies up to MaxImportBody
// (the organisation chart's import, under /api/catalog/enti/, too).
var LargeBodyPrefixes = []string{"/api/reconciliation/imports/", "/api/catalog/import", "/api/catalog/taxonomy/import",
	"/api/campaigns/cie-scadenza/cards"}

// Server is the Echo instance with every module's routes.
type Server struct {
	Echo   *echo.Echo
	Router *Router
	opts   Options
}

// New builds the server and registers the routes of every module.
func New(opts Options, modules ...Module) *Server {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.BodyLimit == "" {
		opts.BodyLimit = "2M"
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(opts.Log)
	e.IPExtractor = ipExtractor(opts.TrustedProxies)
	e.Use(middleware.RequestID())
	e.Use(requestLog(opts.Log))
	e.Use(recoverer(opts.Log))
	// Imports of flows, journals and registries are large by nature: they get
	// their own, higher limit; every other body keeps the small one.
	e.Use(bodyLimit(parseSize(opts.BodyLimit)))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "strict-origin-when-cross-origin",
	}))
	e.Use(opts.Middleware...)
	s := &Server{Echo: e, Router: &Router{e: e, guard: opts.Guard}, opts: opts}
	s.ops()
	for _, m := range modules {
		m.Routes(s.Router)
	}
	return s
}

func (s *Server) ops() {
	r := s.Router
	r.Handle(Route{Method: http.MethodGet, Path: "/healthz", Perm: Public, Tag: "operations",
		Summary: "Liveness: the process answers", Response: map[string]string{"status": "ok"}},
		func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	r.Handle(Route{Method: http.MethodGet, Path: "/readyz", Perm: Public, Tag: "operations",
		Summary: "Readiness: the database and Temporal answer", Response: map[string]string{"status": "ready"}},
		func(c echo.Context) error {
			if s.opts.Ready != nil {
				ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
				defer cancel()
				if err := s.opts.Ready(ctx); err != nil {
					// Public route: the cause (hosts, DSNs, paths) stays in the log.
					s.opts.Log.Warn("not ready", "err", err)
					return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable",
						"message": "not ready yet, see the server log / non ancora pronto, vedere il log del server"})
				}
			}
			return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
		})
	if s.opts.Metrics != nil {
		r.Handle(Route{Method: http.MethodGet, Path: "/metrics", Perm: Public, Tag: "operations",
			Summary: "Prometheus metrics, the Temporal SDK's included"}, echo.WrapHandler(s.opts.Metrics))
	}
	r.Handle(Route{Method: http.MethodGet, Path: "/openapi.json", Perm: Public, Tag: "operations",
		Summary: "This document"}, func(c echo.Context) error {
		return c.JSON(http.StatusOK, OpenAPI(s.Router.Routes(), s.opts.Version))
	})
}

// Serve listens on addr until ctx ends, then drains requests for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Echo, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return err
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// Status maps an error code to its HTTP status.
func Status(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauth:
		return http.StatusUnauthorized
	case errs.TooMany:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// errorHandler answers every error as {"error": {...}} and logs only internal ones;
// internal details never reach the client.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		var he *echo.HTTPError
		body := &errs.Error{}
		code := http.StatusInternalServerError
		switch {
		case errors.As(err, &he):
			code = he.Code
			body.Code = httpCode(code)
			body.Message = http.StatusText(code)
			if m, ok := he.Message.(string); ok && code < 500 {
				body.Message = m
			}
		default:
			if e, ok := errs.As(err); ok && e.Code != errs.Internal {
				body = e
				code = Status(e.Code)
			} else {
				body.Code, body.Message = errs.Internal, "internal error"
			}
		}
		if code >= 500 {
			log.Error("request failed", "id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Path(), "err", err)
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(code)
			return
		}
		c.JSON(code, map[string]any{"error": body})
	}
}

func httpCode(status int) errs.Code {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return errs.Invalid
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		return errs.NotFound
	case http.StatusUnauthorized:
		return errs.Unauth
	case http.StatusForbidden:
		return errs.Forbidden
	case http.StatusConflict, http.StatusPreconditionFailed:
		return errs.Conflict
	case http.StatusTooManyRequests:
		return errs.TooMany
	}
	return errs.Internal
}

func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			st := c.Response().Status
			lvl := slog.LevelInfo
			if c.Path() == "/healthz" || c.Path() == "/readyz" || c.Path() == "/metrics" {
				lvl = slog.LevelDebug
			}
			log.Log(c.Request().Context(), lvl, "http",
				"id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Request().URL.Path,
				"status", st, "ms", time.Since(start).Milliseconds())
			return nil
		}
	}
}

func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					log.Error("panic", "path", c.Path(), "panic", r)
					err = errs.E(errs.Internal, "internal error")
				}
			}()
			return next(c)
		}
	}
}
