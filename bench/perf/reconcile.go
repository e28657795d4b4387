package perf

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/bench/scale"
)

func init() {
	Register(Spec{Name: "reconciliation of 1,000,000 FdR lines vs hash join", Order: 50, Run: ReconcileRow, NeedsPostgres: true})
}

// ReconcileRow seeds 1,000,000 FdR lines in flows of 1,000 with their
// receipts and treasury credits (a few exceptions of each kind) into
// PostgreSQL by COPY, then times the platform's reconciliation of the day
// against one SQL hash join of the same tables. Targets: ≥ 0.5× the join and
// at most 60 s.
func ReconcileRow(ctx context.Context, env Env) (Row, error) {
	db, drop, err := FreshSchema(ctx, env.PostgresDSN)
	if err != nil {
		return Row{}, err
	}
	defer drop()
	n := env.Size(1_000_000, 2000)
	f, err := scale.MeasureReconciliation(ctx, db, n)
	if err != nil {
		return Row{}, err
	}
	r := Row{Unit: "lines/s", Value: float64(n) / f.Run.Seconds(), Baseline: float64(n) / f.Join.Seconds(),
		BaselineName: "SQL hash join of the same tables", Target: "≥ 0.5x and ≤ 60 s"}
	r.Ratio = ratio(r.Value, r.Baseline)
	r.Pass = r.Ratio >= 0.5 && f.Run <= time.Minute
	r.Note = fmt.Sprintf("%d lines: run %.1f s (posted %d entries), join %.1f s, seeded by COPY in %.1f s",
		n, f.Run.Seconds(), f.Report.Posted, f.Join.Seconds(), f.Seed.Seconds())
	return r, nil
}
