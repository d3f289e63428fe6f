package survey

import (
	"math"
	"slices"
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

// designVariance fills the cells' variances and degrees of freedom under
// a sample design, by Taylor linearization as R's survey package does:
// each respondent's influence w (y - estimate) / sum w is summed by PSU,
// and the PSU totals' spread within each stratum, times (1 - n/N) n/(n-1)
// (n the stratum's PSUs in the whole set, N its size when given), is
// added up over strata. A respondent outside the cell or who did not
// answer has influence 0, as in R's domain estimates.
func (s *Set) designVariance(item int, bd *breakdown, pl *plan, accs []acc) {
	col := s.cols[item].code
	var meets uint64
	for _, c := range s.inst.Items[item].indicator() {
		meets |= 1 << s.optIdx[item][c]
	}
	nc := bd.cells
	// Per cell: the current PSU's sums, the current stratum's sums and
	// the totals, for y (meets), l (the option's score) and the weight.
	a, l, b := make([]float64, nc), make([]float64, nc), make([]float64, nc)
	var sa, sl, sb, saa, sab, sbb, sll, slb = make([]float64, nc), make([]float64, nc), make([]float64, nc), make([]float64, nc),
		make([]float64, nc), make([]float64, nc), make([]float64, nc), make([]float64, nc)
	taa, tab, tbb, tll, tlb := make([]float64, nc), make([]float64, nc), make([]float64, nc), make([]float64, nc), make([]float64, nc)
	inPSU, inStratum := make([]bool, nc), make([]bool, nc)
	psus, strata := make([]int, nc), make([]int, nc)
	var touchedP, touchedS []uint32
	flushPSU := func() {
		for _, c := range touchedP {
			if !inStratum[c] {
				inStratum[c] = true
				touchedS = append(touchedS, c)
			}
			sa[c] += a[c]
			sl[c] += l[c]
			sb[c] += b[c]
			saa[c] += a[c] * a[c]
			sab[c] += a[c] * b[c]
			sbb[c] += b[c] * b[c]
			sll[c] += l[c] * l[c]
			slb[c] += l[c] * b[c]
			psus[c]++
			a[c], l[c], b[c], inPSU[c] = 0, 0, 0, false
		}
		touchedP = touchedP[:0]
	}
	flushStratum := func(h int32) {
		k, nh := pl.scale[h], float64(pl.nPSU[h])
		for _, c := range touchedS {
			taa[c] += k * (saa[c] - sa[c]*sa[c]/nh)
			tab[c] += k * (sab[c] - sa[c]*sb[c]/nh)
			tbb[c] += k * (sbb[c] - sb[c]*sb[c]/nh)
			tll[c] += k * (sll[c] - sl[c]*sl[c]/nh)
			tlb[c] += k * (slb[c] - sl[c]*sb[c]/nh)
			strata[c]++
			sa[c], sl[c], sb[c], saa[c], sab[c], sbb[c], sll[c], slb[c], inStratum[c] = 0, 0, 0, 0, 0, 0, 0, 0, false
		}
		touchedS = touchedS[:0]
	}
	extra := bd.extraStart(s.Len())
	var cells []uint32
	for u := range len(pl.start) - 1 {
		if u > 0 && pl.psuStrat[u] != pl.psuStrat[u-1] {
			flushStratum(pl.psuStrat[u-1])
		}
		for _, i := range pl.order[pl.start[u]:pl.start[u+1]] {
			o := col[i]
			if o < 0 {
				continue
			}
			w := 1.0
			if s.weights != nil {
				w = s.weights[i]
			}
			y := 0.0
			if meets&(1<<o) != 0 {
				y = w
			}
			score := w * float64(o+1)
			cells = bd.cellsOf(cells[:0], int(i), extra)
			for _, c := range cells {
				if !inPSU[c] {
					inPSU[c] = true
					touchedP = append(touchedP, c)
				}
				a[c] += y
				l[c] += score
				b[c] += w
			}
		}
		flushPSU()
	}
	if n := len(pl.psuStrat); n > 0 {
		flushStratum(pl.psuStrat[n-1])
	}
	for c := range accs {
		ac := &accs[c]
		if ac.n == 0 {
			continue
		}
		p, m, w2 := ac.swy/ac.sw, ac.likert/ac.sw, ac.sw*ac.sw
		ac.varP = math.Max(0, (taa[c]-2*p*tab[c]+p*p*tbb[c])/w2)
		ac.varM = math.Max(0, (tll[c]-2*m*tlb[c]+m*m*tbb[c])/w2)
		ac.df = psus[c] - strata[c]
	}
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

// cellsOf appends every cell respondent i belongs to: its own cells (one,
// or one per race group alone or in combination, and that dimension's
// margin), each with every combination of the other dimensions' margins.
func (bd *breakdown) cellsOf(dst []uint32, i int, extra []int32) []uint32 {
	base := len(dst)
	dst = append(dst, bd.keys[i])
	for _, m := range bd.extra[extra[i]:extra[i+1]] {
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
