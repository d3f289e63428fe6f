// Command mdgp solves a Maximally Diverse Grouping Problem instance in the
// MDGPLIB format and prints {"objective", "groups", "seconds"} as JSON.
//
//	go run ./examples/mdgp -time 3s ../shared/benchdata/mdgp/RanReal_n120_ss_01.txt
//
// Flags: -time (limit), -seed, -threads (default 1, so figures compare with
// the literature's single-core runs), -iterations (a fixed amount of search
// instead of a time limit).
//
// With -table, it runs every instance listed in a directory's
// best-known.csv at that file's time limit times -scale, for -runs seeds,
// and prints a Markdown table of gaps to the best-known values:
//
//	go run ./examples/mdgp -table ../shared/benchdata/mdgp -scale 0.1
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/beststarts/workforce/grouping"
)

func main() {
	limit := flag.Duration("time", 3*time.Second, "time limit")
	seed := flag.Uint64("seed", 1, "random seed")
	threads := flag.Int("threads", 1, "independent searches in parallel (and GOMAXPROCS)")
	iters := flag.Int("iterations", 0, "stop after this many search rounds instead of the time limit")
	verbose := flag.Bool("v", false, "report search rounds on standard error")
	table := flag.String("table", "", "run every instance in this directory's best-known.csv and print a gap table")
	scale := flag.Float64("scale", 1, "with -table, multiply each instance's time limit by this")
	runs := flag.Int("runs", 1, "with -table, seeds per instance (seed, seed+1, ...)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: mdgp [flags] instance.txt")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *table != "" {
		runtime.GOMAXPROCS(max(1, *threads))
		if err := runTable(os.Stdout, *table, *scale, *runs, *seed, *threads); err != nil {
			fail(err)
		}
		return
	}
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	runtime.GOMAXPROCS(max(1, *threads))
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	defer f.Close()
	p, err := Read(f)
	if err != nil {
		fail(fmt.Errorf("%s: %w", flag.Arg(0), err))
	}
	start := time.Now()
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{TimeLimit: *limit, Seed: *seed, Threads: *threads, Iterations: *iters})
	if err != nil {
		fail(err)
	}
	if *verbose {
		fmt.Fprintf(os.Stderr, "mdgp: %d rounds in %.2fs, objective %.3f\n", sol.Iterations, sol.Seconds, sol.Objective)
	}
	out := struct {
		Objective float64 `json:"objective"`
		Groups    [][]int `json:"groups"`
		Seconds   float64 `json:"seconds"`
	}{Objective: sol.Objective, Seconds: time.Since(start).Seconds()}
	for _, g := range sol.Groups {
		ids := []int{}
		for _, id := range g {
			n, _ := strconv.Atoi(string(id))
			ids = append(ids, n)
		}
		out.Groups = append(out.Groups, ids)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mdgp:", err)
	os.Exit(1)
}

// Read parses an MDGPLIB instance: a header "n G ss|ds a1 b1 ... aG bG",
// then lines "i j d_ij" for 0 <= i < j < n.
func Read(r io.Reader) (*grouping.Problem, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("empty file")
	}
	head := strings.Fields(sc.Text())
	if len(head) < 3 {
		return nil, fmt.Errorf("line 1: want \"n G ss|ds bounds...\"")
	}
	n, err1 := strconv.Atoi(head[0])
	g, err2 := strconv.Atoi(head[1])
	if err1 != nil || err2 != nil || n < 1 || g < 1 || n > 100_000 || g > n {
		return nil, fmt.Errorf("line 1: bad n or G")
	}
	if len(head) != 3+2*g {
		return nil, fmt.Errorf("line 1: want %d bounds, got %d numbers", 2*g, len(head)-3)
	}
	p := &grouping.Problem{Groups: g, Bounds: make([]grouping.Bounds, g), Matrix: make([][]float64, n)}
	for k := range g {
		a, e1 := strconv.Atoi(head[3+2*k])
		b, e2 := strconv.Atoi(head[4+2*k])
		if e1 != nil || e2 != nil {
			return nil, fmt.Errorf("line 1: bad bounds of group %d", k)
		}
		p.Bounds[k] = grouping.Bounds{Min: a, Max: b}
	}
	for i := range n {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(strconv.Itoa(i))})
		p.Matrix[i] = make([]float64, n)
	}
	line := 1
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want \"i j d\"", line)
		}
		i, e1 := strconv.Atoi(f[0])
		j, e2 := strconv.Atoi(f[1])
		d, e3 := strconv.ParseFloat(f[2], 64)
		if e1 != nil || e2 != nil || e3 != nil || i < 0 || j < 0 || i >= n || j >= n || i == j {
			return nil, fmt.Errorf("line %d: bad pair", line)
		}
		p.Matrix[i][j], p.Matrix[j][i] = d, d
	}
	return p, sc.Err()
}
