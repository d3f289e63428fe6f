//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The CPU-time context ends only once this process has used the limit in
// CPU time, and does end while the process keeps a core busy.
func TestCPULimit(t *testing.T) {
	const limit = 30 * time.Millisecond
	start, err := cpuSeconds()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel, err := cpuLimit(context.Background(), limit)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	x := 0
	for ctx.Err() == nil {
		for i := range 100_000 {
			x += i
		}
		used, err := cpuSeconds()
		if err != nil {
			t.Fatal(err)
		}
		if used-start > 100*limit {
			t.Fatalf("not cancelled after %v of CPU time (limit %v)", used-start, limit)
		}
	}
	used, err := cpuSeconds()
	if err != nil {
		t.Fatal(err)
	}
	if used-start < limit {
		t.Fatalf("cancelled after %v of CPU time, before the limit %v", used-start, limit)
	}
	_ = x
}

// The table runs the instances whose names contain -only, for every seed,
// and compares the mean with the best-known value and the 20-run average.
func TestTable(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../grouping/testdata/mdgp_RanReal_n120_ss_01.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a_n120.txt"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	csv := "instance,best,avg20,time_limit_s\na_n120.txt,47363.206898,47343.681247,3\nmissing_n999.txt,1,1,3\n"
	if err := os.WriteFile(filepath.Join(dir, "best-known.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cfg := config{threads: 1, iters: 2}
	if err := runTable(&out, dir, "n120", 1, 2, 1, cfg); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !strings.Contains(text, "| a_n120.txt | 3s | 2 | 47363.21 | 47343.68 |") || strings.Contains(text, "missing") {
		t.Fatalf("table:\n%s", text)
	}
	if !strings.Contains(text, "Mean gap over 1 instances") || !strings.Contains(text, "of 1\n") {
		t.Fatalf("table summary:\n%s", text)
	}
	if err := runTable(&out, dir, "nothing", 1, 1, 1, cfg); err == nil {
		t.Fatal("no error when no instance matches")
	}
	if err := runTable(&out, dir, "n999", 1, 1, 1, cfg); err == nil {
		t.Fatal("no error for a missing instance file")
	}
}
