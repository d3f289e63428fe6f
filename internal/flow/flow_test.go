package flow

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/beststarts/workforce/bsk"
)

type arcSpec struct {
	u, v, capacity int
	cost           int64
}

func buildFlow(n int, arcs []arcSpec) (*Graph, []int) {
	f := New(n)
	ids := make([]int, len(arcs))
	for i, a := range arcs {
		ids[i] = f.AddArc(a.u, a.v, a.capacity, a.cost)
	}
	return f, ids
}

func TestFlowGraphHandChecked(t *testing.T) {
	const s, a, b, tt = 0, 1, 2, 3
	tests := []struct {
		name      string
		n         int
		arcs      []arcSpec
		limit     int
		wantFlow  int
		wantCost  int64
		wantArcFl []int // flow on each arc, nil to skip
	}{
		{"one arc", 2, []arcSpec{{0, 1, 3, 2}}, -1, 3, 6, []int{3}},
		{"cheaper arc first, then the dearer", 2, []arcSpec{{0, 1, 2, 3}, {0, 1, 2, 1}}, -1, 4, 8, []int{2, 2}},
		{"limit fills the cheaper arc first", 2, []arcSpec{{0, 1, 2, 3}, {0, 1, 2, 1}}, 3, 3, 5, []int{1, 2}},
		{"limit zero", 2, []arcSpec{{0, 1, 2, 3}}, 0, 0, 0, []int{0}},
		{"maximum flow comes before cost", 2, []arcSpec{{0, 1, 1, 100}}, -1, 1, 100, []int{1}},
		{"disconnected", 4, []arcSpec{{s, a, 1, 1}, {b, tt, 1, 1}}, -1, 0, 0, []int{0, 0}},
		{"negative costs", 3, []arcSpec{{0, 1, 1, -5}, {1, 2, 1, 2}, {0, 2, 1, 0}}, -1, 2, -3, []int{1, 1, 1}},
		// The cheapest path s-a-b-t (cost 0) blocks both s-b-t and s-a-t;
		// the second path s-b-a-t undoes a-b: flow 2 must use a-t and b-t.
		{"second path cancels flow on a-b", 4,
			[]arcSpec{{s, a, 1, 0}, {a, b, 1, 0}, {b, tt, 1, 0}, {s, b, 1, 1}, {a, tt, 1, 5}},
			-1, 2, 6, []int{1, 0, 1, 1, 1}},
		// Assignment: workers 1,2 to jobs 3,4. Worker 1 is cheapest on job
		// 3 (1 vs 2) but worker 2 only does job 3 well (1 vs 10): the
		// optimum 1-4, 2-3 costs 2+1=3 against 1+10=11.
		{"assignment", 6,
			[]arcSpec{{0, 1, 1, 0}, {0, 2, 1, 0}, {1, 3, 1, 1}, {1, 4, 1, 2}, {2, 3, 1, 1}, {2, 4, 1, 10}, {3, 5, 1, 0}, {4, 5, 1, 0}},
			-1, 2, 3, []int{1, 1, 0, 1, 1, 0, 1, 1}},
		// Equal costs: the earlier-inserted arc carries the flow.
		{"ties go to the earlier arc", 2, []arcSpec{{0, 1, 1, 4}, {0, 1, 1, 4}}, 1, 1, 4, []int{1, 0}},
		// a and b are equally far; a, the lower-numbered, is settled first
		// and reaches t first, whatever the arcs' order.
		{"ties go to the lower-numbered node", 4, []arcSpec{{s, b, 1, 1}, {s, a, 1, 1}, {a, tt, 1, 1}, {b, tt, 1, 1}}, 1, 1, 2, []int{0, 1, 1, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ids := buildFlow(tc.n, tc.arcs)
			flow, cost, err := f.Solve(context.Background(), 0, tc.n-1, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if flow != tc.wantFlow || cost != tc.wantCost {
				t.Errorf("Solve = flow %d cost %d; want flow %d cost %d", flow, cost, tc.wantFlow, tc.wantCost)
			}
			for i, want := range tc.wantArcFl {
				if got := f.FlowOn(ids[i]); got != want {
					t.Errorf("flow on arc %d (%d->%d) = %d; want %d", i, tc.arcs[i].u, tc.arcs[i].v, got, want)
				}
			}
		})
	}
}

func TestFlowGraphErrors(t *testing.T) {
	huge := MaxArcCost(3) + 1
	tests := []struct {
		name string
		n    int
		arcs []arcSpec
		s, t int
	}{
		{"negative capacity", 2, []arcSpec{{0, 1, -1, 0}}, 0, 1},
		{"no such node", 2, []arcSpec{{0, 2, 1, 0}}, 0, 1},
		{"cost too large", 3, []arcSpec{{0, 1, 1, huge}}, 0, 2},
		{"cost too small", 3, []arcSpec{{0, 1, 1, -huge}}, 0, 2},
		{"source is sink", 2, []arcSpec{{0, 1, 1, 0}}, 1, 1},
		{"source out of range", 2, []arcSpec{{0, 1, 1, 0}}, -1, 1},
		{"negative cycle", 4, []arcSpec{{0, 1, 1, 0}, {1, 2, 1, -1}, {2, 1, 1, -1}, {2, 3, 1, 0}}, 0, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := buildFlow(tc.n, tc.arcs)
			_, _, err := f.Solve(context.Background(), tc.s, tc.t, -1)
			if !errors.Is(err, bsk.ErrInternal) {
				t.Errorf("Solve = %v; want a coded internal error", err)
			}
		})
	}
	t.Run("total cost overflow", func(t *testing.T) {
		c := MaxArcCost(2)
		f, _ := buildFlow(2, []arcSpec{{0, 1, math.MaxInt32, c}, {0, 1, math.MaxInt32, c}})
		if _, _, err := f.Solve(context.Background(), 0, 1, -1); !errors.Is(err, bsk.ErrInternal) {
			t.Errorf("Solve = %v; want a coded internal error", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		f, _ := buildFlow(2, []arcSpec{{0, 1, 1, 0}})
		if _, _, err := f.Solve(ctx, 0, 1, -1); !errors.Is(err, context.Canceled) {
			t.Errorf("Solve = %v; want context.Canceled", err)
		}
	})
}

// TestFlowGraphAssignmentBruteForce checks the flow against every
// assignment of workers to jobs: the most workers placed, then the least
// cost. Each job's capacity is split into unit arcs of rising cost (a
// convex load cost, as when spreading groups over consultants).
func TestFlowGraphAssignmentBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 7))
	for trial := range 500 {
		W, J := 1+r.IntN(5), 1+r.IntN(4)
		eligible := make([][]bool, W)
		cost := make([][]int64, W)
		for w := range W {
			eligible[w], cost[w] = make([]bool, J), make([]int64, J)
			for j := range J {
				eligible[w][j] = r.IntN(3) > 0
				cost[w][j] = int64(r.IntN(21) - 10)
			}
		}
		capacity, step := make([]int, J), make([]int64, J)
		for j := range J {
			capacity[j], step[j] = r.IntN(3), int64(r.IntN(4))
		}
		loadCost := func(j, k int) int64 { return step[j] * int64(k*(k-1)/2) } // 0 + step + 2 step + ...

		// Nodes: 0 source, 1..W workers, W+1..W+J jobs, W+J+1 sink.
		src, sink := 0, W+J+1
		f := New(W + J + 2)
		arcOf := make([][]int, W)
		for w := range W {
			f.AddArc(src, 1+w, 1, 0)
			arcOf[w] = make([]int, J)
			for j := range J {
				arcOf[w][j] = -1
				if eligible[w][j] {
					arcOf[w][j] = f.AddArc(1+w, 1+W+j, 1, cost[w][j])
				}
			}
		}
		for j := range J {
			for k := range capacity[j] {
				f.AddArc(1+W+j, sink, 1, step[j]*int64(k))
			}
		}
		flow, total, err := f.Solve(context.Background(), src, sink, -1)
		if err != nil {
			t.Fatal(err)
		}

		// The flow read as an assignment must be feasible and cost what
		// solve says.
		load := make([]int, J)
		var got int64
		for w := range W {
			placed := 0
			for j := range J {
				if a := arcOf[w][j]; a >= 0 && f.FlowOn(a) > 0 {
					placed++
					load[j]++
					got += cost[w][j]
				}
			}
			if placed > 1 {
				t.Fatalf("trial %d: worker %d placed %d times", trial, w, placed)
			}
		}
		for j := range J {
			if load[j] > capacity[j] {
				t.Fatalf("trial %d: job %d load %d > capacity %d", trial, j, load[j], capacity[j])
			}
			got += loadCost(j, load[j])
		}
		if got != total {
			t.Fatalf("trial %d: Solve cost %d; the assignment costs %d", trial, total, got)
		}

		// Brute force.
		bestN, bestC := -1, int64(math.MaxInt64)
		pick := make([]int, W)
		var rec func(w int)
		rec = func(w int) {
			if w == W {
				load := make([]int, J)
				n, c := 0, int64(0)
				for w, j := range pick {
					if j >= 0 {
						load[j]++
						n++
						c += cost[w][j]
					}
				}
				for j := range J {
					if load[j] > capacity[j] {
						return
					}
					c += loadCost(j, load[j])
				}
				if n > bestN || (n == bestN && c < bestC) {
					bestN, bestC = n, c
				}
				return
			}
			pick[w] = -1
			rec(w + 1)
			for j := range J {
				if eligible[w][j] {
					pick[w] = j
					rec(w + 1)
				}
			}
		}
		rec(0)
		if flow != bestN || total != bestC {
			t.Fatalf("trial %d: Solve = flow %d cost %d; brute force: %d placed at cost %d", trial, flow, total, bestN, bestC)
		}
	}
}

// TestFlowGraphOptimalityConditions checks random acyclic networks against
// the textbook conditions: the flow is feasible, a flow of its value is
// cheapest iff the residual network has no cycle of negative cost, and it
// is maximum iff the residual network has no path from source to sink.
func TestFlowGraphOptimalityConditions(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	for trial := range 400 {
		n := 3 + r.IntN(7)
		var arcs []arcSpec
		for range r.IntN(4 * n) {
			u, v := r.IntN(n), r.IntN(n)
			if u == v {
				continue
			}
			if u > v {
				u, v = v, u // acyclic: no cycle of negative cost to start with
			}
			arcs = append(arcs, arcSpec{u, v, r.IntN(4), int64(r.IntN(31) - 10)})
		}
		limit := -1
		if trial%3 == 0 {
			limit = r.IntN(5)
		}
		f, ids := buildFlow(n, arcs)
		flow, cost, err := f.Solve(context.Background(), 0, n-1, limit)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := buildFlow(n, arcs)
		flow2, cost2, _ := again.Solve(context.Background(), 0, n-1, limit)
		if flow2 != flow || cost2 != cost {
			t.Fatalf("trial %d: not deterministic", trial)
		}
		for _, a := range ids {
			if again.FlowOn(a) != f.FlowOn(a) {
				t.Fatalf("trial %d: arc %d flow differs between runs", trial, a)
			}
		}

		net := make([]int, n)
		var sum int64
		for i, a := range arcs {
			fl := f.FlowOn(ids[i])
			if fl < 0 || fl > a.capacity {
				t.Fatalf("trial %d: arc %d carries %d of %d", trial, i, fl, a.capacity)
			}
			net[a.u] -= fl
			net[a.v] += fl
			sum += int64(fl) * a.cost
		}
		for v := 1; v < n-1; v++ {
			if net[v] != 0 {
				t.Fatalf("trial %d: node %d not balanced (%d)", trial, v, net[v])
			}
		}
		if net[n-1] != flow || net[0] != -flow {
			t.Fatalf("trial %d: flow %d but sink receives %d", trial, flow, net[n-1])
		}
		if sum != cost {
			t.Fatalf("trial %d: cost %d but arcs sum to %d", trial, cost, sum)
		}
		if limit >= 0 && flow > limit {
			t.Fatalf("trial %d: flow %d over limit %d", trial, flow, limit)
		}
		if residualNegativeCycle(f) {
			t.Fatalf("trial %d: residual network has a negative cycle: flow %d is not cheapest", trial, flow)
		}
		maximal := !residualPath(f, 0, n-1)
		if (limit < 0 || flow < limit) && !maximal {
			t.Fatalf("trial %d: flow %d is not maximum", trial, flow)
		}
	}
}

// residualNegativeCycle reports whether the residual network has a cycle
// of negative cost (Bellman-Ford from a virtual source joined to all nodes).
func residualNegativeCycle(f *Graph) bool {
	n := len(f.out)
	d := make([]int64, n)
	for range n {
		changed := false
		for a := range f.to {
			if f.capa[a] > 0 {
				u, v := f.to[a^1], f.to[a]
				if d[u]+f.cost[a] < d[v] {
					d[v] = d[u] + f.cost[a]
					changed = true
				}
			}
		}
		if !changed {
			return false
		}
	}
	return true
}

// residualPath reports whether t is reachable from s over arcs with room.
func residualPath(f *Graph, s, t int) bool {
	seen := make([]bool, len(f.out))
	stack := []int{s}
	seen[s] = true
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range f.out[u] {
			if v := f.to[a]; f.capa[a] > 0 && !seen[v] {
				seen[v] = true
				stack = append(stack, v)
			}
		}
	}
	return seen[t]
}

// benchNetwork is an assignment network: left nodes (groups or members)
// with supply 1, right nodes (leaders or offerings) with per-unit arcs to
// the sink, and eligible pairs.
type benchNetwork struct {
	left, right int
	pairs       [][3]int // left, right, cost
	sinkArcs    [][3]int // right, capacity, cost
}

func (b benchNetwork) graph() *Graph {
	f := New(b.left + b.right + 2)
	for l := range b.left {
		f.AddArc(0, 1+l, 1, 0)
	}
	for _, p := range b.pairs {
		f.AddArc(1+p[0], 1+b.left+p[1], 1, int64(p[2]))
	}
	for _, s := range b.sinkArcs {
		f.AddArc(1+b.left+s[0], 1+b.left+b.right, s[1], int64(s[2]))
	}
	return f
}

// rcNetwork: 97 groups, 20 consultants of capacity 5 with a rising cost per
// further group, about half the pairs eligible, costs 0 to 9.
func rcNetwork() benchNetwork {
	r := rand.New(rand.NewPCG(1, 2))
	b := benchNetwork{left: 97, right: 20}
	for g := range 97 {
		for l := range 20 {
			if r.IntN(2) == 0 {
				b.pairs = append(b.pairs, [3]int{g, l, r.IntN(10)})
			}
		}
	}
	for l := range 20 {
		for k := range 5 {
			b.sinkArcs = append(b.sinkArcs, [3]int{l, 1, k})
		}
	}
	return b
}

// copNetwork: 500 members, 12 offerings of capacity 45, three ranked
// choices each costing 0, 1, 2.
func copNetwork() benchNetwork {
	r := rand.New(rand.NewPCG(3, 4))
	b := benchNetwork{left: 500, right: 12}
	for m := range 500 {
		for k, c := range r.Perm(12)[:3] {
			b.pairs = append(b.pairs, [3]int{m, c, k})
		}
	}
	for c := range 12 {
		b.sinkArcs = append(b.sinkArcs, [3]int{c, 45, 0})
	}
	return b
}

// BenchmarkMinCostFlow times Graph on the networks AssignLeaders and
// AssignChoices build at program scale.
func BenchmarkMinCostFlow(b *testing.B) {
	for _, c := range []struct {
		name string
		net  benchNetwork
	}{{"rc-97x20", rcNetwork()}, {"cop-500x12x3", copNetwork()}} {
		sink := c.net.left + c.net.right + 1
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := c.net.graph().Solve(context.Background(), 0, sink, -1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
