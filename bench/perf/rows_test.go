package perf

import (
	"context"
	"testing"
)

// TestInProcessRowsAtTinySize runs the rows that need nothing outside the
// process at a tiny size and checks each gives a sane row: positive figures,
// a named baseline, a ratio that is their quotient and a target.
func TestInProcessRowsAtTinySize(t *testing.T) {
	for name, f := range map[string]Func{"notices": NoticeRow, "form": FormRow} {
		t.Run(name, func(t *testing.T) {
			r, err := f(context.Background(), Env{Scale: 0.001})
			if err != nil {
				t.Fatal(err)
			}
			if r.Value <= 0 || r.Baseline <= 0 || r.BaselineName == "" || r.Target == "" || r.Unit == "" {
				t.Fatalf("row not filled in: %+v", r)
			}
			if want := r.Value / r.Baseline; r.Ratio < want*0.999 || r.Ratio > want*1.001 {
				t.Errorf("ratio = %v, want %v", r.Ratio, want)
			}
		})
	}
}
