package flow

import (
	"context"
	"math"
	"math/bits"

	"github.com/beststarts/workforce/bsk"
)

// Graph is a min-cost max-flow network with integer capacities and
// int64 costs, solved exactly (no rounding) by successive shortest paths:
// Bellman-Ford once for node potentials, since arc costs may be negative,
// then Dijkstra on reduced costs for each augmenting path.
//
// The result is deterministic. Dijkstra settles nodes in order of distance
// and then node index, scans each node's arcs in insertion order, and
// keeps the first arc that reaches a node at its least distance; so among
// equally cheap paths the one through earlier-inserted arcs wins.
//
// Costs must keep |cost| <= MaxArcCost(nodes) so that no distance or
// potential can overflow; Solve reports a larger cost as an error rather
// than returning a wrong answer. Cycles of negative cost in the network as
// built are reported as errors too (assignment networks have none).
type Graph struct {
	out  [][]int // arc indices leaving each node, in insertion order
	to   []int
	capa []int // residual capacity
	cost []int64
	err  error // the first bad arc, reported by Solve
}

// New returns a network of n nodes, numbered 0 to n-1, and no arcs.
func New(n int) *Graph {
	return &Graph{out: make([][]int, n)}
}

// MaxArcCost is the greatest |cost| an arc may have in a network of n
// nodes. A path has fewer than n arcs and a reduced cost is at most three
// arc costs' worth, so every distance stays within 4n*MaxArcCost < 2^62.
func MaxArcCost(n int) int64 { return (1 << 60) / int64(4*n+4) }

// AddArc adds an arc u->v with the given capacity and cost per unit and
// returns its index; index^1 is its reverse (residual) arc.
func (f *Graph) AddArc(u, v, capacity int, cost int64) int {
	n := len(f.out)
	switch {
	case f.err != nil:
	case u < 0 || u >= n || v < 0 || v >= n:
		f.err = bsk.Errorf(bsk.CodeInternal, "flow network: arc %d->%d: no such node (0 to %d)", u, v, n-1)
	case capacity < 0:
		f.err = bsk.Errorf(bsk.CodeInternal, "flow network: arc %d->%d: negative capacity %d", u, v, capacity)
	case cost > MaxArcCost(n) || cost < -MaxArcCost(n):
		f.err = bsk.Errorf(bsk.CodeInternal, "flow network: arc %d->%d: cost %d out of range (at most %d in magnitude)", u, v, cost, MaxArcCost(n))
	}
	a := len(f.to)
	if f.err != nil {
		return a
	}
	f.to = append(f.to, v, u)
	f.capa = append(f.capa, capacity, 0)
	f.cost = append(f.cost, cost, -cost)
	f.out[u] = append(f.out[u], a)
	f.out[v] = append(f.out[v], a+1)
	return a
}

// FlowOn returns the flow arc a carries.
func (f *Graph) FlowOn(a int) int { return f.capa[a^1] }

// Solve sends flow from s to t, at most limit units (limit < 0: no
// limit), and among flows of that value the cheapest: with no limit, a
// minimum-cost maximum flow. It returns the flow and its total cost. It
// may be called again after adding arcs; it continues from the current
// flow. The error is a coded internal error for a malformed network
// (bad arc, negative cycle, cost overflow) or ctx's error.
func (f *Graph) Solve(ctx context.Context, s, t, limit int) (int, int64, error) {
	n := len(f.out)
	if f.err != nil {
		return 0, 0, f.err
	}
	if s < 0 || s >= n || t < 0 || t >= n || s == t {
		return 0, 0, bsk.Errorf(bsk.CodeInternal, "flow network: source %d and sink %d must be distinct nodes (0 to %d)", s, t, n-1)
	}
	pot, err := f.potentials(s)
	if err != nil {
		return 0, 0, err
	}
	dist := make([]int64, n)
	prev := make([]int, n) // arc into each node on its shortest path, -1 for none
	done := make([]bool, n)
	var h flowHeap
	total := 0
	for limit < 0 || total < limit {
		if err := ctx.Err(); err != nil {
			return total, 0, err
		}
		for i := range dist {
			dist[i], prev[i], done[i] = math.MaxInt64, -1, false
		}
		dist[s] = 0
		h = append(h[:0], flowItem{0, s})
		for len(h) > 0 {
			it := h.pop()
			u := it.node
			if done[u] || it.dist != dist[u] {
				continue
			}
			done[u] = true
			if u == t {
				break // the rest cannot shorten the path to t
			}
			for _, a := range f.out[u] {
				if f.capa[a] == 0 {
					continue
				}
				v := f.to[a]
				if pot[v] == math.MaxInt64 {
					// Unreachable from s at the start, so unreachable for
					// good: augmenting only adds arcs between reachable nodes.
					continue
				}
				d := dist[u] + f.cost[a] + pot[u] - pot[v]
				if !done[v] && d < dist[v] {
					dist[v], prev[v] = d, a
					h.push(flowItem{d, v})
				}
			}
		}
		if prev[t] < 0 {
			break
		}
		// Settled nodes move by their distance, the others by t's: every
		// arc with room keeps a reduced cost of at least 0.
		for v := range n {
			switch {
			case pot[v] == math.MaxInt64:
			case done[v]:
				pot[v] += dist[v]
			default:
				pot[v] += dist[t]
			}
		}
		push := math.MaxInt
		if limit >= 0 {
			push = limit - total
		}
		push = min(push, math.MaxInt-total)
		for v := t; v != s; v = f.to[prev[v]^1] {
			push = min(push, f.capa[prev[v]])
		}
		if push == 0 {
			break
		}
		for v := t; v != s; v = f.to[prev[v]^1] {
			f.capa[prev[v]] -= push
			f.capa[prev[v]^1] += push
		}
		total += push
	}
	cost, err := f.totalCost()
	return total, cost, err
}

// potentials returns shortest distances from s over arcs with room
// (Bellman-Ford with a queue), math.MaxInt64 for nodes s cannot reach, or
// an error if a cycle of negative cost is reachable.
func (f *Graph) potentials(s int) ([]int64, error) {
	n := len(f.out)
	pot := make([]int64, n)
	for i := range pot {
		pot[i] = math.MaxInt64
	}
	pot[s] = 0
	inQ := make([]bool, n)
	arcs := make([]int, n) // arcs on the current shortest path to each node
	queue := []int{s}
	inQ[s] = true
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		inQ[u] = false
		for _, a := range f.out[u] {
			if f.capa[a] == 0 {
				continue
			}
			v := f.to[a]
			if d := pot[u] + f.cost[a]; d < pot[v] {
				pot[v] = d
				arcs[v] = arcs[u] + 1
				if arcs[v] >= n {
					return nil, bsk.Errorf(bsk.CodeInternal, "flow network: a cycle of negative cost")
				}
				if !inQ[v] {
					queue = append(queue, v)
					inQ[v] = true
				}
			}
		}
	}
	return pot, nil
}

// totalCost sums flow times cost over the forward arcs, reporting overflow.
func (f *Graph) totalCost() (int64, error) {
	var sum int64
	for a := 0; a < len(f.to); a += 2 {
		fl := int64(f.capa[a+1])
		if fl == 0 {
			continue
		}
		c := f.cost[a]
		neg := c < 0
		if neg {
			c = -c
		}
		hi, lo := bits.Mul64(uint64(fl), uint64(c))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, bsk.Errorf(bsk.CodeInternal, "flow network: total cost overflows")
		}
		term := int64(lo)
		if neg {
			term = -term
		}
		next := sum + term
		if (term > 0 && next < sum) || (term < 0 && next > sum) {
			return 0, bsk.Errorf(bsk.CodeInternal, "flow network: total cost overflows")
		}
		sum = next
	}
	return sum, nil
}

// flowItem is a node waiting in Dijkstra's queue at a tentative distance.
type flowItem struct {
	dist int64
	node int
}

// flowHeap is a binary min-heap of flowItems by distance, then node.
type flowHeap []flowItem

func (h flowHeap) less(i, j int) bool {
	return h[i].dist < h[j].dist || (h[i].dist == h[j].dist && h[i].node < h[j].node)
}

func (h *flowHeap) push(it flowItem) {
	*h = append(*h, it)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *flowHeap) pop() flowItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(s) && s.less(l, m) {
			m = l
		}
		if r := l + 1; r < len(s) && s.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
