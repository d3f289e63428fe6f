package grouping

import "math"

// flowNet is a min-cost flow network solved by successive shortest paths
// (Bellman-Ford queue), exact for the small assignment networks of leader
// and preference assignment. Ties break by edge insertion order, so the
// result is deterministic.
type flowNet struct {
	head []int
	to   []int
	next []int
	capa []int
	cost []float64
}

func newFlowNet(n int) *flowNet {
	f := &flowNet{head: make([]int, n)}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

// edge adds an arc u->v and returns its index; its reverse is index^1.
func (f *flowNet) edge(u, v, c int, cost float64) int {
	e := len(f.to)
	f.to = append(f.to, v, u)
	f.capa = append(f.capa, c, 0)
	f.cost = append(f.cost, cost, -cost)
	f.next = append(f.next, f.head[u], f.head[v])
	f.head[u], f.head[v] = e, e+1
	return e
}

// flow returns whether arc e carries flow.
func (f *flowNet) flow(e int) int { return f.capa[e^1] }

// run sends as much flow from s to t as the network allows, at the least
// cost among maximum flows, and returns the flow and its cost.
func (f *flowNet) run(s, t int) (int, float64) {
	n := len(f.head)
	dist := make([]float64, n)
	prev := make([]int, n)
	inQ := make([]bool, n)
	total, cost := 0, 0.0
	for {
		for i := range dist {
			dist[i], prev[i] = math.Inf(1), -1
		}
		dist[s] = 0
		queue := []int{s}
		inQ[s] = true
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			inQ[u] = false
			for e := f.head[u]; e >= 0; e = f.next[e] {
				if f.capa[e] == 0 {
					continue
				}
				if v, d := f.to[e], dist[u]+f.cost[e]; d < dist[v]-1e-12 {
					dist[v], prev[v] = d, e
					if !inQ[v] {
						queue = append(queue, v)
						inQ[v] = true
					}
				}
			}
		}
		if prev[t] < 0 {
			return total, cost
		}
		push := math.MaxInt
		for v := t; v != s; v = f.to[prev[v]^1] {
			push = min(push, f.capa[prev[v]])
		}
		for v := t; v != s; v = f.to[prev[v]^1] {
			f.capa[prev[v]] -= push
			f.capa[prev[v]^1] += push
		}
		total += push
		cost += float64(push) * dist[t]
	}
}
