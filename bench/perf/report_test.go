package perf

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReportRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "last.json")
	want := &Report{Host: "h", CPUs: 2, Scale: 1, Rows: []Row{
		{Name: "a", Unit: "ops/s", Value: 900, Baseline: 1000, BaselineName: "plain", Ratio: 0.9, Target: "≥ 0.8x", Pass: true, Note: "n"},
		{Name: "b", Err: "boom"},
	}}
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
	if missing, err := Load(filepath.Join(t.TempDir(), "none.json")); missing != nil || err != nil {
		t.Fatalf("missing file = %v, %v; want nil, nil", missing, err)
	}
}

func TestPrintShowsDeltaAndMiss(t *testing.T) {
	prev := &Report{Rows: []Row{{Name: "a", Value: 100}}}
	cur := &Report{Rows: []Row{
		{Name: "a", Unit: "ops/s", Value: 150, Baseline: 100, BaselineName: "plain", Ratio: 1.5, Target: "≥ 0.8x", Pass: true},
		{Name: "b", Unit: "ms", Value: 30, Target: "≤ 20 ms", Note: "too slow because"},
	}}
	var b bytes.Buffer
	if err := Print(&b, cur, prev); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"+50%", "MISS", "pass", "b: too slow because", "100 ops/s (plain)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestRunKeepsErrorsAndOrder(t *testing.T) {
	saved := specs
	t.Cleanup(func() { specs = saved })
	specs = nil
	Register(Spec{Name: "second", Order: 2, Run: func(context.Context, Env) (Row, error) { return Row{}, errors.New("boom") }})
	Register(Spec{Name: "first", Order: 1, Run: func(_ context.Context, e Env) (Row, error) {
		r := Row{Unit: "x/s", Value: float64(e.Size(1000, 1)), Baseline: 2, BaselineName: "b"}
		r.AtLeast(0.8)
		return r, nil
	}})
	Register(Spec{Name: "pg", Order: 3, NeedsPostgres: true, Run: func(context.Context, Env) (Row, error) { panic("must not run") }})
	rep := Run(context.Background(), Env{Scale: 0.001}, nil)
	var names []string
	for _, r := range rep.Rows {
		names = append(names, r.Name)
	}
	if d := cmp.Diff([]string{"first", "second", "pg"}, names); d != "" {
		t.Fatalf("order (-want +got):\n%s", d)
	}
	if r := rep.Rows[0]; r.Value != 1 || r.Ratio != 0.5 || r.Pass {
		t.Errorf("first = %+v, want value 1, ratio 0.5, miss", r)
	}
	if rep.Rows[1].Err != "boom" || rep.Rows[2].Err == "" {
		t.Errorf("errors not kept: %+v", rep.Rows[1:])
	}
}

func TestParsers(t *testing.T) {
	out := "goos: linux\nBenchmarkRenderNotice/x-2  \t 3\t 123 ns/op\t 812.5 notices/s\t 0.41 ratio\nok\nlayout-throughput sqlite=3.5 postgres=2.1 ratio=0.6\n"
	m, err := BenchMetrics(out, "BenchmarkRenderNotice/x")
	if err != nil || m["notices/s"] != 812.5 || m["ratio"] != 0.41 {
		t.Fatalf("BenchMetrics = %v, %v", m, err)
	}
	// A benchmark that prints lands between its name and its figures.
	out2 := "BenchmarkMarriage-2   \tmarriage-shaped pratiche/s: hand-written 9.0\n       3\t 99 ns/op\t 9.0 handwritten-pratiche/s\t 8.1 interpreter-pratiche/s\n"
	m2, err := BenchMetrics(out2, "BenchmarkMarriage")
	if v, err2 := Metric(m2, "interpreter-pratiche/s"); err != nil || err2 != nil || v != 8.1 {
		t.Fatalf("BenchMetrics interleaved = %v, %v, %v", m2, err, err2)
	}
	if _, err := Metric(m2, "nothing/s"); err == nil {
		t.Fatal("Metric of a missing key: no error")
	}
	kv, err := KeyValues(out, "layout-throughput")
	if err != nil || kv["postgres"] != 2.1 {
		t.Fatalf("KeyValues = %v, %v", kv, err)
	}
}
