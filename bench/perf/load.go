package perf

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// LoadResult is the outcome of an open-loop run: latencies measured from each
// request's scheduled start (so a slow server cannot slow the schedule and
// hide its queueing), and the throughput achieved.
type LoadResult struct {
	Requests int
	Errors   int
	FirstErr string
	P50, P99 time.Duration
	Rate     float64 // completed requests per second
}

// OpenLoop sends n requests at rate per second, each scheduled at its own
// instant whatever the previous ones are doing (an open-loop generator, as
// independent users are), and waits for them all. next builds request i; a
// status other than 200 counts as an error.
func OpenLoop(ctx context.Context, c *http.Client, rate float64, n int, next func(i int) (*http.Request, error)) LoadResult {
	interval := time.Duration(float64(time.Second) / rate)
	lat := make([]time.Duration, n)
	var errors atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		errors.Add(1)
		firstErr.CompareAndSwap(nil, err.Error())
	}
	var wg sync.WaitGroup
	begin := time.Now()
	for i := range n {
		at := begin.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			select {
			case <-ctx.Done():
				wg.Wait()
				return LoadResult{Requests: i, Errors: int(errors.Load()), FirstErr: ctx.Err().Error()}
			case <-time.After(d):
			}
		}
		req, err := next(i)
		if err != nil {
			fail(err)
			continue
		}
		wg.Go(func() {
			res, err := c.Do(req.WithContext(ctx))
			if err != nil {
				fail(err)
				lat[i] = time.Since(at)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			lat[i] = time.Since(at)
			if res.StatusCode != http.StatusOK {
				fail(fmt.Errorf("%s %s = %d", req.Method, req.URL.Path, res.StatusCode))
			}
		})
	}
	wg.Wait()
	took := time.Since(begin)
	slices.Sort(lat)
	out := LoadResult{Requests: n, Errors: int(errors.Load()), Rate: float64(n) / took.Seconds(),
		P50: lat[n/2], P99: lat[min(n-1, n*99/100)]}
	if s, ok := firstErr.Load().(string); ok {
		out.FirstErr = s
	}
	return out
}

// loadClient keeps enough idle connections for an open loop at 1,000/s.
func loadClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost, t.MaxConnsPerHost = 512, 512, 512
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// Serial sends n requests one after the other and returns their median
// latency: the service time of one request on an idle server, the figure an
// open loop's queueing adds to.
func Serial(ctx context.Context, c *http.Client, n int, next func(i int) (*http.Request, error)) (time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	for i := range n {
		req, err := next(i)
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		res, err := c.Do(req.WithContext(ctx))
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("%s %s = %d", req.Method, req.URL.Path, res.StatusCode)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	return lat[len(lat)/2], nil
}
