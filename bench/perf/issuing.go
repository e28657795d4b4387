package perf

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/bench/scale"
)

func init() {
	Register(Spec{Name: "issuing 100,000 debtors × 4 options vs COPY", Order: 60, Run: IssuingRow, NeedsPostgres: true})
}

// IssuingRow issues 100,000 TARI debtors × 4 options (single + 3
// installments, two transfers each) into PostgreSQL through the pagoPA store
// by chunks of 500, as a campaign does, and compares it with a raw COPY of the
// same rows in the same database. Targets: ≥ 0.5× COPY and under 60 s.
func IssuingRow(ctx context.Context, env Env) (Row, error) {
	db, drop, err := FreshSchema(ctx, env.PostgresDSN)
	if err != nil {
		return Row{}, err
	}
	defer drop()
	n := env.Size(100_000, 50)
	f, err := scale.MeasureIssuing(ctx, db, n)
	if err != nil {
		return Row{}, err
	}
	r := Row{Unit: "debtors/s", Value: float64(n) / f.Store.Seconds(), Baseline: float64(n) / f.Copy.Seconds(),
		BaselineName: "raw COPY of the same rows", Target: "≥ 0.5x and < 60 s"}
	r.Ratio = ratio(r.Value, r.Baseline)
	r.Pass = r.Ratio >= 0.5 && f.Store < time.Minute
	r.Note = fmt.Sprintf("%d debtors, %d options: store %.1f s, COPY %.1f s", n, 4*n, f.Store.Seconds(), f.Copy.Seconds())
	return r, nil
}
