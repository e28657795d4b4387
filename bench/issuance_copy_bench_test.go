package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/bench/scale"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkIssuanceVsCopy issues N debtors × 4 options (single + 3
// installments, two transfers each) through the store and, on PostgreSQL,
// compares it with a raw COPY of the same rows measured in the same run
// (target ≥ 0.5× and under 60 s at 100,000). N is ISSUANCE_COPY_N (default
// 2000); run with -benchtime=1x.
func BenchmarkIssuanceVsCopy(b *testing.B) {
	n := 2000
	if s := os.Getenv("ISSUANCE_COPY_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	engines := map[string]func(testing.TB) *gorm.DB{"sqlite": func(t testing.TB) *gorm.DB { return storetest.SQLite(t) }}
	if os.Getenv(storetest.EnvPostgres) != "" {
		engines["postgres"] = func(t testing.TB) *gorm.DB { return storetest.Postgres(t) }
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f, err := scale.MeasureIssuing(context.Background(), open(b), n)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(n)/f.Store.Seconds(), "debtors/s")
				if f.Copy > 0 {
					b.ReportMetric(f.Copy.Seconds()/f.Store.Seconds(), "ratio-copy")
				}
				b.Logf("%s, %d debtors × 4 options: store %v (%.0f/s)", name, n, f.Store.Round(time.Millisecond), float64(n)/f.Store.Seconds())
				if f.Copy > 0 {
					b.Logf("raw COPY %v (ratio %.3f)", f.Copy.Round(time.Millisecond), f.Copy.Seconds()/f.Store.Seconds())
				}
			}
		})
	}
}
