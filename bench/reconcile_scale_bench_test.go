package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/bench/scale"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkReconcileVsJoin reconciles N FdR lines with their receipts and
// treasury credits on PostgreSQL and compares it with a plain SQL hash join of
// the same tables measured in the same run (target ≥ 0.5× and ≤ 60 s at
// 1,000,000). N is RECONCILE_N (default 20000); run with -benchtime=1x.
func BenchmarkReconcileVsJoin(b *testing.B) {
	n := 20000
	if s := os.Getenv("RECONCILE_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for i := 0; i < b.N; i++ {
		f, err := scale.MeasureReconciliation(context.Background(), storetest.Postgres(b), n)
		if err != nil {
			b.Fatal(err)
		}
		if got := int64(f.Report.Outcomes["receipt"][ledger.Reconciled]); got != f.Matching {
			b.Errorf("reconciled %d receipts, the join matched %d", got, f.Matching)
		}
		b.ReportMetric(float64(n)/f.Run.Seconds(), "lines/s")
		b.ReportMetric(f.Join.Seconds()/f.Run.Seconds(), "ratio-join")
		b.Logf("%d lines: seeded by COPY in %v; hash join %v; reconciliation %v (ratio %.3f), posted %d, outcomes %v",
			n, f.Seed.Round(time.Millisecond), f.Join.Round(time.Millisecond), f.Run.Round(time.Millisecond), f.Join.Seconds()/f.Run.Seconds(), f.Report.Posted, f.Report.Outcomes)
	}
}
