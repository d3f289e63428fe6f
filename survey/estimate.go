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

var dimensions = []Dimension{ByRace, ByGender, ByAgeBand, ByRegion, ByPlace, ByIncome, ByRole, ByOrganizationKind, BySession}

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

// Enum lists every race mode code.
func (RaceMode) Enum() []string { return []string{string(AloneOrInCombination), string(MultipleRaces)} }

// NotReported is the group of respondents who gave no value.
const NotReported = "not_reported"

// Query asks for estimates.
type Query struct {
	// Items are the item codes to estimate; empty means every item with
	// an indicator.
	Items []string `json:"items,omitempty"`
	// Breakdowns are the disaggregations, each one dimension or two
	// crossed (rows then columns); the program-wide total is always given.
	Breakdowns [][]Dimension `json:"breakdowns,omitempty"`
	// Race is how multi-race respondents count; empty means alone or in
	// combination.
	Race RaceMode `json:"race,omitempty"`
	// Disclosure is the disclosure-control standard; nil means WADOH.
	Disclosure *Disclosure `json:"disclosure,omitempty"`
	// Population is the eligible population's size, for the coverage rule;
	// 0 means unknown (the counts rules then apply).
	Population int `json:"population,omitempty"`
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
	Population int     `json:"population,omitempty"`
	Tables     []Table `json:"tables"`
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
	// Low and High bound the 95% interval, in percent.
	Low  *float64 `json:"low"`
	High *float64 `json:"high"`
	// Range replaces Percent for a top-coded estimate: "0-5%" or "95-100%".
	Range string `json:"range,omitempty"`
	// Mean is a Likert item's mean on its 1 to 5 scale.
	Mean *float64 `json:"mean,omitempty"`
	// EffectiveN is Kish's effective sample size of weighted data.
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

// acc accumulates one cell.
type acc struct {
	n, x         int
	sw, sw2, swy float64
	likert, likW float64
}

// breakdown maps respondents to cells.
type breakdown struct {
	dims   []Dimension
	labels [][]string // per dimension: value labels by code
	// cells are keyed by one code per dimension, each code either a value
	// index or len(labels[d]) for the margin.
	size []int
}

// Estimate computes the query's tables and applies the disclosure
// standard. Bad queries are a coded error naming the field.
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
	if race != AloneOrInCombination && race != MultipleRaces {
		pr.Add("race", "unknown race mode %q", race)
	}
	if q.Population < 0 {
		pr.Add("population", "must be at least 0")
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
		i := slices.IndexFunc(s.inst.Items, func(it Item) bool { return it.Code == code })
		switch {
		case i < 0:
			pr.AddCode(bsk.CodeNotFound, bsk.Index("items", k), "unknown item code %q", code)
		case !s.inst.Items[i].HasIndicator():
			pr.Add(bsk.Index("items", k), "item %q is a %s item without an indicator: use Frequencies or Rank", code, s.inst.Items[i].Kind)
		default:
			items = append(items, i)
		}
	}
	bds := []breakdown{{}}
	for k, dims := range q.Breakdowns {
		f := bsk.Index("breakdowns", k)
		if len(dims) < 1 || len(dims) > 2 {
			pr.Add(f, "a breakdown has one dimension or two crossed, not %d", len(dims))
			continue
		}
		if len(dims) == 2 && dims[0] == dims[1] {
			pr.Add(f, "crosses %q with itself", dims[0])
		}
		for j, dim := range dims {
			if !dim.Valid() {
				pr.Add(bsk.Index(f, j), "unknown dimension %q", dim)
			}
		}
		bds = append(bds, breakdown{dims: dims})
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	counts := d.CountsAlways || q.Population == 0 || (d.CountsCoverage > 0 && float64(s.Len()) >= d.CountsCoverage*float64(q.Population))
	rep := &Report{Instrument: s.inst.ID, Version: s.inst.Version, Cycle: s.inst.Cycle, Disclosure: d.Name, Counts: counts,
		Responses: s.Len(), Population: q.Population, Tables: []Table{}}
	for b := range bds {
		s.labels(&bds[b], race)
	}
	for _, i := range items {
		for _, bd := range bds {
			rep.Tables = append(rep.Tables, s.table(i, bd, race, d, counts))
		}
	}
	return rep, nil
}

// labels fills a breakdown's value labels: for race the categories (and
// "multiple"), otherwise the values seen; NotReported last.
func (s *Set) labels(bd *breakdown, race RaceMode) {
	bd.labels, bd.size = nil, nil
	for _, dim := range bd.dims {
		var l []string
		if dim == ByRace {
			l = strs(races)
			if race == MultipleRaces {
				l = append(l, "multiple")
			}
		} else {
			l = append(l, s.vals[dim.attr()][1:]...)
		}
		l = append(l, NotReported)
		bd.labels = append(bd.labels, l)
		bd.size = append(bd.size, len(l)+1) // + margin
	}
}

// groupsOf appends respondent i's codes in dimension k of a breakdown.
func (s *Set) groupsOf(dst []int, i int, dim Dimension, labels []string, race RaceMode) []int {
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

// table computes one item's table under one breakdown.
func (s *Set) table(item int, bd breakdown, race RaceMode, d Disclosure, counts bool) Table {
	it := s.inst.Items[item]
	col := s.cols[item]
	var meets uint64
	for _, c := range it.indicator() {
		meets |= 1 << s.optIdx[item][c]
	}
	ncell := 1
	for _, sz := range bd.size {
		ncell *= sz
	}
	accs := make([]acc, ncell)
	var g0, g1 []int
	isLikert := it.Kind == Likert
	for i, code := range col.code {
		if code < 0 {
			continue
		}
		w := 1.0
		if s.weights != nil {
			w = s.weights[i]
		}
		y := 0.0
		if meets&(1<<code) != 0 {
			y = 1
		}
		add := func(c int) {
			a := &accs[c]
			a.n++
			if y == 1 {
				a.x++
			}
			a.sw += w
			a.sw2 += w * w
			a.swy += w * y
			if isLikert {
				a.likert += w * float64(code+1)
				a.likW += w
			}
		}
		switch len(bd.dims) {
		case 0:
			add(0)
		case 1:
			g0 = s.groupsOf(g0[:0], i, bd.dims[0], bd.labels[0], race)
			for _, a := range g0 {
				add(a)
			}
			add(bd.size[0] - 1)
		case 2:
			g0 = s.groupsOf(g0[:0], i, bd.dims[0], bd.labels[0], race)
			g1 = s.groupsOf(g1[:0], i, bd.dims[1], bd.labels[1], race)
			m0, m1 := bd.size[0]-1, bd.size[1]-1
			for _, a := range g0 {
				for _, b := range g1 {
					add(a*bd.size[1] + b)
				}
				add(a*bd.size[1] + m1)
			}
			for _, b := range g1 {
				add(m0*bd.size[1] + b)
			}
			add(m0*bd.size[1] + m1)
		}
	}
	t := Table{Item: it.Code, Text: it.Text, Dimensions: slices.Clone(bd.dims), Cells: make([]Cell, 0, ncell)}
	if t.Dimensions == nil {
		t.Dimensions = []Dimension{}
	}
	raw := make([]acc, 0, ncell)
	for c := range ncell {
		group := make([]string, len(bd.dims))
		rest := c
		for k := len(bd.dims) - 1; k >= 0; k-- {
			v := rest % bd.size[k]
			rest /= bd.size[k]
			if v < len(bd.labels[k]) {
				group[k] = bd.labels[k][v]
			}
		}
		t.Cells = append(t.Cells, s.cell(accs[c], group, isLikert, d, counts))
		raw = append(raw, accs[c])
	}
	if d.Secondary && !d.Off {
		secondary(t.Cells, raw, bd.size, d.Name)
	}
	return t
}

// cell turns an accumulator into a published cell.
func (s *Set) cell(a acc, group []string, likert bool, d Disclosure, counts bool) Cell {
	c := Cell{Group: group}
	if a.n == 0 {
		zero := 0
		c.N = &zero
		return c
	}
	weighted := s.weights != nil
	p := a.swy / a.sw
	nEff := float64(a.n)
	if weighted {
		nEff = EffectiveN(a.sw, a.sw2)
	}
	var lo, hi float64
	if weighted || d.KornGraubard {
		lo, hi = KornGraubard(p, nEff)
	} else {
		lo, hi = Wilson(float64(a.x), float64(a.n))
	}
	v := d.primary(a.n, a.x, p, lo, hi, nEff, counts, weighted)
	c.Rule, c.Caution = v.rule, v.caution
	if v.hide {
		c.Suppressed = true
		return c
	}
	n := a.n
	c.N = &n
	if weighted {
		c.EffectiveN = &nEff
	}
	if v.rng != "" {
		c.Range = v.rng
		return c
	}
	x := a.x
	pct, l, h := 100*p, 100*lo, 100*hi
	c.Count, c.Percent, c.Low, c.High = &x, &pct, &l, &h
	if likert && a.likW > 0 {
		m := a.likert / a.likW
		c.Mean = &m
	}
	return c
}

// secondary hides more cells until every row and column (and the line of
// margins) that holds a hidden count holds at least two, or has its total
// hidden: no hidden cell can then be recomputed by subtraction.
func secondary(cells []Cell, raw []acc, size []int, name string) {
	hidden := func(c int) bool { return cells[c].Suppressed || cells[c].Range != "" }
	hide := func(c int) {
		cells[c] = Cell{Group: cells[c].Group, Suppressed: true, Rule: name + ":secondary"}
	}
	var lines [][]int // each line: its cells, then its total last
	switch len(size) {
	case 1:
		line := make([]int, size[0])
		for v := range size[0] {
			line[v] = v
		}
		lines = append(lines, line)
	case 2:
		for r := range size[0] {
			line := make([]int, size[1])
			for c := range size[1] {
				line[c] = r*size[1] + c
			}
			lines = append(lines, line)
		}
		for c := range size[1] {
			line := make([]int, size[0])
			for r := range size[0] {
				line[r] = r*size[1] + c
			}
			lines = append(lines, line)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, line := range lines {
			total := line[len(line)-1]
			if hidden(total) {
				continue
			}
			count, best := 0, -1
			for _, c := range line[:len(line)-1] {
				switch {
				case hidden(c):
					if raw[c].n > 0 {
						count++
					}
				case raw[c].n > 0 && (best < 0 || raw[c].n < raw[best].n):
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

// String renders a cell briefly, for logs and examples.
func (c Cell) String() string {
	switch {
	case c.Suppressed:
		return "suppressed (" + c.Rule + ")"
	case c.Range != "":
		return fmt.Sprintf("%s of %d", c.Range, *c.N)
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
