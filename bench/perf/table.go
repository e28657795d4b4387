package perf

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Print writes the table: row, figure, baseline, ratio, target, pass or miss
// and, when prev has the row, the change of its figure since that run.
func Print(w io.Writer, r *Report, prev *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "row\tfigure\tbaseline\tratio\ttarget\tresult\tvs last run\t")
	for _, x := range r.Rows {
		result := "pass"
		switch {
		case x.Err != "":
			result = "error"
		case !x.Pass:
			result = "MISS"
		}
		delta := ""
		if p, ok := prev.Row(x.Name); ok && p.Err == "" && p.Value != 0 && x.Err == "" {
			delta = fmt.Sprintf("%+.0f%%", (x.Value-p.Value)/p.Value*100)
		}
		base := "-"
		if x.BaselineName != "" {
			base = fmt.Sprintf("%s %s (%s)", num(x.Baseline), x.Unit, x.BaselineName)
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%.2fx\t%s\t%s\t%s\t\n", x.Name, num(x.Value), x.Unit, base, x.Ratio, x.Target, result, delta)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("print table: %w", err)
	}
	for _, x := range r.Rows {
		if x.Err != "" {
			fmt.Fprintf(w, "  %s: error: %s\n", x.Name, x.Err)
		} else if x.Note != "" {
			fmt.Fprintf(w, "  %s: %s\n", x.Name, strings.TrimSpace(x.Note))
		}
	}
	return nil
}

// num prints a figure with as many decimals as it needs.
func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100 || v <= -100:
		return fmt.Sprintf("%.0f", v)
	case v >= 1 || v <= -1:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}
