package grouping

import (
	"bufio"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mdgp is an MDGPLIB instance from testdata (copied from MDGPLIB; see
// ../shared/benchdata/mdgp/README.md for the format) and its pair scores.
type mdgp struct {
	p *Problem
	d [][]float64
	// best is the best objective published for the instance (Yang et
	// al. 2022), from that directory's best-known.csv.
	best float64
}

var mdgpFiles = map[string]float64{
	"testdata/mdgp_RanReal_n120_ss_01.txt": 47363.206898,
	"testdata/mdgp_RanReal_n120_ds_01.txt": 50549.134952,
}

func readMDGP(t testing.TB, path string) mdgp {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	head := strings.Fields(sc.Text())
	num := func(s string) float64 {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return x
	}
	n, G := int(num(head[0])), int(num(head[1]))
	p := &Problem{Groups: G, Bounds: make([]Bounds, G), Matrix: make([][]float64, n)}
	for g := range G {
		p.Bounds[g] = Bounds{Min: int(num(head[3+2*g])), Max: int(num(head[4+2*g]))}
	}
	for i := range n {
		p.Members = append(p.Members, Member{ID: MemberID(strconv.Itoa(i))})
		p.Matrix[i] = make([]float64, n)
	}
	for sc.Scan() {
		l := strings.Fields(sc.Text())
		if len(l) != 3 {
			continue
		}
		i, j, x := int(num(l[0])), int(num(l[1])), num(l[2])
		p.Matrix[i][j], p.Matrix[j][i] = x, x
	}
	return mdgp{p: p, d: p.Matrix, best: mdgpFiles[path]}
}

// check asserts that groups place every member once, within the bounds,
// and returns the sum of pair scores within groups, computed here from
// the file's scores.
func (x mdgp) check(t *testing.T, groups [][]MemberID) float64 {
	t.Helper()
	if len(groups) != x.p.Groups {
		t.Fatalf("%d groups, want %d", len(groups), x.p.Groups)
	}
	seen := make([]bool, len(x.p.Members))
	total := 0.0
	for g, ids := range groups {
		if b := x.p.Bounds[g]; len(ids) < b.Min || len(ids) > b.Max {
			t.Fatalf("group %d has %d members, bounds %d..%d", g, len(ids), b.Min, b.Max)
		}
		idx := make([]int, len(ids))
		for k, id := range ids {
			i, err := strconv.Atoi(string(id))
			if err != nil || i < 0 || i >= len(seen) || seen[i] {
				t.Fatalf("group %d: member %q unknown or placed twice", g, id)
			}
			seen[i] = true
			idx[k] = i
		}
		for a, i := range idx {
			for _, j := range idx[a+1:] {
				total += x.d[i][j]
			}
		}
	}
	for i, ok := range seen {
		if !ok {
			t.Fatalf("member %d in no group", i)
		}
	}
	return total
}

// The population phase on MDGPLIB instances, one with equal group sizes and
// one with a range per group: the solution keeps the bounds, its objective
// is the sum of the pair scores within its groups (and what Evaluate
// says), it is within 1% of the best published value, and a fixed seed
// and number of rounds give the same groups.
func TestPurePopulationMDGP(t *testing.T) {
	for path := range mdgpFiles {
		t.Run(path, func(t *testing.T) {
			x := readMDGP(t, path)
			m, err := compile(x.p)
			if err != nil {
				t.Fatal(err)
			}
			if !m.pure() || poolSize(len(m.units)) < 2 {
				t.Fatal("the instance does not reach the population phase")
			}
			opts := Options{Seed: 7, Iterations: 24, Threads: 1}
			sol, err := Solve(context.Background(), x.p, opts)
			if err != nil {
				t.Fatal(err)
			}
			total := x.check(t, sol.Groups)
			if math.Abs(total-sol.Objective) > 1e-6*total {
				t.Fatalf("objective %f, pair scores within groups sum to %f", sol.Objective, total)
			}
			if e := Evaluate(x.p, sol.Groups); math.Abs(e-sol.Objective) > 1e-6*total {
				t.Fatalf("objective %f, Evaluate %f", sol.Objective, e)
			}
			if sol.Objective < 0.99*x.best {
				t.Fatalf("objective %f, more than 1%% below the best published %f", sol.Objective, x.best)
			}
			again, err := Solve(context.Background(), x.p, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(sol.Groups, again.Groups, slices.Equal) || again.Objective != sol.Objective {
				t.Fatalf("seed %d, %d rounds: objective %f then %f", opts.Seed, opts.Iterations, sol.Objective, again.Objective)
			}
		})
	}
}

// testSearch is a search over p's compiled model with a seeded generator.
func testSearch(t *testing.T, p *Problem, seed uint64) *search {
	t.Helper()
	m, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return &search{m: m, rng: rand.New(rand.NewPCG(seed, 1)), ctx: context.Background(), maxIter: 1}
}

// assignGroups lists an assignment's members by group.
func assignGroups(p *Problem, assign []int) [][]MemberID {
	groups := make([][]MemberID, p.Groups)
	for u, g := range assign {
		groups[g] = append(groups[g], p.Members[u].ID)
	}
	return groups
}

// The crossover's child keeps every group's bounds whatever its parents;
// a parent crossed with itself gives itself back, since the child inherits
// whole groups; and a child of two groupings improved by tabu search keeps
// most of the pairs the parents agree on.
func TestCrossover(t *testing.T) {
	for path := range mdgpFiles {
		t.Run(path, func(t *testing.T) {
			x := readMDGP(t, path)
			r := testSearch(t, x.p, 3)
			n := len(r.m.units)
			child := make([]int, n)
			for range 20 {
				a, b := r.randomGrouping(), r.randomGrouping()
				x.check(t, assignGroups(x.p, a))
				r.crossover(a, b, child)
				x.check(t, assignGroups(x.p, child))
				r.crossover(a, a, child)
				if !samePartition(a, child, x.p.Groups) || !samePartition(child, a, x.p.Groups) {
					t.Fatal("a grouping crossed with itself is another grouping")
				}
			}
			// Two improved parents: pairs together in both stay mostly
			// together in the child.
			var parents [2][]int
			for k := range parents {
				s := newState(r.m)
				s.load(r.randomGrouping())
				best := slices.Clone(s.assign)
				obj := s.obj
				r.tabu(s, phaseLen(n, r.m.sized()), best, &obj)
				parents[k] = best
			}
			r.crossover(parents[0], parents[1], child)
			x.check(t, assignGroups(x.p, child))
			both, kept := 0, 0
			for i := range n {
				for j := i + 1; j < n; j++ {
					if parents[0][i] == parents[0][j] && parents[1][i] == parents[1][j] {
						both++
						if child[i] == child[j] {
							kept++
						}
					}
				}
			}
			if both == 0 || kept*10 < both*8 {
				t.Fatalf("the child keeps %d of the %d pairs both parents share", kept, both)
			}
		})
	}
}

// The swaps' pruning by group bounds skips no swap that could be the best:
// every step of the tabu search takes a move or swap whose delta is the
// largest over the whole neighborhood when nothing is tabu.
func TestTabuStepIsBest(t *testing.T) {
	x := readMDGP(t, "testdata/mdgp_RanReal_n120_ds_01.txt")
	r := testSearch(t, x.p, 5)
	n := len(r.m.units)
	s := newState(r.m)
	s.load(r.randomGrouping())
	for range 30 {
		before := s.obj
		bestD := math.Inf(-1)
		for u := range n {
			for h := range r.m.groups {
				if d, ok := s.moveDelta(u, h, true); ok {
					bestD = max(bestD, d)
				}
			}
			for v := u + 1; v < n; v++ {
				if d, ok := s.swapDelta(u, v); ok {
					bestD = max(bestD, d)
				}
			}
		}
		best := slices.Clone(s.assign)
		obj := math.Inf(-1)
		// one step from a fresh tabu list: nothing is tabu
		r.tabu(s, 1, best, &obj)
		if math.Abs(s.obj-before-bestD) > 1e-6 {
			t.Fatalf("a step changed the objective by %f; the best move or swap gains %f", s.obj-before, bestD)
		}
		fresh := newState(r.m)
		fresh.load(s.assign)
		if math.Abs(fresh.obj-s.obj) > 1e-6 {
			t.Fatalf("objective %f after the step, %f recomputed", s.obj, fresh.obj)
		}
	}
}
