package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/beststarts/workforce/grouping"
)

// runTable solves every instance of dir/best-known.csv at its time limit
// times scale, runs times each, and writes a Markdown table of the gaps
// between our objective and the best-known value.
func runTable(w io.Writer, dir string, scale float64, runs int, seed uint64, threads int) error {
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
	fmt.Fprintf(w, "| instance | limit | runs | best-known | 3PS avg of 20 | our mean | our best | mean gap | worst gap |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|\n")
	var sum, worst float64
	var count int
	for _, r := range rows[1:] {
		name := r[col["instance"]]
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
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: limit, Seed: seed + uint64(k), Threads: threads})
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			mean += sol.Objective / float64(runs)
			top = max(top, sol.Objective)
			low = min(low, sol.Objective)
		}
		gap := 100 * (best - mean) / best
		wgap := 100 * (best - low) / best
		sum += gap
		worst = max(worst, wgap)
		count++
		fmt.Fprintf(w, "| %s | %.3gs | %d | %.2f | %.2f | %.2f | %.2f | %.3f%% | %.3f%% |\n",
			name, secs*scale, runs, best, avg, mean, top, gap, wgap)
	}
	fmt.Fprintf(w, "\nMean gap over %d instances: %.3f%%; worst single run: %.3f%%\n", count, sum/float64(count), worst)
	return nil
}
