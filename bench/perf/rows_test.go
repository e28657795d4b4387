package perf

import (
	"context"
	"strings"
	"testing"

	"github.com/sportello/sportello/store/storetest"
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

// TestStatusRowsAtTinySize seeds a small projection on PostgreSQL and drives
// the three status routes briefly: three rows, every request answered 200,
// figures and their static baseline filled in.
func TestStatusRowsAtTinySize(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	rows, err := StatusRows(context.Background(), Env{PostgresDSN: dsn, Scale: 0.002})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3: %+v", len(rows), rows)
	}
	for _, r := range rows {
		if r.Value <= 0 || r.Baseline <= 0 || r.Ratio <= 0 || r.Target == "" || strings.Contains(r.Note, "errors") {
			t.Errorf("row not sane: %+v", r)
		}
	}
}
