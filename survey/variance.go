package survey

import (
	"math"
	"runtime"
	"slices"
	"sync"
)

// Interval names the method of a cell's 95% interval.
type Interval string

// The interval methods. Weighted data, and data with a sample design,
// default to IntervalBeta; unweighted data to IntervalWilson, or to
// IntervalClopperPearson under a standard that asks for Korn-Graubard
// intervals ([NCHS]).
const (
	// IntervalBeta is Korn and Graubard's interval: the Clopper-Pearson
	// interval on the design-based effective sample size p(1-p)/Var(p),
	// scaled by (t(n-1)/t(df))^2 for a design with fewer degrees of
	// freedom than respondents: R's svyciprop(method = "beta"). On
	// unweighted data without a design it is the exact Clopper-Pearson
	// interval.
	IntervalBeta Interval = "beta"
	// IntervalLogit is the Wald interval on the logit scale, with the
	// design's degrees of freedom: R's svyciprop(method = "logit").
	IntervalLogit Interval = "logit"
	// IntervalWilson is Wilson's score interval on the effective sample
	// size (on the counts for unweighted data).
	IntervalWilson Interval = "wilson"
	// IntervalClopperPearson is the exact binomial interval on the
	// effective sample size (on the counts for unweighted data), without
	// the degrees-of-freedom scaling of IntervalBeta.
	IntervalClopperPearson Interval = "clopper_pearson"
)

var intervals = []Interval{IntervalBeta, IntervalLogit, IntervalWilson, IntervalClopperPearson}

// Valid reports whether m is a known interval method.
func (m Interval) Valid() bool { return slices.Contains(intervals, m) }

// Enum lists every interval method's code.
func (Interval) Enum() []string { return strs(intervals) }

// spec is what a table's cells are computed under.
type spec struct {
	d        Disclosure
	counts   bool
	interval Interval // "" is the default for the data
	plan     *plan    // nil without a sample design
	design   *designCache
}

// method is the interval method a spec uses on the set's data.
func (s *Set) method(sp spec) Interval {
	switch {
	case sp.interval != "":
		return sp.interval
	case s.weights != nil || sp.plan != nil:
		return IntervalBeta
	case sp.d.KornGraubard:
		return IntervalClopperPearson
	}
	return IntervalWilson
}

// designCache holds the design-based variances of a query's cells,
// computed for several items at a time (their respondents' cells found
// once) and handed out once each.
type designCache struct {
	plan  *plan
	items []int // the items estimated, in order
	out   map[designKey][]varOut
	cols  map[int][]int8 // items' answer codes in PSU order
}

// column returns an item's answer codes in the plan's PSU order, so that
// each breakdown's pass reads them in sequence.
func (s *Set) column(dc *designCache, item int) []int8 {
	if c, ok := dc.cols[item]; ok {
		return c
	}
	if dc.cols == nil {
		dc.cols = map[int][]int8{}
	}
	col := s.cols[item].code
	c := make([]int8, len(col))
	for k, i := range dc.plan.order {
		c[k] = col[i]
	}
	dc.cols[item] = c
	return c
}

type designKey struct {
	bd   *breakdown
	item int
}

// varOut is one cell's linearized variances and degrees of freedom.
type varOut struct {
	varP, varM float64
	df         int32
}

// maxDesignThreads bounds the goroutines of one design-based pass.
const maxDesignThreads = 4

// designBatch bounds items times cells computed together (about 140
// bytes each while they are).
const designBatch = 1 << 20

// variances returns the cells' variances of an item under a breakdown,
// computing them with the next items' when not cached.
func (s *Set) variances(dc *designCache, item int, bd *breakdown) []varOut {
	k := designKey{bd, item}
	if v, ok := dc.out[k]; ok {
		delete(dc.out, k)
		return v
	}
	at := slices.Index(dc.items, item)
	batch := []int{item}
	for j := at + 1; at >= 0 && j < len(dc.items) && (len(batch)+1)*bd.cells <= designBatch; j++ {
		batch = append(batch, dc.items[j])
	}
	cols := make([][]int8, len(batch))
	for j, it := range batch {
		cols[j] = s.column(dc, it)
	}
	outs := s.designVariance(batch, cols, bd, dc.plan)
	for j, it := range batch[1:] {
		dc.out[designKey{bd, it}] = outs[j+1]
	}
	return outs[0]
}

// psuSum is a cell's sums over the current PSU: of w y (y meets the
// indicator), of w times the option's score, and of w; psu is the PSU
// that last touched it.
type psuSum struct {
	a, l, b float64
	psu     int32
}

// cellSum is a cell's running variance sums: the scaled squares and
// products of PSU totals (taa ... tlb), the current stratum's PSU totals
// (sa, sl, sb), the cell's totals (ta, tl, tb), its PSUs and strata, and
// the stratum it last saw.
type cellSum struct {
	taa, tab, tbb, tll, tlb float64
	sa, sl, sb              float64
	ta, tl, tb              float64
	psus, strata, stratum   int32
}

// designVariance computes the cells' variances under a sample design for
// some items, by Taylor linearization as R's survey package does: each
// respondent's influence w (y - estimate) / sum w is summed by PSU, and
// the PSU totals' spread within each stratum, times (1 - n/N) n/(n-1) (n
// the stratum's PSUs in the whole set, N its size when given), is added
// up over strata. A respondent outside the cell or who did not answer
// has influence 0, as in R's domain estimates. Sums of squares are kept
// per cell and PSU; the totals' means are taken out stratum by stratum:
// sum_j (Z_j - mean Z)^2 = sum_j Z_j^2 - (sum_j Z_j)^2 / n.
//
// cols are the items' answer codes in PSU order.
func (s *Set) designVariance(items []int, cols [][]int8, bd *breakdown, pl *plan) [][]varOut {
	nc := bd.cells
	type itemState struct {
		col     []int8
		meets   uint64
		ps      []psuSum
		cs      []cellSum
		touched []uint32
	}
	st := make([]itemState, len(items))
	for k, item := range items {
		x := &st[k]
		x.col = cols[k]
		for _, c := range s.inst.Items[item].indicator() {
			x.meets |= 1 << s.optIdx[item][c]
		}
		x.ps, x.cs = make([]psuSum, nc), make([]cellSum, nc)
		for c := range nc {
			x.ps[c].psu, x.cs[c].stratum = -1, -1
		}
	}
	// foldStratum takes a cell's stratum mean terms out and clears them.
	foldStratum := func(v *cellSum) {
		if v.stratum < 0 {
			return
		}
		k, n := pl.scale[v.stratum], float64(pl.nPSU[v.stratum])
		v.taa -= k * v.sa * v.sa / n
		v.tab -= k * v.sa * v.sb / n
		v.tbb -= k * v.sb * v.sb / n
		v.tll -= k * v.sl * v.sl / n
		v.tlb -= k * v.sl * v.sb / n
		v.sa, v.sl, v.sb = 0, 0, 0
	}
	extra := bd.extraStart(s.Len())
	keys := make([]uint32, len(pl.order))
	for pos, i := range pl.order {
		keys[pos] = bd.keys[i]
	}
	// pass runs over every respondent for some items; items are split
	// between goroutines, each item's sums added in the same order by
	// one of them, so the figures do not depend on the split.
	pass := func(st []itemState) {
		var cells []uint32
		for u := range len(pl.start) - 1 {
			h := pl.psuStrat[u]
			for pos := pl.start[u]; pos < pl.start[u+1]; pos++ {
				i := pl.order[pos]
				cells = cells[:0]
				w := 1.0
				if pl.weights != nil {
					w = pl.weights[pos]
				}
				for k := range st {
					x := &st[k]
					o := x.col[pos]
					if o < 0 {
						continue
					}
					if len(cells) == 0 {
						cells = bd.cellsOf(cells, keys[pos], bd.extra[extra[i]:extra[i+1]])
					}
					y := w * float64((x.meets>>o)&1)
					score := w * float64(o+1)
					ps, touched, uu := x.ps, x.touched, int32(u)
					for _, c := range cells {
						p := &ps[c]
						if p.psu != uu {
							p.psu = uu
							touched = append(touched, c)
						}
						p.a += y
						p.l += score
						p.b += w
					}
					x.touched = touched
				}
			}
			k := pl.scale[h]
			for j := range st {
				x := &st[j]
				for _, c := range x.touched {
					p, v := &x.ps[c], &x.cs[c]
					if v.stratum != h {
						foldStratum(v)
						v.stratum = h
						v.strata++
					}
					v.taa += k * p.a * p.a
					v.tab += k * p.a * p.b
					v.tbb += k * p.b * p.b
					v.tll += k * p.l * p.l
					v.tlb += k * p.l * p.b
					v.sa += p.a
					v.sl += p.l
					v.sb += p.b
					v.ta += p.a
					v.tl += p.l
					v.tb += p.b
					v.psus++
					p.a, p.l, p.b = 0, 0, 0
				}
				x.touched = x.touched[:0]
			}
		}
	}
	parts := min(runtime.GOMAXPROCS(0), len(st), maxDesignThreads)
	var wg sync.WaitGroup
	for g := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pass(st[g*len(st)/parts : (g+1)*len(st)/parts])
		}()
	}
	wg.Wait()
	outs := make([][]varOut, len(items))
	for j := range st {
		x := &st[j]
		out := make([]varOut, nc)
		for c := range nc {
			v := &x.cs[c]
			if v.psus == 0 || v.tb == 0 {
				continue
			}
			foldStratum(v)
			p, m, w2 := v.ta/v.tb, v.tl/v.tb, v.tb*v.tb
			out[c] = varOut{varP: math.Max(0, (v.taa-2*p*v.tab+p*p*v.tbb)/w2), varM: math.Max(0, (v.tll-2*m*v.tlb+m*m*v.tbb)/w2), df: v.psus - v.strata}
		}
		outs[j] = out
		x.ps, x.cs = nil, nil
	}
	return outs
}

// extraStart indexes the breakdown's extra memberships by respondent:
// respondent i's are extra[start[i]:start[i+1]].
func (bd *breakdown) extraStart(n int) []int32 {
	start := make([]int32, n+1)
	for _, m := range bd.extra {
		start[m.i+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	return start
}

// cellsOf appends every cell a respondent belongs to, given its key and
// extra memberships: its own cells (one,
// or one per race group alone or in combination, and that dimension's
// margin), each with every combination of the other dimensions' margins.
func (bd *breakdown) cellsOf(dst []uint32, key uint32, extra []member) []uint32 {
	base := len(dst)
	dst = append(dst, key)
	for _, m := range extra {
		dst = append(dst, m.key)
	}
	for k := range bd.dims {
		if k == bd.direct {
			continue
		}
		st, sz := uint32(bd.stride[k]), uint32(bd.size[k])
		for _, c := range dst[base:] {
			if d := (c / st) % sz; d != sz-1 {
				dst = append(dst, c+(sz-1-d)*st)
			}
		}
	}
	return dst
}

// t975 is the 0.975 quantile of Student's t with df degrees of freedom:
// T^2/(df+T^2) follows Beta(1/2, df/2).
func t975(df float64) float64 {
	y := BetaQuantile(0.95, 0.5, df/2)
	return math.Sqrt(df * y / (1 - y))
}

// figures are a cell's estimate, standard error, effective sample size
// and interval, as proportions.
type figures struct {
	p, se, nEff, lo, hi float64
	meanSE              float64
}

// estimateCell computes a cell's figures under the spec's interval
// method. Weighted or designed data use the linearized variance; the
// design-based effective sample size is p(1-p)/Var(p), or Kish's when the
// variance is 0 (every respondent in the cell alike). Unweighted data
// without a design keep the binomial forms: Var(p) = p(1-p)/n, the mean's
// variance s^2/n.
func (s *Set) estimateCell(a acc, method Interval, designed bool) figures {
	f := figures{p: a.swy / a.sw}
	p, n := f.p, float64(a.n)
	weighted := s.weights != nil || designed
	varP, df := p*(1-p)/n, n-1
	if weighted {
		varP, df = a.varP, float64(a.df)
	}
	f.se = math.Sqrt(varP)
	f.nEff = n
	if s.weights != nil {
		f.nEff = EffectiveN(a.sw, a.sw2)
	}
	if weighted && varP > 0 {
		f.nEff = p * (1 - p) / varP
	}
	f.meanSE = math.Sqrt(a.varM)
	switch method {
	case IntervalBeta:
		ne := f.nEff
		if designed && df >= 1 && n >= 2 && df != n-1 {
			r := t975(n-1) / t975(df)
			ne *= r * r
		}
		f.lo, f.hi = KornGraubard(p, ne)
	case IntervalLogit:
		if p <= 0 || p >= 1 || f.se == 0 || df < 1 {
			f.lo, f.hi = KornGraubard(p, f.nEff)
			break
		}
		lg, h := math.Log(p/(1-p)), t975(df)*f.se/(p*(1-p))
		f.lo, f.hi = 1/(1+math.Exp(-(lg-h))), 1/(1+math.Exp(-(lg+h)))
	case IntervalWilson:
		if weighted {
			f.lo, f.hi = Wilson(p*f.nEff, f.nEff)
		} else {
			f.lo, f.hi = Wilson(float64(a.x), n)
		}
	default:
		f.lo, f.hi = KornGraubard(p, f.nEff)
	}
	return f
}
