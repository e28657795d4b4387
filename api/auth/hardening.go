package auth

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

// RateLimitConfig sets a token bucket per client.
type RateLimitConfig struct {
	// PerIP is the steady rate allowed to one address, requests per second, and its burst.
	PerIP   float64
	IPBurst int
	// PerClient is the rate of one credential (API key prefix, session, bearer
	// token), so one noisy machine client does not starve the others behind its address.
	PerClient   float64
	ClientBurst int
	// Skip lists path prefixes never limited (health probes, metrics, the dev IdP).
	Skip []string
}

// DefaultRateLimit is a limit generous for people and back-office systems.
var DefaultRateLimit = RateLimitConfig{PerIP: 50, IPBurst: 100, PerClient: 20, ClientBurst: 40,
	Skip: []string{"/healthz", "/readyz", "/metrics", "/idp/"}}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

type limiter struct {
	cfg     RateLimitConfig
	mu      sync.Mutex
	buckets map[string]*bucket
	calls   int
}

// RateLimit answers 429 with Retry-After when a client goes over its rate; every
// request counts against its address and, when it carries one, its credential.
func RateLimit(cfg RateLimitConfig) echo.MiddlewareFunc {
	l := &limiter{cfg: cfg, buckets: map[string]*bucket{}}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			for _, p := range cfg.Skip {
				if strings.HasPrefix(c.Request().URL.Path, p) {
					return next(c)
				}
			}
			if wait, ok := l.take(c, time.Now()); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				if secs < 1 {
					secs = 1
				}
				c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
				return &errs.Error{Code: errs.TooMany, Reason: "rate_limit",
					Message: "too many requests, retry in " + strconv.Itoa(secs) + " s / troppe richieste, riprova tra " + strconv.Itoa(secs) + " s"}
			}
			return next(c)
		}
	}
}

// clientKey names the credential of a request without verifying it: hashing it
// keeps secrets out of memory dumps, and a forged one still pays its address's rate.
func clientKey(c echo.Context) string {
	h := c.Request().Header
	if k := h.Get(api.APIKeyHeader); k != "" {
		return "key:" + hashSecret(k)[:16]
	}
	if a := h.Get(echo.HeaderAuthorization); a != "" {
		return "tok:" + hashSecret(a)[:16]
	}
	if ck, err := c.Cookie(api.SessionCookie); err == nil && ck.Value != "" {
		return "ses:" + hashSecret(ck.Value)[:16]
	}
	return ""
}

func (l *limiter) get(key string, r float64, burst int, now time.Time) *rate.Limiter {
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(r), burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim
}

// take reserves a token from each bucket of the request, or none of them.
func (l *limiter) take(c echo.Context, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls++; l.calls%1000 == 0 {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	lims := []*rate.Limiter{l.get("ip:"+c.RealIP(), l.cfg.PerIP, l.cfg.IPBurst, now)}
	if k := clientKey(c); k != "" {
		lims = append(lims, l.get(k, l.cfg.PerClient, l.cfg.ClientBurst, now))
	}
	var res []*rate.Reservation
	var wait time.Duration
	for _, lim := range lims {
		r := lim.ReserveN(now, 1)
		res = append(res, r)
		if d := r.DelayFrom(now); !r.OK() || d > 0 {
			wait = max(wait, d, time.Second)
		}
	}
	if wait > 0 {
		for _, r := range res {
			r.CancelAt(now)
		}
		return wait, false
	}
	return 0, true
}

// SecurityHeaders sets a strict Content-Security-Policy and the other browser
// protections; API answers are never cached. HSTS is sent over HTTPS only.
func SecurityHeaders() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			// img-src allows data: for the small SVG icons Bootstrap Italia's stylesheet inlines (select arrows, form states).
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			if c.IsTLS() || c.Request().Header.Get(echo.HeaderXForwardedProto) == "https" {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			p := c.Request().URL.Path
			if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/auth/") {
				h.Set("Cache-Control", "no-store")
			}
			return next(c)
		}
	}
}

// OriginCheck refuses unsafe requests that carry the session cookie but come
// from another site (Origin not ours or not in allowed, or Sec-Fetch-Site
// cross-site). It backs up the guard's CSRF token check.
func OriginCheck(allowed ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if isSafe(r.Method) {
				return next(c)
			}
			if ck, err := r.Cookie(api.SessionCookie); err != nil || ck.Value == "" {
				return next(c)
			}
			deny := &errs.Error{Code: errs.Forbidden, Reason: "origin", Message: "request from another site / richiesta da un altro sito"}
			if o := r.Header.Get("Origin"); o != "" && o != "null" {
				u, err := url.Parse(o)
				if err != nil || (u.Host != r.Host && !slices.Contains(allowed, o)) {
					return deny
				}
				return next(c)
			}
			if o := r.Header.Get("Origin"); o == "null" || r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				return deny
			}
			return next(c)
		}
	}
}

// Middleware is the hardening chain for api.Options.Middleware: security
// headers, rate limits and the Origin check, in that order.
func Middleware(rl RateLimitConfig, allowedOrigins ...string) []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{SecurityHeaders(), RateLimit(rl), OriginCheck(allowedOrigins...)}
}
