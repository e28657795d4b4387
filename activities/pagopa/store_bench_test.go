package pagopa

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkCreatePosition stores three-option positions (IUVs from the ente's
// sequence) and reports positions per second next to a baseline measured in
// the same run: a one-row insert of the same database.
func BenchmarkCreatePosition(b *testing.B) {
	engines := map[string]func(testing.TB) *gorm.DB{"sqlite": func(t testing.TB) *gorm.DB { return storetest.SQLite(t) }}
	if os.Getenv(storetest.EnvPostgres) != "" {
		engines["postgres"] = func(t testing.TB) *gorm.DB { return storetest.Postgres(t) }
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			ctx := context.Background()
			if err := db.Exec("CREATE TABLE bench_rows (id TEXT PRIMARY KEY, v BIGINT NOT NULL)").Error; err != nil {
				b.Fatal(err)
			}
			const baseRuns = 200
			start := time.Now()
			for i := 0; i < baseRuns; i++ {
				if err := db.Exec("INSERT INTO bench_rows (id, v) VALUES (?, ?)", fmt.Sprint(i), i).Error; err != nil {
					b.Fatal(err)
				}
			}
			basePerSec := baseRuns / time.Since(start).Seconds()
			st := NewStore(db, nil)
			b.ResetTimer()
			start = time.Now()
			for i := 0; i < b.N; i++ {
				if err := st.Create(ctx, installmentPosition(fmt.Sprintf("B-%d", i))); err != nil {
					b.Fatal(err)
				}
			}
			perSec := float64(b.N) / time.Since(start).Seconds()
			b.ReportMetric(perSec, "positions/s")
			b.ReportMetric(perSec/basePerSec, "ratio")
			b.Logf("%s: positions/s %.0f, single-row inserts/s %.0f, ratio %.3f", name, perSec, basePerSec, perSec/basePerSec)
		})
	}
}
