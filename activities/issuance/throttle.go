package issuance

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// DefaultIORate is the calls per second a campaign makes to App IO for one
// IO service when none is configured. IO's technical guide publishes no fixed
// figure: every IO API may answer 429 when a service goes over the rate
// allowed to it, and the sender must then pause and retry (which the client
// does, honouring Retry-After). Ten calls a second (a profile check and a
// message per debtor: five debtors a second, 100,000 in under six hours)
// stays well clear of it; raise it with --appio-rate once IO has granted more.
const DefaultIORate = 10

// Throttle paces the calls to App IO per IO service (per API key), shared
// by every activity of the worker process.
type Throttle struct {
	// PerSecond is the calls per second allowed to one IO service.
	PerSecond float64
	mu        sync.Mutex
	limiters  map[string]*rate.Limiter
}

// NewThrottle returns a throttle of perSecond calls per IO service;
// perSecond <= 0 takes DefaultIORate.
func NewThrottle(perSecond float64) *Throttle {
	if perSecond <= 0 {
		perSecond = DefaultIORate
	}
	return &Throttle{PerSecond: perSecond}
}

// Wait blocks until the IO service of key may make one more call.
func (t *Throttle) Wait(ctx context.Context, key string) error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	if t.limiters == nil {
		t.limiters = map[string]*rate.Limiter{}
	}
	l := t.limiters[key]
	if l == nil {
		// A burst of one: the calls come evenly spaced, never in a clump.
		l = rate.NewLimiter(rate.Limit(t.PerSecond), 1)
		t.limiters[key] = l
	}
	t.mu.Unlock()
	return l.Wait(ctx)
}
