package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// runTable solves every instance of dir/best-known.csv whose name contains
// only at its time limit times scale, with runs seeds from seed, and writes
// a Markdown table of the mean and best objective, the gaps between the
// mean and the best-known value and the published 20-run average, and the
// worst run's gap to the best-known value.
func runTable(w io.Writer, dir, only string, scale float64, runs int, seed uint64, cfg config) error {
	f, err := os.Open(filepath.Join(dir, "best-known.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return fmt.Errorf("best-known.csv: %w", err)
	}
	if len(rows) < 2 {
		return fmt.Errorf("best-known.csv: no instances")
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"instance", "best", "avg20", "time_limit_s"} {
		if _, ok := col[h]; !ok {
			return fmt.Errorf("best-known.csv: no %q column", h)
		}
	}
	runs = max(1, runs)
	clock := "wall"
	if cfg.cpu {
		clock = "CPU"
	}
	fmt.Fprintf(w, "| instance | limit (%s) | seeds | best-known | 3PS avg of 20 | our mean | our best | mean gap | best gap | worst gap | mean vs avg20 |\n", clock)
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|\n")
	var sum, worst float64
	var count, atAvg int
	for _, r := range rows[1:] {
		name := r[col["instance"]]
		if !strings.Contains(name, only) {
			continue
		}
		best, err1 := strconv.ParseFloat(r[col["best"]], 64)
		avg, err2 := strconv.ParseFloat(r[col["avg20"]], 64)
		secs, err3 := strconv.ParseFloat(r[col["time_limit_s"]], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return fmt.Errorf("best-known.csv: %s: bad number", name)
		}
		in, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		p, err := Read(in)
		in.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		limit := time.Duration(secs * scale * float64(time.Second))
		var mean, top, low float64
		top, low = math.Inf(-1), math.Inf(1)
		for k := range runs {
			sol, err := cfg.solve(p, limit, seed+uint64(k))
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if cfg.log != nil {
				fmt.Fprintf(cfg.log, "%s seed %d: objective %.3f, gap %.3f%%, %d rounds\n",
					name, seed+uint64(k), sol.Objective, 100*(best-sol.Objective)/best, sol.Iterations)
			}
			mean += sol.Objective / float64(runs)
			top = max(top, sol.Objective)
			low = min(low, sol.Objective)
		}
		gap := 100 * (best - mean) / best
		bgap := 100 * (best - top) / best
		wgap := 100 * (best - low) / best
		vs := 100 * (mean - avg) / avg
		sum += gap
		worst = max(worst, wgap)
		count++
		if mean >= avg {
			atAvg++
		}
		fmt.Fprintf(w, "| %s | %.3gs | %d | %.2f | %.2f | %.2f | %.2f | %.3f%% | %.3f%% | %.3f%% | %+.3f%% |\n",
			name, secs*scale, runs, best, avg, mean, top, gap, bgap, wgap, vs)
	}
	if count == 0 {
		return fmt.Errorf("best-known.csv: no instance name contains %q", only)
	}
	fmt.Fprintf(w, "\nMean gap over %d instances: %.3f%%; worst single run: %.3f%%; mean at or above the 3PS 20-run average on %d of %d\n",
		count, sum/float64(count), worst, atAvg, count)
	return nil
}
