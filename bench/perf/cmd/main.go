// Command perf prints the performance table (`make perf`): every row measured
// on this machine next to its baseline, written as JSON too, with the change
// of each figure since the previous JSON when there is one.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"

	"github.com/sportello/sportello/bench/perf"
)

func main() {
	out := flag.String("out", "bench/perf/last.json", "where to write the table as JSON (the previous file there is the comparison)")
	only := flag.String("only", "", "comma-separated parts of row names to run (all rows when empty)")
	scale := flag.Float64("scale", 1, "size multiplier of every row (1 is the table's size)")
	root := flag.String("root", ".", "the module's root folder")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "cpu profile:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	prev, err := perf.Load(*out)
	if err != nil {
		log.Warn("perf: previous table unreadable, no comparison", "err", err)
	}
	env := perf.Env{PostgresDSN: os.Getenv("TEST_POSTGRES_DSN"), Scale: *scale, Root: *root, Log: log}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	rep := perf.Run(ctx, env, names)
	if err := perf.Print(os.Stdout, rep, prev); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d rows in %.0f s on %d CPUs, load average %.1f before and %.1f after\n", len(rep.Rows), rep.Seconds, rep.CPUs, rep.LoadBefore, rep.LoadAfter)
	if err := rep.Save(*out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Printf("written to %s\n", *out)
}
