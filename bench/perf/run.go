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
	rep := &Report{At: time.Now().UTC(), Host: host, CPUs: runtime.NumCPU(), Scale: env.Scale, LoadBefore: LoadAverage()}
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
		var rows []Row
		var err error
		if s.NeedsPostgres && env.PostgresDSN == "" {
			err = fmt.Errorf("needs PostgreSQL: set TEST_POSTGRES_DSN")
		} else {
			rows, err = safeRun(ctx, s, env)
		}
		took := time.Since(t0)
		if err != nil {
			log.Error("perf: row failed", "row", s.Name, "err", err)
			rows = append(rows, Row{Name: s.Name, Err: err.Error()})
		}
		for _, r := range rows {
			if r.Name == "" {
				r.Name = s.Name
			}
			r.Seconds = took.Round(time.Millisecond).Seconds() / float64(len(rows))
			if r.Err == "" {
				log.Info("perf: measured", "row", r.Name, "value", num(r.Value), "unit", r.Unit, "ratio", fmt.Sprintf("%.2f", r.Ratio), "pass", r.Pass, "took", took.Round(time.Second))
			}
			rep.Rows = append(rep.Rows, r)
		}
	}
	rep.LoadAfter = LoadAverage()
	rep.Seconds = time.Since(begin).Round(time.Millisecond).Seconds()
	return rep
}

func safeRun(ctx context.Context, s Spec, env Env) (rows []Row, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	if s.Rows != nil {
		return s.Rows(ctx, env)
	}
	r, err := s.Run(ctx, env)
	if err != nil {
		return nil, err
	}
	return []Row{r}, nil
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
