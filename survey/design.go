package survey

import (
	"github.com/beststarts/workforce/bsk"
)

// sampleDesign holds the strata, clusters and stratum sizes respondents
// gave, by respondent, once any respondent gave one.
type sampleDesign struct {
	stratum    []uint32 // per respondent: stratum code
	cluster    []uint32 // per respondent: cluster code + 1; 0 sampled alone
	strata     []string // stratum names by code
	stratumIdx map[string]uint32
	size       []int             // per stratum code: population PSUs, 0 unknown
	units      []int             // per stratum code: PSUs sampled so far
	clusterIdx map[string]uint32 // stratum "\x00" cluster -> code + 1
	names      []string          // cluster names by code
}

// maxDesignText bounds a stratum's or cluster's name.
const maxDesignText = 200

// checkDesign reports problems with a respondent's stratum, cluster and
// stratum size, including a size that differs from the one the stratum's
// earlier respondents gave.
func (s *Set) checkDesign(r Respondent, pr *bsk.Problems) {
	for _, f := range []struct{ name, v string }{{"stratum", r.Stratum}, {"cluster", r.Cluster}} {
		if len(f.v) > maxDesignText {
			pr.Add(f.name, "is longer than %d bytes", maxDesignText)
		} else if msg := bsk.TextProblem(f.v); msg != "" {
			pr.Add(f.name, "%s", msg)
		}
	}
	if r.StratumSize < 0 {
		pr.Add("stratum_size", "must be at least 0")
		return
	}
	if s.design == nil {
		if s.Len() > 0 && r.Stratum == "" && r.StratumSize != 0 {
			pr.AddCode(bsk.CodeConflict, "stratum_size", "stratum %q has size 0 from earlier respondents, not %d", "", r.StratumSize)
		}
		return
	}
	d := s.design
	h, ok := d.stratumIdx[r.Stratum]
	switch {
	case !ok:
	case d.size[h] != r.StratumSize:
		pr.AddCode(bsk.CodeConflict, "stratum_size", "stratum %q has size %d from earlier respondents, not %d", r.Stratum, d.size[h], r.StratumSize)
	case d.size[h] > 0 && d.units[h] >= d.size[h] && d.newUnit(r.Stratum, r.Cluster):
		pr.Add("stratum_size", "stratum %q has %d units in its population, all sampled already", r.Stratum, d.size[h])
	}
}

// addDesign records respondent i's stratum, cluster and stratum size
// (checked), starting the design when i is the first to give one.
func (s *Set) addDesign(i int, stratum, cluster string, size int) {
	d := s.design
	if d == nil {
		d = &sampleDesign{stratumIdx: map[string]uint32{}, clusterIdx: map[string]uint32{}}
		d.stratum, d.cluster = make([]uint32, i), make([]uint32, i)
		if i > 0 {
			d.strata, d.size, d.units = []string{""}, []int{0}, []int{i}
			d.stratumIdx[""] = 0
		}
		s.design = d
	}
	h, ok := d.stratumIdx[stratum]
	if !ok {
		h = uint32(len(d.strata))
		d.stratumIdx[stratum] = h
		d.strata = append(d.strata, stratum)
		d.size = append(d.size, size)
		d.units = append(d.units, 0)
	}
	if d.newUnit(stratum, cluster) {
		d.units[h]++
	}
	var c uint32
	if cluster != "" {
		key := stratum + "\x00" + cluster
		if c, ok = d.clusterIdx[key]; !ok {
			c = uint32(len(d.clusterIdx)) + 1
			d.clusterIdx[key] = c
			d.names = append(d.names, cluster)
		}
	}
	d.stratum = append(d.stratum, h)
	d.cluster = append(d.cluster, c)
}

// newUnit reports whether a respondent of this stratum and cluster is a
// PSU not seen before.
func (d *sampleDesign) newUnit(stratum, cluster string) bool {
	if cluster == "" {
		return true
	}
	_, ok := d.clusterIdx[stratum+"\x00"+cluster]
	return !ok
}

// plan is a set's sample design made ready for the variance of one
// query: primary sampling units (PSUs) numbered stratum by stratum, the
// respondents in PSU order, and each stratum's variance factor.
type plan struct {
	psu      []int32   // per respondent: its PSU
	order    []int32   // respondents in PSU order
	start    []int32   // per PSU: its first position in order; len PSUs+1
	psuStrat []int32   // per PSU: its stratum
	scale    []float64 // per stratum: (1 - n/N) n/(n-1), 0 for one PSU
	nPSU     []int     // per stratum: PSUs sampled
	weights  []float64 // weights in PSU order; nil unweighted
}

// plan builds the design's plan, or returns nil when respondents gave no
// design (each then its own PSU, in one stratum, with replacement: the
// fast path). A stratum whose size is smaller than its sampled PSUs is an
// error naming the stratum.
func (s *Set) plan() (*plan, error) {
	d := s.design
	if d == nil {
		return nil, nil
	}
	n := s.Len()
	type unit struct {
		h uint32
		c uint32 // cluster + 1, or 0 with i
		i int32
	}
	units := make([]unit, n)
	for i := range n {
		u := unit{h: d.stratum[i], c: d.cluster[i]}
		if u.c == 0 {
			u.i = int32(i)
		}
		units[i] = u
	}
	// Respondents by stratum, then cluster (those sampled alone first,
	// each its own PSU), then respondent: two stable counting sorts.
	order := countingOrder(n, len(d.clusterIdx)+1, func(i int) int { return int(units[i].c) }, nil)
	order = countingOrder(n, len(d.strata), func(i int) int { return int(units[i].h) }, order)
	p := &plan{psu: make([]int32, n), order: order, nPSU: make([]int, len(d.strata)), scale: make([]float64, len(d.strata))}
	for k, i := range order {
		if k == 0 || units[i] != units[order[k-1]] {
			p.start = append(p.start, int32(k))
			p.psuStrat = append(p.psuStrat, int32(units[i].h))
			p.nPSU[units[i].h]++
		}
		p.psu[i] = int32(len(p.start) - 1)
	}
	p.start = append(p.start, int32(n))
	if s.weights != nil {
		p.weights = make([]float64, n)
		for k, i := range order {
			p.weights[k] = s.weights[i]
		}
	}
	var pr bsk.Problems
	for h, m := range p.nPSU {
		f := 1.0
		if N := d.size[h]; N > 0 {
			if N < m {
				pr.Add("stratum_size", "stratum %q has size %d but %d sampled units", d.strata[h], N, m)
				continue
			}
			f = 1 - float64(m)/float64(N)
		}
		if m > 1 {
			p.scale[h] = f * float64(m) / float64(m-1)
		}
	}
	return p, pr.Err()
}

// clusterName returns the name of cluster code c (code + 1 as stored).
func (d *sampleDesign) clusterName(c uint32) string { return d.names[c-1] }

// countingOrder sorts respondents stably by a key in [0, k): those of
// from (or 0..n-1 when from is nil), in that order within a key.
func countingOrder(n, k int, key func(int) int, from []int32) []int32 {
	count := make([]int32, k+1)
	for i := range n {
		count[key(i)+1]++
	}
	for j := range k {
		count[j+1] += count[j]
	}
	out := make([]int32, n)
	for pos := range n {
		i := int32(pos)
		if from != nil {
			i = from[pos]
		}
		c := key(int(i))
		out[count[c]] = i
		count[c]++
	}
	return out
}
