package perf

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Run measures every registered row whose name contains one of only (all rows
// when only is empty), one after the other, logging a progress line per row.
// A row's error is kept in its Row, so one failing row never hides the others.
func Run(ctx context.Context, env Env, only []string) *Report {
	host, _ := os.Hostname()
	rep := &Report{At: time.Now().UTC(), Host: host, CPUs: runtime.NumCPU(), Scale: env.Scale}
	begin := time.Now()
	var chosen []Spec
	for _, s := range Specs() {
		if matches(s.Name, only) {
			chosen = append(chosen, s)
		}
	}
	log := env.Logger()
	for i, s := range chosen {
		log.Info("perf: measuring", "row", s.Name, "of", fmt.Sprintf("%d/%d", i+1, len(chosen)))
		t0 := time.Now()
		var r Row
		var err error
		if s.NeedsPostgres && env.PostgresDSN == "" {
			err = fmt.Errorf("needs PostgreSQL: set TEST_POSTGRES_DSN")
		} else {
			r, err = safeRun(ctx, s.Run, env)
		}
		if r.Name == "" {
			r.Name = s.Name
		}
		r.Seconds = time.Since(t0).Round(time.Millisecond).Seconds()
		if err != nil {
			r.Err = err.Error()
			r.Pass = false
			log.Error("perf: row failed", "row", s.Name, "err", err)
		} else {
			log.Info("perf: measured", "row", s.Name, "value", num(r.Value), "unit", r.Unit, "ratio", fmt.Sprintf("%.2f", r.Ratio), "pass", r.Pass, "took", time.Since(t0).Round(time.Second))
		}
		rep.Rows = append(rep.Rows, r)
	}
	rep.Seconds = time.Since(begin).Round(time.Millisecond).Seconds()
	return rep
}

func safeRun(ctx context.Context, f Func, env Env) (r Row, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f(ctx, env)
}

func matches(name string, only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if o != "" && strings.Contains(name, o) {
			return true
		}
	}
	return false
}
