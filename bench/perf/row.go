// Package perf is the performance table of `make perf`: each row is a figure
// measured on this machine next to a baseline measured in the same run, with
// the ratio of the two and the row's target. Rows register themselves from
// their own files (one noun a file), so a new row never edits a shared list.
package perf

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
)

// Row is one line of the table: a measured figure, its baseline, their ratio
// and whether the row's target is met.
type Row struct {
	Name         string  `json:"name"`
	Unit         string  `json:"unit"`
	Value        float64 `json:"value"`
	Baseline     float64 `json:"baseline"`
	BaselineName string  `json:"baselineName"`
	Ratio        float64 `json:"ratio"`
	Target       string  `json:"target"`
	Pass         bool    `json:"pass"`
	Note         string  `json:"note,omitempty"`
	Seconds      float64 `json:"seconds"`
	Err          string  `json:"error,omitempty"`
}

// Env is what a row may use: the PostgreSQL it seeds and queries, the size it
// runs at and where to log its progress.
type Env struct {
	// PostgresDSN is an empty database's DSN (TEST_POSTGRES_DSN); rows that
	// need PostgreSQL fail with a clear error without it.
	PostgresDSN string
	// Scale multiplies every row's size: 1 is the table's size, tests run at 0.001.
	Scale float64
	// Root is the module's root folder, for rows that run `go test` benchmarks.
	Root string
	// Log receives the rows' progress lines.
	Log *slog.Logger
}

// Size is n scaled by the environment, at least min.
func (e Env) Size(n, min int) int {
	s := e.Scale
	if s <= 0 {
		s = 1
	}
	return max(int(float64(n)*s), min)
}

// Logger is Log, or the default logger.
func (e Env) Logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

// Func measures one row.
type Func func(ctx context.Context, env Env) (Row, error)

// Spec is a registered row: its name, its place in the table and its function.
type Spec struct {
	Name  string
	Order int
	Run   Func
	// Rows, when set instead of Run, measures several rows that share one
	// costly set-up (a seeded database, a running server); their names are
	// the rows' own.
	Rows func(ctx context.Context, env Env) ([]Row, error)
	// NeedsPostgres marks rows that skip (with a note) without a PostgreSQL DSN.
	NeedsPostgres bool
}

var (
	mu    sync.Mutex
	specs []Spec
)

// Register adds a row to the table; call it from an init function.
func Register(s Spec) {
	mu.Lock()
	defer mu.Unlock()
	if slices.ContainsFunc(specs, func(o Spec) bool { return o.Name == s.Name }) {
		panic(fmt.Sprintf("perf: row %q registered twice", s.Name))
	}
	specs = append(specs, s)
}

// Specs returns the registered rows in table order.
func Specs() []Spec {
	mu.Lock()
	defer mu.Unlock()
	out := slices.Clone(specs)
	slices.SortStableFunc(out, func(a, b Spec) int { return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Name, b.Name)) })
	return out
}

// AtLeast fills Ratio (value/baseline) and Pass (ratio ≥ min) and the target text.
func (r *Row) AtLeast(min float64) {
	r.Ratio = ratio(r.Value, r.Baseline)
	r.Pass = r.Ratio >= min
	if r.Target == "" {
		r.Target = fmt.Sprintf("≥ %.2gx", min)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
