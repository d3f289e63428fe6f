// Command mdgp solves a Maximally Diverse Grouping Problem instance in the
// MDGPLIB format and prints {"objective", "groups", "seconds"} as JSON.
//
//	go run ./examples/mdgp -time 3s ../shared/benchdata/mdgp/RanReal_n120_ss_01.txt
//
// Flags: -time (limit), -seed, -threads (default 1, so figures compare with
// the literature's single-core runs), -iterations (a fixed amount of search
// instead of a time limit), -clock (wall or cpu).
//
// With -clock cpu the time limit counts this process's CPU time (user and
// system, from getrusage, polled every 2ms) instead of the wall clock, and
// GOMAXPROCS is 1 whatever -threads says, so that a run on a machine busy
// with other work gets the CPU time the literature's limits mean. It needs
// a Unix system.
//
// With -table, it runs every instance listed in a directory's
// best-known.csv at that file's time limit times -scale, for -seeds seeds
// (-seed, -seed+1, ...), and prints a Markdown table of the mean and best
// objective against the best-known value and the published 20-run average,
// with the gaps to both; -only keeps the instances whose file name
// contains a string; -v reports each run as it ends:
//
//	go run ./examples/mdgp -table ../shared/benchdata/mdgp -scale 0.1 -seeds 2
//	go run ./examples/mdgp -table ../shared/benchdata/mdgp -seeds 5 -clock cpu
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
	verbose := flag.Bool("v", false, "report search rounds (with -table, each run) on standard error")
	table := flag.String("table", "", "run every instance in this directory's best-known.csv and print a gap table")
	scale := flag.Float64("scale", 1, "with -table, multiply each instance's time limit by this")
	runs := flag.Int("seeds", 1, "with -table, seeds per instance (seed, seed+1, ...)")
	only := flag.String("only", "", "with -table, only the instances whose file name contains this")
	clock := flag.String("clock", "wall", "what the time limit counts: wall (elapsed time) or cpu (this process's CPU time)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: mdgp [flags] instance.txt")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *clock != "wall" && *clock != "cpu" {
		fail(fmt.Errorf("-clock: want wall or cpu, got %q", *clock))
	}
	cfg := config{threads: max(1, *threads), iters: *iters, cpu: *clock == "cpu"}
	if *verbose {
		cfg.log = os.Stderr
	}
	if cfg.cpu {
		cfg.threads = 1
	}
	runtime.GOMAXPROCS(cfg.threads)
	if *table != "" {
		if err := runTable(os.Stdout, *table, *only, *scale, *runs, *seed, cfg); err != nil {
			fail(err)
		}
		return
	}
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
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
	sol, err := cfg.solve(p, *limit, *seed)
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

// config is how every instance is solved.
type config struct {
	threads int
	iters   int
	cpu     bool      // the limit counts CPU time
	log     io.Writer // with -table, each run's result, or nil
}

// solve solves p with the given limit and seed.
func (c config) solve(p *grouping.Problem, limit time.Duration, seed uint64) (*grouping.Solution, error) {
	ctx := context.Background()
	opts := grouping.Options{TimeLimit: limit, Seed: seed, Threads: c.threads, Iterations: c.iters}
	if c.cpu && c.iters == 0 {
		cctx, cancel, err := cpuLimit(ctx, limit)
		if err != nil {
			return nil, err
		}
		defer cancel()
		// The context ends the search; the wall-clock limit is only a
		// backstop.
		ctx, opts.TimeLimit = cctx, 100*limit+time.Minute
	}
	return grouping.Solve(ctx, p, opts)
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
