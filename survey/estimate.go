package survey

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Dimension is a respondent attribute that results are broken down by.
type Dimension string

// The dimensions.
const (
	ByRace             Dimension = "race"
	ByGender           Dimension = "gender"
	ByAgeBand          Dimension = "age_band"
	ByRegion           Dimension = "region"
	ByPlace            Dimension = "place"
	ByIncome           Dimension = "income"
	ByRole             Dimension = "role"
	ByOrganizationKind Dimension = "organization_kind"
	BySession          Dimension = "session"
)

var dimensions = []Dimension{ByRace, ByGender, ByAgeBand, ByRegion, ByPlace, ByIncome, ByRole, ByOrganizationKind, BySession, ByRaceDetail, ByRace1997, ByEthnicity1997}

// Valid reports whether d is a known dimension.
func (d Dimension) Valid() bool { return slices.Contains(dimensions, d) }

// Enum lists every dimension code.
func (Dimension) Enum() []string { return strs(dimensions) }

func (d Dimension) attr() attribute {
	switch d {
	case ByGender:
		return attrGender
	case ByAgeBand:
		return attrAge
	case ByRegion:
		return attrRegion
	case ByPlace:
		return attrPlace
	case ByIncome:
		return attrIncome
	case ByRole:
		return attrRole
	case ByOrganizationKind:
		return attrOrgKind
	case BySession:
		return attrSession
	}
	return -1
}

// RaceMode says how respondents who chose several races are counted.
type RaceMode string

// The race modes.
const (
	// AloneOrInCombination counts a respondent in every category they
	// chose (the groups then overlap).
	AloneOrInCombination RaceMode = "alone_or_in_combination"
	// MultipleRaces counts a respondent who chose two or more categories
	// once, as "multiple".
	MultipleRaces RaceMode = "multiple"
)

// Valid reports whether m is a known race mode.
func (m RaceMode) Valid() bool { return m == AloneOrInCombination || m == MultipleRaces }

// Enum lists every race mode code.
func (RaceMode) Enum() []string { return []string{string(AloneOrInCombination), string(MultipleRaces)} }

// NotReported is the group of respondents who gave no value.
const NotReported = "not_reported"

// Query asks for estimates.
type Query struct {
	// Items are the item codes to estimate; empty means every item with
	// an indicator.
	Items []string `json:"items,omitempty"`
	// Breakdowns are the disaggregations, each one dimension or several
	// crossed (any combination, each dimension once, at most MaxCells
	// cells with margins); the program-wide total is always given.
	Breakdowns [][]Dimension `json:"breakdowns,omitempty"`
	// Race is how multi-race respondents count; empty means alone or in
	// combination.
	Race RaceMode `json:"race,omitempty"`
	// Disclosure is the disclosure-control standard; nil means WADOH.
	Disclosure *Disclosure `json:"disclosure,omitempty"`
	// Population is the eligible population's size, for the coverage rule;
	// 0 means unknown (the counts rules then apply).
	Population int `json:"population,omitempty"`
	// Interval names the method of every cell's 95% interval; empty
	// means IntervalBeta for weighted or designed data, otherwise
	// IntervalWilson (IntervalClopperPearson under a standard that asks
	// for Korn-Graubard intervals).
	Interval Interval `json:"interval,omitempty"`
}

// Report holds the result tables of a query.
type Report struct {
	Instrument string `json:"instrument"`
	Version    string `json:"version"`
	Cycle      string `json:"cycle"`
	// Disclosure names the standard applied.
	Disclosure string `json:"disclosure"`
	// Counts says the counts rules applied (coverage at or above the
	// standard's threshold, or unknown).
	Counts bool `json:"counts"`
	// Responses is the number of responses.
	Responses int `json:"responses"`
	// Population is the eligible population, when known.
	Population int `json:"population,omitempty"`
	// Interval names the method of the cells' intervals.
	Interval Interval `json:"interval"`
	Tables   []Table  `json:"tables"`
}

// Table is one item's estimates under one breakdown.
type Table struct {
	Item string `json:"item"`
	Text string `json:"text"`
	// Dimensions are the breakdown's dimensions; empty for the total.
	Dimensions []Dimension `json:"dimensions"`
	Cells      []Cell      `json:"cells"`
}

// Cell is one group's estimate. A hidden cell has Suppressed set, its
// Rule, and no figures; a top-coded cell shows Range instead of Percent.
type Cell struct {
	// Group has one value per dimension; "" is every value (a margin),
	// so the total's group is all "".
	Group []string `json:"group"`
	// N is the respondents who answered the item.
	N *int `json:"n"`
	// Count is the respondents meeting the indicator.
	Count *int `json:"count"`
	// Percent is the estimate, weighted when the survey is, 0 to 100.
	Percent *float64 `json:"percent"`
	// SE is the estimate's standard error, in percentage points:
	// linearized (Taylor series, as R's survey package) for weighted data
	// or data with a sample design, else the binomial sqrt(p(1-p)/n).
	SE *float64 `json:"se,omitempty"`
	// RSE is the relative standard error SE/Percent (0.3 is 30%); absent
	// when the estimate is 0.
	RSE *float64 `json:"rse,omitempty"`
	// Low and High bound the 95% interval, in percent, by the report's
	// interval method.
	Low  *float64 `json:"low"`
	High *float64 `json:"high"`
	// Range replaces Percent for a top-coded estimate: "0-5%" or "95-100%".
	Range string `json:"range,omitempty"`
	// Mean is a Likert item's mean on its 1 to 5 scale.
	Mean *float64 `json:"mean,omitempty"`
	// MeanSE is the mean's standard error, linearized like SE.
	MeanSE *float64 `json:"mean_se,omitempty"`
	// EffectiveN is the effective sample size of weighted or designed
	// data: the design-based p(1-p)/Var(p), or Kish's (sum w)^2/sum w^2
	// when the variance is 0.
	EffectiveN *float64 `json:"effective_n,omitempty"`
	// Suppressed says the figures are hidden.
	Suppressed bool `json:"suppressed"`
	// Rule names the rule that hid or top-coded the cell, e.g.
	// "wa_doh:count_under_10" or "wa_doh:secondary".
	Rule string `json:"rule,omitempty"`
	// Caution flags an unreliable estimate (relative standard error at or
	// above the standard's threshold).
	Caution bool `json:"caution,omitempty"`
}

// Estimate computes the query's tables and applies the disclosure
// standard: for each item, the program-wide total, then one table per
// breakdown. Bad queries are a coded error naming the field.
//
// It reads each item's column once per breakdown, each respondent's cell
// computed beforehand, so a million responses to twenty items broken down
// by five crossed dimensions take a few seconds at most.
func (s *Set) Estimate(q Query) (*Report, error) {
	d := WADOH()
	if q.Disclosure != nil {
		d = *q.Disclosure
	}
	race := q.Race
	if race == "" {
		race = AloneOrInCombination
	}
	var pr bsk.Problems
	if err := d.Validate(); err != nil {
		pr.Merge("disclosure", err)
	}
	if !race.Valid() {
		pr.Add("race", "unknown race mode %q", race)
	}
	if q.Population < 0 {
		pr.Add("population", "must be at least 0")
	}
	if q.Interval != "" && !q.Interval.Valid() {
		pr.Add("interval", "unknown interval method %q: use one of %v", q.Interval, intervals)
	}
	var items []int
	if len(q.Items) == 0 {
		for i, it := range s.inst.Items {
			if it.HasIndicator() {
				items = append(items, i)
			}
		}
	}
	for k, code := range q.Items {
		i, ok := s.itemIdx[code]
		switch {
		case !ok:
			pr.AddCode(bsk.CodeNotFound, bsk.Index("items", k), "unknown item code %q", code)
		case !s.inst.Items[i].HasIndicator():
			pr.Add(bsk.Index("items", k), "item %q is a %s item without an indicator: use Frequencies or Rank", code, s.inst.Items[i].Kind)
		default:
			items = append(items, i)
		}
	}
	bds := []*breakdown{{}}
	for k, dims := range q.Breakdowns {
		f := bsk.Index("breakdowns", k)
		if len(dims) == 0 {
			pr.Add(f, "a breakdown needs at least one dimension")
			continue
		}
		before := pr.Len()
		for j, dim := range dims {
			if !dim.Valid() {
				pr.Add(bsk.Index(f, j), "unknown dimension %q", dim)
			} else if slices.Index(dims, dim) < j {
				pr.Add(bsk.Index(f, j), "dimension %q appears twice", dim)
			}
		}
		checkRaceDims(&pr, f, dims)
		if pr.Len() > before {
			continue
		}
		bd := &breakdown{dims: slices.Clone(dims), fold: foldOf(d)}
		if !s.prepare(bd, race) {
			pr.Add(f, "crossing %v gives more than %d cells: use fewer or coarser dimensions", dims, MaxCells)
			continue
		}
		bds = append(bds, bd)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	pl, err := s.plan()
	if err != nil {
		return nil, err
	}
	s.prepare(bds[0], race)
	counts := d.CountsAlways || q.Population == 0 || (d.CountsCoverage > 0 && float64(s.Len()) >= d.CountsCoverage*float64(q.Population))
	sp := spec{d: d, counts: counts, interval: q.Interval, plan: pl}
	if pl != nil {
		sp.design = &designCache{plan: pl, items: items, out: map[designKey][]varOut{}}
	}
	rep := &Report{Instrument: s.inst.ID, Version: s.inst.Version, Cycle: s.inst.Cycle, Disclosure: d.Name, Counts: counts,
		Responses: s.Len(), Population: q.Population, Interval: s.method(sp), Tables: make([]Table, 0, len(items)*len(bds))}
	for _, bd := range bds {
		s.assign(bd, race)
	}
	for _, i := range items {
		for _, bd := range bds {
			rep.Tables = append(rep.Tables, s.table(i, bd, sp))
		}
	}
	return rep, nil
}

// MaxCells bounds the cells of one breakdown's table, margins included: a
// crossing finer than this is refused rather than published mostly empty.
const MaxCells = 1 << 20

// acc accumulates one cell.
type acc struct {
	n, x         int
	sw, sw2, swy float64
	likert       float64
	// varP and varM are the linearized variances of the proportion and
	// the mean, for weighted or designed data; df is the cell's design
	// degrees of freedom (PSUs minus strata).
	varP, varM float64
	df         int
}

// breakdown maps respondents to the cells of one table. Cells are numbered
// in mixed radix, one digit per dimension: a value's code, or the last
// code for the margin ("every value").
type breakdown struct {
	dims   []Dimension
	labels [][]string // per dimension: value labels by code, NotReported last
	size   []int      // per dimension: len(labels)+1, the margin last
	stride []int
	cells  int
	// direct is the dimension whose margin is counted respondent by
	// respondent rather than summed (race alone or in combination, whose
	// groups overlap), or -1.
	direct int
	keys   []uint32 // per respondent: its cell
	extra  []member // further cells of respondents in several groups, by respondent
	// fold rolls detailed race groups with fewer respondents into their
	// category's other group (see ByRaceDetail); detail maps each
	// detailed group to its ByRaceDetail code, -1 when rolled up.
	fold   int
	detail []int
}

// member puts respondent i in one more cell.
type member struct {
	i   int32
	key uint32
}

// prepare fills a breakdown's labels and sizes; it reports false when the
// crossing has more than MaxCells cells.
func (s *Set) prepare(bd *breakdown, race RaceMode) bool {
	bd.labels, bd.size, bd.detail = nil, nil, nil
	for _, dim := range bd.dims {
		var l []string
		switch dim {
		case ByRaceDetail:
			l, bd.detail = s.detailLabels(bd.fold, race)
		case ByRace, ByRace1997, ByEthnicity1997:
			l = raceLabels(dim, race)
		default:
			l = append(l, s.vals[dim.attr()][1:]...)
			l = append(l, NotReported)
		}
		bd.labels = append(bd.labels, l)
		bd.size = append(bd.size, len(l)+1)
	}
	bd.stride = make([]int, len(bd.dims))
	bd.cells = 1
	for k := len(bd.dims) - 1; k >= 0; k-- {
		bd.stride[k] = bd.cells
		bd.cells *= bd.size[k]
		if bd.cells > MaxCells {
			return false
		}
	}
	bd.direct = -1
	if race == AloneOrInCombination {
		bd.direct = slices.IndexFunc(bd.dims, raceLike)
	}
	return true
}

// assign computes every respondent's cell, once per breakdown, so that
// each item's pass is a single indexed increment per answer.
func (s *Set) assign(bd *breakdown, race RaceMode) {
	n := s.Len()
	bd.keys = make([]uint32, n)
	bd.extra = nil
	if len(bd.dims) == 0 {
		return
	}
	var g []int
	for i := range n {
		key := 0
		for k, dim := range bd.dims {
			if k == bd.direct {
				continue
			}
			g = s.groupsOf(g[:0], i, dim, bd.labels[k], bd.detail, race)
			key += g[0] * bd.stride[k]
		}
		if bd.direct < 0 {
			bd.keys[i] = uint32(key)
			continue
		}
		k := bd.direct
		g = s.groupsOf(g[:0], i, bd.dims[k], bd.labels[k], bd.detail, race)
		bd.keys[i] = uint32(key + g[0]*bd.stride[k])
		for _, v := range g[1:] {
			bd.extra = append(bd.extra, member{int32(i), uint32(key + v*bd.stride[k])})
		}
		bd.extra = append(bd.extra, member{int32(i), uint32(key + (bd.size[k]-1)*bd.stride[k])})
	}
}

// groupsOf appends respondent i's codes in one dimension of a breakdown;
// detail maps detailed race groups to ByRaceDetail's codes.
func (s *Set) groupsOf(dst []int, i int, dim Dimension, labels []string, detail []int, race RaceMode) []int {
	switch dim {
	case ByRaceDetail, ByRace1997, ByEthnicity1997:
		return s.raceGroups(dst, i, dim, labels, detail, race)
	}
	if dim != ByRace {
		v := int(s.attrs[dim.attr()][i])
		if v == 0 {
			return append(dst, len(labels)-1)
		}
		return append(dst, v-1)
	}
	m := s.race[i]
	if m == 0 {
		return append(dst, len(labels)-1)
	}
	if race == MultipleRaces {
		real := m &^ (1 << (len(races) - 1)) // declined does not make "multiple"
		if bits.OnesCount16(real) >= 2 {
			return append(dst, len(races))
		}
		if real != 0 {
			m = real
		}
		return append(dst, bits.TrailingZeros16(m))
	}
	for ; m != 0; m &= m - 1 {
		dst = append(dst, bits.TrailingZeros16(m))
	}
	return dst
}

// aggregate counts one item's answers by cell and option in one pass over
// the column, then sums the margins.
func (s *Set) aggregate(item int, bd *breakdown) []acc {
	col := s.cols[item].code
	nopt := len(s.inst.Items[item].options())
	cnt := make([]int, bd.cells*nopt)
	var sw, sw2 []float64
	keys, w := bd.keys, s.weights
	if w == nil {
		for i, c := range col {
			if c >= 0 {
				cnt[int(keys[i])*nopt+int(c)]++
			}
		}
		for _, m := range bd.extra {
			if c := col[m.i]; c >= 0 {
				cnt[int(m.key)*nopt+int(c)]++
			}
		}
	} else {
		sw, sw2 = make([]float64, len(cnt)), make([]float64, len(cnt))
		for i, c := range col {
			if c >= 0 {
				j := int(keys[i])*nopt + int(c)
				cnt[j]++
				sw[j] += w[i]
				sw2[j] += w[i] * w[i]
			}
		}
		for _, m := range bd.extra {
			if c := col[m.i]; c >= 0 {
				j := int(m.key)*nopt + int(c)
				cnt[j]++
				sw[j] += w[m.i]
				sw2[j] += w[m.i] * w[m.i]
			}
		}
	}
	// Margins, one dimension after another: a margin cell sums the cells
	// of every value of its dimension (margins of earlier dimensions
	// included, so every combination of margins is filled).
	for k := range bd.dims {
		if k == bd.direct {
			continue
		}
		st, m := bd.stride[k], bd.size[k]-1
		for idx := range bd.cells {
			if (idx/st)%bd.size[k] != m {
				continue
			}
			dst := idx * nopt
			for v := range m {
				src := (idx - (m-v)*st) * nopt
				for o := range nopt {
					cnt[dst+o] += cnt[src+o]
				}
				if sw != nil {
					for o := range nopt {
						sw[dst+o] += sw[src+o]
						sw2[dst+o] += sw2[src+o]
					}
				}
			}
		}
	}
	var meets uint64
	for _, c := range s.inst.Items[item].indicator() {
		meets |= 1 << s.optIdx[item][c]
	}
	// With replacement and one respondent a PSU, an estimate's linearized
	// variance is n/(n-1) sum w^2 (y - estimate)^2 / (sum w)^2 over the
	// cell's respondents, n the set's respondents: every term a sum over
	// options of the per-option sums of w^2.
	scale := 0.0
	if n := s.Len(); n > 1 {
		scale = float64(n) / float64(n-1)
	}
	accs := make([]acc, bd.cells)
	for idx := range accs {
		a := &accs[idx]
		for o := range nopt {
			j := idx*nopt + o
			c := cnt[j]
			if c == 0 {
				continue
			}
			wt, w2 := float64(c), float64(c)
			if sw != nil {
				wt, w2 = sw[j], sw2[j]
			}
			a.n += c
			a.sw += wt
			a.sw2 += w2
			a.likert += wt * float64(o+1)
			if meets&(1<<o) != 0 {
				a.x += c
				a.swy += wt
			}
		}
		if a.n == 0 {
			continue
		}
		p, m := a.swy/a.sw, a.likert/a.sw
		var sp, sm float64
		for o := range nopt {
			j := idx*nopt + o
			if cnt[j] == 0 {
				continue
			}
			y, w2 := 0.0, float64(cnt[j])
			if meets&(1<<o) != 0 {
				y = 1
			}
			if sw2 != nil {
				w2 = sw2[j]
			}
			sp += w2 * (y - p) * (y - p)
			sm += w2 * (float64(o+1) - m) * (float64(o+1) - m)
		}
		a.df = a.n - 1
		switch {
		case sw != nil:
			a.varP, a.varM = scale*sp/(a.sw*a.sw), scale*sm/(a.sw*a.sw)
		case a.n > 1:
			// Unweighted: the mean's variance s^2/n.
			a.varM = sm / float64(a.n-1) / float64(a.n)
		}
	}
	return accs
}

// table computes one item's table under one breakdown.
func (s *Set) table(item int, bd *breakdown, sp spec) Table {
	t, accs := s.primaryTable(item, bd, sp)
	if sp.d.Secondary && !sp.d.Off {
		secondary(t.Cells, accs, bd, sp.d.Name)
	}
	return t
}

// primaryTable computes one item's table under one breakdown with the
// standard's cell rules only, and the cells' accumulators.
func (s *Set) primaryTable(item int, bd *breakdown, sp spec) (Table, []acc) {
	it := s.inst.Items[item]
	accs := s.aggregate(item, bd)
	if sp.design != nil {
		for c, v := range s.variances(sp.design, item, bd) {
			accs[c].varP, accs[c].varM, accs[c].df = v.varP, v.varM, int(v.df)
		}
	}
	t := Table{Item: it.Code, Text: it.Text, Dimensions: slices.Clone(bd.dims), Cells: make([]Cell, 0, bd.cells)}
	if t.Dimensions == nil {
		t.Dimensions = []Dimension{}
	}
	groups := make([]string, bd.cells*len(bd.dims))
	for c := range bd.cells {
		group := groups[c*len(bd.dims) : (c+1)*len(bd.dims) : (c+1)*len(bd.dims)]
		for k := range bd.dims {
			if v := (c / bd.stride[k]) % bd.size[k]; v < len(bd.labels[k]) {
				group[k] = bd.labels[k][v]
			}
		}
		t.Cells = append(t.Cells, s.cell(accs[c], group, it.Kind == Likert, sp))
	}
	return t, accs
}

// cell turns an accumulator into a published cell.
func (s *Set) cell(a acc, group []string, likert bool, sp spec) Cell {
	c := Cell{Group: group}
	if a.n == 0 {
		zero := 0
		c.N = &zero
		return c
	}
	weighted := s.weights != nil
	designed := weighted || sp.plan != nil
	f := s.estimateCell(a, s.method(sp), sp.plan != nil)
	v := sp.d.primary(a.n, a.x, f.p, f.lo, f.hi, f.nEff, f.se, sp.counts, weighted)
	c.Rule, c.Caution = v.rule, v.caution
	if v.hide {
		c.Suppressed = true
		return c
	}
	if v.rng != "" {
		// The range alone: with its N it could pin the count.
		c.Range = v.rng
		return c
	}
	n := a.n
	c.N = &n
	if designed {
		nEff := f.nEff
		c.EffectiveN = &nEff
	}
	x := a.x
	pct, l, h, se := 100*f.p, 100*f.lo, 100*f.hi, 100*f.se
	c.Count, c.Percent, c.Low, c.High, c.SE = &x, &pct, &l, &h, &se
	if f.p > 0 {
		rse := f.se / f.p
		c.RSE = &rse
	}
	if likert && a.sw > 0 {
		m, mse := a.likert/a.sw, f.meanSE
		c.Mean, c.MeanSE = &m, &mse
	}
	return c
}

// secondary hides more cells until every line of the table (every row,
// column and so on: the cells that differ in one dimension only, with
// that dimension's margin as the line's total) that holds a hidden
// count holds at least two, or has its total hidden: no hidden cell can
// then be recomputed from its line's total and other cells. A top-coded
// cell counts as hidden. The cell hidden in addition is the line's
// smallest visible cell with respondents, or the total when there is none.
func secondary(cells []Cell, raw []acc, bd *breakdown, name string) {
	hidden := func(c int) bool { return cells[c].Suppressed || cells[c].Range != "" }
	hide := func(c int) {
		cells[c] = Cell{Group: cells[c].Group, Suppressed: true, Rule: name + ":secondary"}
	}
	for changed := true; changed; {
		changed = false
		for k := range bd.dims {
			st, sz := bd.stride[k], bd.size[k]
			for base := range bd.cells {
				if (base/st)%sz != 0 {
					continue
				}
				total := base + (sz-1)*st
				if hidden(total) {
					continue
				}
				count, best := 0, -1
				for v := range sz - 1 {
					c := base + v*st
					switch {
					case raw[c].n == 0:
					case hidden(c):
						count++
					case best < 0 || raw[c].n < raw[best].n:
						best = c
					}
				}
				if count != 1 {
					continue
				}
				if best >= 0 {
					hide(best)
				} else {
					hide(total)
				}
				changed = true
			}
		}
	}
}

// String renders a cell briefly, for logs and examples.
func (c Cell) String() string {
	switch {
	case c.Suppressed:
		return "suppressed (" + c.Rule + ")"
	case c.Range != "":
		return c.Range + " (" + c.Rule + ")"
	case c.Percent == nil:
		return "no responses"
	}
	return fmt.Sprintf("%.0f%% of %d [%.0f, %.0f]", math.Round(*c.Percent), *c.N, *c.Low, *c.High)
}

// Change is the difference of one estimate between two cycles.
type Change struct {
	// From and To are the two cycles' percentages.
	From float64 `json:"from"`
	To   float64 `json:"to"`
	// Points is To - From, in percentage points.
	Points float64 `json:"points"`
	// Z and PValue are the two-proportion z-test of the difference, on
	// effective sample sizes for weighted data.
	Z      float64 `json:"z"`
	PValue float64 `json:"p_value"`
	// Significant says PValue < 0.05.
	Significant bool `json:"significant"`
}

// Compare tests the change of a published estimate between two cycles.
// It reports false when either cell is hidden or top-coded: a change
// must not reveal what disclosure control hid.
func Compare(from, to Cell) (Change, bool) {
	if from.Percent == nil || to.Percent == nil || from.N == nil || to.N == nil {
		return Change{}, false
	}
	n1, n2 := float64(*from.N), float64(*to.N)
	if from.EffectiveN != nil {
		n1 = *from.EffectiveN
	}
	if to.EffectiveN != nil {
		n2 = *to.EffectiveN
	}
	z, p := TwoProportionTest(*from.Percent/100, n1, *to.Percent/100, n2)
	return Change{From: *from.Percent, To: *to.Percent, Points: *to.Percent - *from.Percent, Z: z, PValue: p, Significant: p < 0.05}, true
}
