package perf

import (
	"context"
	"fmt"
	"strconv"
)

func init() {
	Register(Spec{Name: "pratiche/s, interpreter vs hand-written", Order: 10, Run: InterpreterRow})
	Register(Spec{Name: "pratiche/s, production layout (Temporal on PostgreSQL)", Order: 11, Run: LayoutRow, NeedsPostgres: true})
}

// InterpreterRow runs bench's BenchmarkMarriage (a plan shaped like the demo
// marriage: payment and receipt, App IO, an operator's task, ledger) on the
// embedded Temporal server, by the interpreter and by the same pratica
// written by hand in Go with the same activities. Target: ≥ 0.8×.
func InterpreterRow(ctx context.Context, env Env) (Row, error) {
	iters := env.Size(1, 1)
	out, err := GoTest(ctx, env, nil, "-count=1", "-run", "^$", "-bench", "^BenchmarkMarriage$", "-benchtime", strconv.Itoa(iters)+"x", "./bench")
	if err != nil {
		return Row{}, err
	}
	m, err := BenchMetrics(out, "BenchmarkMarriage")
	if err != nil {
		return Row{}, err
	}
	interp, err := Metric(m, "interpreter-pratiche/s")
	if err != nil {
		return Row{}, err
	}
	hand, err := Metric(m, "handwritten-pratiche/s")
	if err != nil {
		return Row{}, err
	}
	r := Row{Unit: "pratiche/s", Value: interp, Baseline: hand, BaselineName: "hand-written workflow"}
	r.AtLeast(0.8)
	r.Note = fmt.Sprintf("marriage-shaped plan, %d round(s) of 30 pratiche each way after a warm-up of 5, embedded Temporal on SQLite", iters)
	return r, nil
}

// LayoutRow runs cmd/sportello's TestLayoutThroughput: pratiche per second
// through the HTTP API on the production layout (Temporal on PostgreSQL, a
// server and two workers, separate processes) against the SQLite default
// (`sportello dev`, one process). It reports the figure with no target of
// its own: the two layouts are compared, not ranked.
func LayoutRow(ctx context.Context, env Env) (Row, error) {
	n := env.Size(60, 8)
	out, err := GoTest(ctx, env, []string{"TEST_POSTGRES_DSN=" + env.PostgresDSN, "SPORTELLO_PERF_PRATICHE=" + strconv.Itoa(n)},
		"-count=1", "-v", "-timeout", "14m", "-run", "^TestLayoutThroughput$", "./cmd/sportello", "-args", "-perf")
	if err != nil {
		return Row{}, err
	}
	m, err := KeyValues(out, "layout-throughput")
	if err != nil {
		return Row{}, err
	}
	pg, err := Metric(m, "postgres")
	if err != nil {
		return Row{}, err
	}
	sqlite, err := Metric(m, "sqlite")
	if err != nil {
		return Row{}, err
	}
	r := Row{Unit: "pratiche/s", Value: pg, Baseline: sqlite, BaselineName: "SQLite default, one process"}
	r.Ratio = ratio(r.Value, r.Baseline)
	r.Target = "reported"
	r.Pass = r.Value > 0
	r.Note = fmt.Sprintf("%d generic pratiche through the HTTP API by 8 clients; p50 of one pratica %.0f ms on PostgreSQL, %.0f ms on SQLite",
		n, m["postgres_p50_ms"], m["sqlite_p50_ms"])
	return r, nil
}
