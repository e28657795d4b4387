package perf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// GoTest runs `go test args...` in the module root (a benchmark or a
// measurement test that already exists, so the table reuses its code) and
// returns its standard output. The child inherits the environment, with
// extra added.
func GoTest(ctx context.Context, env Env, extra []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"test"}, args...)...)
	cmd.Dir = env.Root
	cmd.Env = append(os.Environ(), extra...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		tail := out.String() + errb.String()
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return out.String(), fmt.Errorf("go test %s: %w\n%s", strings.Join(args, " "), err, tail)
	}
	return out.String(), nil
}

var metricRE = regexp.MustCompile(`([0-9.eE+-]+) ([A-Za-z][^\s]*)`)

// BenchMetrics parses the metrics of the benchmark line of name (its
// b.ReportMetric units, e.g. "notices/s") from `go test -bench` output. What
// the benchmark prints itself lands between the name and its figures, so the
// figures are read from the first line with "ns/op" from the name on.
func BenchMetrics(out, name string) (map[string]float64, error) {
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		f := strings.Fields(line)
		if len(f) == 0 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		for _, l := range lines[i:] {
			if !strings.Contains(l, "ns/op") {
				continue
			}
			m := map[string]float64{}
			for _, g := range metricRE.FindAllStringSubmatch(l, -1) {
				if v, err := strconv.ParseFloat(g[1], 64); err == nil {
					m[g[2]] = v
				}
			}
			return m, nil
		}
	}
	return nil, fmt.Errorf("no benchmark line for %s in the output", name)
}

// Metric is m[key], or an error naming the key when the output lacks it.
func Metric(m map[string]float64, key string) (float64, error) {
	v, ok := m[key]
	if !ok {
		return 0, fmt.Errorf("benchmark output has no %s figure", key)
	}
	return v, nil
}

// KeyValues parses the first line starting with prefix as space-separated
// key=value figures, e.g. "layout-throughput sqlite=3.1 postgres=2.9".
func KeyValues(out, prefix string) (map[string]float64, error) {
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, prefix+" ") {
			continue
		}
		m := map[string]float64{}
		for _, kv := range strings.Fields(line)[1:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				continue
			}
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				m[k] = x
			}
		}
		return m, nil
	}
	return nil, fmt.Errorf("no %q line in the output", prefix)
}
