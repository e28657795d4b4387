package perf

import (
	"context"
	"testing"

	"github.com/sportello/sportello/store/storetest"
)

// TestScaleRowsAtTinySize runs the issuing and reconciliation rows on
// PostgreSQL at a tiny size: both figures measured, the ratio their quotient.
func TestScaleRowsAtTinySize(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	for name, f := range map[string]Func{"issuing": IssuingRow, "reconcile": ReconcileRow} {
		t.Run(name, func(t *testing.T) {
			r, err := f(context.Background(), Env{PostgresDSN: dsn, Scale: 0.001})
			if err != nil {
				t.Fatal(err)
			}
			if r.Value <= 0 || r.Baseline <= 0 || r.BaselineName == "" || r.Target == "" || r.Note == "" {
				t.Fatalf("row not filled in: %+v", r)
			}
			if want := r.Value / r.Baseline; r.Ratio < want*0.999 || r.Ratio > want*1.001 {
				t.Errorf("ratio = %v, want %v", r.Ratio, want)
			}
		})
	}
}
