package survey

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// The caps of a release and of a request for its tables, checked before
// any table is computed. A request that exceeds one is refused, naming
// the field, rather than answered slowly.
const (
	// MaxBreakdowns bounds the breakdowns of a release, and of one
	// request for its tables.
	MaxBreakdowns = 16
	// MaxDimensions bounds the dimensions crossed in one breakdown.
	MaxDimensions = 3
	// MaxReleaseCells bounds the cells of every table of a release
	// (items times cells, margins included): about 250 bytes of JSON a
	// cell, so a release's report stays under about 12 MB.
	MaxReleaseCells = 50_000
)

// The neutral rules of published cells. A reader learns that a cell is
// hidden or top-coded and under which standard ("wa_doh:suppressed"),
// never which figure was small (the count or its complement) or which
// neighbour a cell protects.
const (
	RuleSuppressed = "suppressed"
	RuleTopCoded   = "top_coded"
)

// Release fixes what may be published from one set of responses: the
// disclosure standard, the eligible population (which decides, under
// WA DOH, whether the survey is treated as counts), how multi-race
// respondents count, the items and the breakdowns. It is set once, by
// whoever is entitled to decide it; readers then get only its tables,
// under its settings, from [Set.Publish]. Readers who choose their own
// standard, population or breakdowns could otherwise shop for the
// standard that shows a cell, switch the counts rules off with a large
// population, or combine many breakdowns to recover hidden cells.
type Release struct {
	// Standard is the disclosure standard; it must set a rule.
	Standard Disclosure `json:"standard"`
	// Population is the eligible population's size; 0 means unknown
	// (the counts rules then apply).
	Population int `json:"population,omitempty"`
	// Race is how multi-race respondents count; empty means alone or in
	// combination.
	Race RaceMode `json:"race,omitempty"`
	// Items are the item codes that may be published: items with an
	// indicator get tables, ranking items rankings, multi-select items
	// frequencies. Empty means every item except free text and numbers.
	Items []string `json:"items,omitempty"`
	// Breakdowns are the disaggregations that may be published, each one
	// dimension or up to MaxDimensions crossed; the program-wide total is
	// always published.
	Breakdowns [][]Dimension `json:"breakdowns,omitempty"`
	// Interval names the method of the tables' intervals; empty means
	// the default for the data (see [Query]). A standard's interval-width
	// rules ([NCHS]) judge the release's intervals, fixed like its other
	// settings.
	Interval Interval `json:"interval,omitempty"`
}

// Validate reports a release that cannot be published for an instrument,
// every problem a [bsk.ErrInvalid]:
// a standard that sets no rule, an unknown item, dimension or race mode,
// a dimension twice in a breakdown, a breakdown twice, or more than
// MaxBreakdowns breakdowns or MaxDimensions dimensions in one. Problems
// name the field ("breakdowns[2][1]", "standard.name").
func (r Release) Validate(in Instrument) error {
	var pr bsk.Problems
	if err := r.Standard.Validate(); err != nil {
		pr.Merge("standard", err)
	}
	if r.Population < 0 {
		pr.Add("population", "must be at least 0")
	}
	if r.Race != "" && !r.Race.Valid() {
		pr.Add("race", "unknown race mode %q", r.Race)
	}
	if r.Interval != "" && !r.Interval.Valid() {
		pr.Add("interval", "unknown interval method %q: use one of %v", r.Interval, intervals)
	}
	for k, code := range r.Items {
		it, ok := in.Item(code)
		switch {
		case !ok:
			pr.Add(bsk.Index("items", k), "unknown item code %q", code)
		case !it.HasIndicator() && it.Kind != Ranking && it.Kind != Multi:
			pr.Add(bsk.Index("items", k), "item %q is a %s item: only items with an indicator, rankings and multi-selects are published", code, it.Kind)
		case slices.Index(r.Items, code) < k:
			pr.Add(bsk.Index("items", k), "item %q appears twice", code)
		}
	}
	if len(r.Breakdowns) > MaxBreakdowns {
		pr.Add("breakdowns", "has %d breakdowns; a release has at most %d", len(r.Breakdowns), MaxBreakdowns)
	}
	for k, dims := range r.Breakdowns {
		if err := checkBreakdown(dims); err != nil {
			pr.Merge(bsk.Index("breakdowns", k), err)
			continue
		}
		for j := range k {
			if sameDimensions(r.Breakdowns[j], dims) {
				pr.Add(bsk.Index("breakdowns", k), "breakdown %v is breakdowns[%d] again", dims, j)
				break
			}
		}
	}
	return pr.Err()
}

// checkBreakdown reports a breakdown without dimensions, with more than
// MaxDimensions, or with an unknown or repeated dimension.
func checkBreakdown(dims []Dimension) error {
	var pr bsk.Problems
	switch {
	case len(dims) == 0:
		pr.Add("", "a breakdown needs at least one dimension")
	case len(dims) > MaxDimensions:
		pr.Add("", "crosses %d dimensions; a breakdown crosses at most %d", len(dims), MaxDimensions)
	}
	for j, dim := range dims {
		if !dim.Valid() {
			pr.Add(bsk.Index("", j), "unknown dimension %q", dim)
		} else if slices.Index(dims, dim) < j {
			pr.Add(bsk.Index("", j), "dimension %q appears twice", dim)
		}
	}
	checkRaceDims(&pr, "", dims)
	return pr.Err()
}

// sameDimensions reports whether two breakdowns cross the same dimensions,
// in any order.
func sameDimensions(a, b []Dimension) bool {
	if len(a) != len(b) {
		return false
	}
	for _, d := range a {
		if !slices.Contains(b, d) {
			return false
		}
	}
	return true
}

// Publication is every table of a release, after disclosure control
// computed jointly over all of them.
type Publication struct {
	Release Release `json:"release"`
	// Report holds, per item with an indicator, the program-wide total
	// and one table per breakdown, in the release's order.
	Report *Report `json:"report"`
	// Rankings and Frequencies hold the ranking and multi-select items.
	Rankings    []RankResult  `json:"rankings"`
	Frequencies []Frequencies `json:"frequencies"`
	// Withheld lists the items hidden whole: a hidden cell of theirs
	// could not be protected even with no breakdown withheld (see
	// [Set.Publish]).
	Withheld []string `json:"withheld,omitempty"`
	// WithheldBreakdowns lists the release's breakdowns that are not
	// published: with them, a hidden cell could not be protected and an
	// item would have been withheld whole, program-wide figure and all.
	WithheldBreakdowns [][]Dimension `json:"withheld_breakdowns,omitempty"`
	// RolledUp lists the withheld breakdowns by detailed race group
	// (ByRaceDetail) published instead with the minimum categories
	// (ByRace), when the release does not hold that breakdown already.
	RolledUp []RollUp `json:"rolled_up,omitempty"`
}

// Covers reports whether the release publishes a breakdown (its
// dimensions in any order): one of the release's, not withheld, or the
// roll-up of a withheld one (see [Publication.RolledUp]).
func (p *Publication) Covers(dims []Dimension) bool {
	same := func(b []Dimension) bool { return sameDimensions(b, dims) }
	if slices.ContainsFunc(p.RolledUp, func(u RollUp) bool { return same(u.To) }) {
		return true
	}
	return slices.ContainsFunc(p.Release.Breakdowns, same) && !slices.ContainsFunc(p.WithheldBreakdowns, same)
}

// Select returns the release's tables for some items (empty: every item
// with an indicator) and some of its breakdowns, with every total. A
// breakdown or item the release does not publish is an error naming it
// ("breakdowns[1]", "items[0]"); more than MaxBreakdowns breakdowns are
// refused before anything else.
func (p *Publication) Select(items []string, breakdowns [][]Dimension) (*Report, error) {
	var pr bsk.Problems
	if len(breakdowns) > MaxBreakdowns {
		pr.Add("breakdowns", "has %d breakdowns; a request has at most %d", len(breakdowns), MaxBreakdowns)
		return nil, pr.Err()
	}
	for k, dims := range breakdowns {
		if err := checkBreakdown(dims); err != nil {
			pr.Merge(bsk.Index("breakdowns", k), err)
		} else if !p.Covers(dims) {
			if slices.ContainsFunc(p.WithheldBreakdowns, func(b []Dimension) bool { return sameDimensions(b, dims) }) {
				msg := "breakdown %v is withheld: its tables cannot be published without revealing a hidden cell"
				if u := slices.IndexFunc(p.RolledUp, func(u RollUp) bool { return sameDimensions(u.From, dims) }); u >= 0 {
					msg += fmt.Sprintf("; the release publishes %v instead", p.RolledUp[u].To)
				}
				pr.Add(bsk.Index("breakdowns", k), msg, dims)
			} else {
				pr.Add(bsk.Index("breakdowns", k), "breakdown %v is not in the release", dims)
			}
		}
	}
	have := map[string]bool{}
	for _, t := range p.Report.Tables {
		have[t.Item] = true
	}
	for k, code := range items {
		if !have[code] {
			pr.Add(bsk.Index("items", k), "item %q has no table in the release", code)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	out := *p.Report
	out.Tables = []Table{}
	for _, t := range p.Report.Tables {
		if len(items) > 0 && !slices.Contains(items, t.Item) {
			continue
		}
		if len(t.Dimensions) == 0 || slices.ContainsFunc(breakdowns, func(b []Dimension) bool { return sameDimensions(b, t.Dimensions) }) {
			out.Tables = append(out.Tables, t)
		}
	}
	return &out, nil
}

// Ranking returns a ranking item's published result.
func (p *Publication) Ranking(item string) (RankResult, bool) {
	i := slices.IndexFunc(p.Rankings, func(r RankResult) bool { return r.Item == item })
	if i < 0 {
		return RankResult{}, false
	}
	return p.Rankings[i], true
}

// Frequency returns a multi-select item's published frequencies.
func (p *Publication) Frequency(item string) (Frequencies, bool) {
	i := slices.IndexFunc(p.Frequencies, func(f Frequencies) bool { return f.Item == item })
	if i < 0 {
		return Frequencies{}, false
	}
	return p.Frequencies[i], true
}

// Threshold is the count a hidden cell is protected by: MinCount, else
// MinN, else the effective sample size MinEffectiveN rounded up, else 10.
func (d Disclosure) Threshold() int {
	switch {
	case d.MinCount > 0:
		return d.MinCount
	case d.MinN > 0:
		return d.MinN
	case d.MinEffectiveN > 0:
		return int(math.Ceil(d.MinEffectiveN))
	}
	return 10
}

// Publish computes every table of a release with disclosure control
// applied jointly to all of them: program-wide totals, every breakdown
// with its margins, rankings and frequencies. Bad releases are a coded
// error naming the field, as from [Release.Validate]; a release whose
// tables would hold more than MaxReleaseCells cells, or a breakdown more
// than MaxCells, is refused before any table is computed.
//
// The standard's cell rules hide cells first. Then every hidden cell gets
// two witnesses per item, one for its count meeting the indicator and one
// for the complement. A witness is a move of T respondents of that kind
// (T the standard's [Disclosure.Threshold]), answers, weights and all,
// between cells of the finest crossing of the release's dimensions: from
// one partner cell outside the hidden cell to a cell inside it, or, when
// that hides more, from several cells that differ from cells inside it in
// one dimension only. Every published cell, in any table of the release,
// that holds one end of a move but not the other is hidden too, so the
// moved table, of non-negative whole counts, agrees with every published
// figure (totals, margins, counts, percentages, intervals, means) and
// differs from the true one by T in the hidden cell; a cell it changes by
// less than T gets a witness of its own. So no combination of the
// published tables narrows a hidden count, or its complement, to fewer
// than T+1 possible values. The pattern of hidden cells is the same for
// every item, so one item's figures do not reveal another's hidden group.
// An item with a hidden cell that has no witness (its program-wide total
// is hidden, or no cells hold T respondents to move), or still unprotected
// after 20,000 witness searches (which bound the cost of a release), would
// be withheld whole. Rather than lose an item's program-wide figure to a
// fine breakdown, Publish then withholds the release's finest breakdown
// (the most dimensions, then the most cells, then the last listed), lists
// it in WithheldBreakdowns and protects the remaining tables afresh,
// until no item is withheld or no breakdown is left; an item unprotected
// even then is withheld whole and listed in Withheld. A withheld
// breakdown by detailed race group ([ByRaceDetail]) is rolled up: the
// same breakdown by minimum category ([ByRace]) takes its place, listed
// in RolledUp, unless the release holds it already; a roll-up that must
// be withheld in turn is dropped. The guarantee above
// holds for what is published, since it is protected exactly as a release
// of the remaining breakdowns would be.
//
// Published cells carry neutral rules: "<standard>:suppressed" or
// "<standard>:top_coded"; which rule hid a cell stays inside. A release
// under [Unsuppressed] publishes every figure as computed.
func (s *Set) Publish(r Release) (*Publication, error) {
	if err := r.Validate(s.inst); err != nil {
		return nil, err
	}
	d, race := r.Standard, r.Race
	if race == "" {
		race = AloneOrInCombination
	}
	var tabled []int
	pub := &Publication{Release: r, Rankings: []RankResult{}, Frequencies: []Frequencies{}}
	codes := r.Items
	if len(codes) == 0 {
		for _, it := range s.inst.Items {
			if it.HasIndicator() || it.Kind == Ranking || it.Kind == Multi {
				codes = append(codes, it.Code)
			}
		}
	}
	var others []string
	for _, code := range codes {
		i := s.itemIdx[code]
		if k := s.inst.Items[i].Kind; k == Ranking || k == Multi {
			others = append(others, code)
		} else {
			tabled = append(tabled, i)
		}
	}
	bds := []*breakdown{{}}
	s.prepare(bds[0], race)
	var pr bsk.Problems
	cells := len(tabled)
	for k, dims := range r.Breakdowns {
		bd := &breakdown{dims: slices.Clone(dims), fold: foldOf(d)}
		if !s.prepare(bd, race) {
			pr.Add(bsk.Index("breakdowns", k), "crossing %v gives more than %d cells: use fewer or coarser dimensions", dims, MaxCells)
			continue
		}
		cells += bd.cells * len(tabled)
		bds = append(bds, bd)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if cells > MaxReleaseCells {
		return nil, bsk.Invalidf("breakdowns", "the release's tables hold %d cells; a release holds at most %d: use fewer items, breakdowns or dimensions", cells, MaxReleaseCells)
	}
	for _, code := range others {
		if s.inst.Items[s.itemIdx[code]].Kind == Ranking {
			rk, err := s.Rank(code, d)
			if err != nil {
				return nil, err
			}
			if rk.Suppressed {
				rk.Rule = neutral(d, rk.Rule)
			}
			pub.Rankings = append(pub.Rankings, rk)
			continue
		}
		fr, err := s.Frequencies(code, d)
		if err != nil {
			return nil, err
		}
		for o := range fr.Options {
			fr.Options[o].Rule = neutral(d, fr.Options[o].Rule)
		}
		pub.Frequencies = append(pub.Frequencies, fr)
	}
	counts := d.CountsAlways || r.Population == 0 || (d.CountsCoverage > 0 && float64(s.Len()) >= d.CountsCoverage*float64(r.Population))
	pl, err := s.plan()
	if err != nil {
		return nil, err
	}
	sp := spec{d: d, counts: counts, interval: r.Interval, plan: pl}
	if pl != nil {
		sp.design = &designCache{plan: pl, items: tabled, out: map[designKey][]varOut{}}
	}
	rep := &Report{Instrument: s.inst.ID, Version: s.inst.Version, Cycle: s.inst.Cycle, Disclosure: d.Name, Counts: counts,
		Responses: s.Len(), Population: r.Population, Interval: s.method(sp), Tables: make([]Table, 0, len(tabled)*len(bds))}
	for _, bd := range bds {
		s.assign(bd, race)
	}
	var tables [][]Table
	for {
		tables = make([][]Table, len(tabled))
		for n, i := range tabled {
			tables[n] = make([]Table, len(bds))
			for b, bd := range bds {
				tables[n][b], _ = s.primaryTable(i, bd, sp)
			}
		}
		if d.Off {
			break
		}
		pub.Withheld = s.protect(tabled, bds, tables, d, race)
		if len(pub.Withheld) == 0 || len(bds) == 1 {
			break
		}
		f := finest(bds)
		if up := slices.IndexFunc(pub.RolledUp, func(u RollUp) bool { return sameDimensions(u.To, bds[f].dims) }); up >= 0 {
			// A roll-up is not in the release: it goes, and the
			// detailed breakdown it stood for stays withheld.
			pub.RolledUp = slices.Delete(pub.RolledUp, up, up+1)
			bds = slices.Delete(bds, f, f+1)
			continue
		}
		pub.WithheldBreakdowns = append(pub.WithheldBreakdowns, bds[f].dims)
		if up := s.rollUp(bds, f, r, race); up != nil {
			pub.RolledUp = append(pub.RolledUp, RollUp{From: bds[f].dims, To: up.dims})
			bds[f] = up
			continue
		}
		bds = slices.Delete(bds, f, f+1)
	}
	for n := range tabled {
		rep.Tables = append(rep.Tables, tables[n]...)
	}
	pub.Report = rep
	return pub, nil
}

// finest returns the index of the finest breakdown after the program-wide
// one (bds[0]): the most dimensions, then the most cells, then the last.
func finest(bds []*breakdown) int {
	f := 1
	for b := 2; b < len(bds); b++ {
		if x, y := bds[b], bds[f]; len(x.dims) > len(y.dims) || (len(x.dims) == len(y.dims) && x.cells >= y.cells) {
			f = b
		}
	}
	return f
}

// neutral replaces a detailed rule by the standard's neutral one.
func neutral(d Disclosure, rule string) string {
	switch {
	case rule == "":
		return ""
	case strings.HasSuffix(rule, ":"+RuleTopCoded):
		return d.Name + ":" + RuleTopCoded
	}
	return d.Name + ":" + RuleSuppressed
}

// fine is a cell of the finest crossing of a release's dimensions that
// holds respondents.
type fine struct {
	// codes holds, per dimension of the crossing, the respondents' codes
	// in that dimension's labels: one, or several for race alone or in
	// combination.
	codes [][]int
	n     int
	// yes and no count, per tabled item, the respondents meeting the
	// indicator and those answering without meeting it.
	yes, no []int
}

// protector finds witnesses for hidden cells over every table of a
// release.
type protector struct {
	bds   []*breakdown
	pos   [][]int // per breakdown, per dimension: its place in the crossing
	fine  []fine
	index map[string]int // fine cells by fineKey
	// inside caches the fine cells of hidden cells, per breakdown.
	inside []map[int][]int
	// searches counts witness searches, bounded by maxSearches.
	searches int
}

// maxSearches bounds the witness searches of one release, so that its
// cost stays bounded whatever the data: the items whose hidden cells
// still lack a witness then are withheld.
const maxSearches = 20_000

// insideOf returns the fine cells inside cell c of breakdown b, largest
// first.
func (p *protector) insideOf(b, c int) []int {
	if p.inside == nil {
		p.inside = make([]map[int][]int, len(p.bds))
	}
	if p.inside[b] == nil {
		p.inside[b] = map[int][]int{}
	}
	if in, ok := p.inside[b][c]; ok {
		return in
	}
	var in []int
	for f := range p.fine {
		if p.contains(f, b, c) {
			in = append(in, f)
		}
	}
	slices.SortStableFunc(in, func(x, y int) int { return p.fine[y].n - p.fine[x].n })
	p.inside[b][c] = in
	return in
}

// protect hides cells until every hidden cell of every tabled item has a
// witness (see Publish), rewrites the published cells, and returns the
// items withheld whole.
func (s *Set) protect(tabled []int, bds []*breakdown, tables [][]Table, d Disclosure, race RaceMode) []string {
	p := &protector{bds: bds}
	var union []Dimension
	for _, bd := range bds {
		for _, dim := range bd.dims {
			if !slices.Contains(union, dim) {
				union = append(union, dim)
			}
		}
	}
	labels := make([][]string, len(union))
	var detail []int // every breakdown rolls detailed groups up alike
	for _, bd := range bds {
		pos := make([]int, len(bd.dims))
		for k, dim := range bd.dims {
			pos[k] = slices.Index(union, dim)
			labels[pos[k]] = bd.labels[k]
		}
		if bd.detail != nil {
			detail = bd.detail
		}
		p.pos = append(p.pos, pos)
	}
	// The finest crossing's cells that hold respondents.
	p.index = map[string]int{}
	var g []int
	meets := make([]uint64, len(tabled))
	for n, i := range tabled {
		for _, c := range s.inst.Items[i].indicator() {
			meets[n] |= 1 << s.optIdx[i][c]
		}
	}
	for r := range s.Len() {
		codes := make([][]int, len(union))
		for u, dim := range union {
			g = s.groupsOf(g[:0], r, dim, labels[u], detail, race)
			codes[u] = slices.Clone(g)
		}
		key := fineKey(codes)
		f, ok := p.index[key]
		if !ok {
			f = len(p.fine)
			p.index[key] = f
			p.fine = append(p.fine, fine{codes: codes, yes: make([]int, len(tabled)), no: make([]int, len(tabled))})
		}
		p.fine[f].n++
		for n, i := range tabled {
			switch c := s.cols[i].code[r]; {
			case c < 0:
			case meets[n]&(1<<c) != 0:
				p.fine[f].yes[n]++
			default:
				p.fine[f].no[n]++
			}
		}
	}
	// The hidden pattern, shared by every item: any cell hidden by a rule
	// in any item's table.
	hidden := make([][]bool, len(bds))
	for b, bd := range bds {
		hidden[b] = make([]bool, bd.cells)
		for n := range tabled {
			for c, cell := range tables[n][b].Cells {
				if cell.Suppressed {
					hidden[b][c] = true
				}
			}
		}
	}
	// Witnesses, item by item, for the count meeting the indicator (kind
	// 0) and for its complement (kind 1), until every hidden cell has
	// both for every item not withheld.
	T := d.Threshold()
	var needs []need
	covered := map[need][][]bool{}
	partners := map[need][]int{}
	for n := range tabled {
		for kind := range 2 {
			k := need{n, kind}
			needs = append(needs, k)
			covered[k] = make([][]bool, len(bds))
			for b, bd := range bds {
				covered[k][b] = make([]bool, bd.cells)
			}
			for f := range p.fine {
				if p.count(f, k) >= T {
					partners[k] = append(partners[k], f)
				}
			}
		}
	}
	withheld := make([]bool, len(tabled))
	for changed := true; changed; {
		changed = false
		for _, k := range needs {
			if withheld[k.n] {
				continue
			}
		cells:
			for b, bd := range bds {
				for c := range bd.cells {
					if !hidden[b][c] || covered[k][b][c] {
						continue
					}
					p.searches++
					moves, net, ok := p.witness(b, c, k, T, partners[k], hidden)
					if !ok || p.searches > maxSearches {
						withheld[k.n] = true
						break cells
					}
					var also []need
					for _, m := range needs {
						if p.feasible(moves, m) {
							also = append(also, m)
						}
					}
					for b := range bds {
						for c, v := range net[b] {
							if !v.moved {
								continue
							}
							hidden[b][c] = true
							if v.net >= T || v.net <= -T {
								for _, m := range also {
									covered[m][b][c] = true
								}
							}
						}
					}
					changed = true
				}
			}
		}
	}
	var out []string
	for n, i := range tabled {
		if withheld[n] {
			out = append(out, s.inst.Items[i].Code)
		}
		for b := range bds {
			for c := range tables[n][b].Cells {
				cell := &tables[n][b].Cells[c]
				switch {
				case withheld[n] || hidden[b][c]:
					*cell = Cell{Group: cell.Group, Suppressed: true, Rule: d.Name + ":" + RuleSuppressed}
				case cell.Rule != "":
					cell.Rule = neutral(d, cell.Rule)
				}
			}
		}
	}
	return out
}

// contains reports whether fine cell f is in cell c of breakdown b.
func (p *protector) contains(f, b, c int) bool {
	bd := p.bds[b]
	for k := range bd.dims {
		v := (c / bd.stride[k]) % bd.size[k]
		if v != bd.size[k]-1 && !slices.Contains(p.fine[f].codes[p.pos[b][k]], v) {
			return false
		}
	}
	return true
}

// cellsOf calls fn with every cell of breakdown b that holds fine cell f:
// per dimension, one of f's codes or the margin.
func (p *protector) cellsOf(f, b int, fn func(c int)) {
	bd := p.bds[b]
	var walk func(k, c int)
	walk = func(k, c int) {
		if k == len(bd.dims) {
			fn(c)
			return
		}
		for _, v := range p.fine[f].codes[p.pos[b][k]] {
			walk(k+1, c+v*bd.stride[k])
		}
		walk(k+1, c+(bd.size[k]-1)*bd.stride[k])
	}
	walk(0, 0)
}

// symdiff calls fn with every cell, in every breakdown, that holds one of
// f and g but not the other: the cells a move of respondents between them
// changes.
func (p *protector) symdiff(f, g int, fn func(b, c int)) {
	for b := range p.bds {
		p.cellsOf(f, b, func(c int) {
			if !p.contains(g, b, c) {
				fn(b, c)
			}
		})
		p.cellsOf(g, b, func(c int) {
			if !p.contains(f, b, c) {
				fn(b, c)
			}
		})
	}
}

// need is what a witness is for: item n's count meeting the indicator
// (kind 0) or its complement (kind 1).
type need struct{ n, kind int }

// count is fine cell f's respondents of a need's kind.
func (p *protector) count(f int, k need) int {
	if k.kind == 0 {
		return p.fine[f].yes[k.n]
	}
	return p.fine[f].no[k.n]
}

// move takes a respondents of a need's kind from fine cell g to fine
// cell f.
type move struct{ f, g, a int }

// feasible reports whether fine cells have the respondents a set of moves
// takes, for a need.
func (p *protector) feasible(moves []move, k need) bool {
	for _, m := range moves {
		if p.count(m.g, k) < m.a {
			return false
		}
	}
	return true
}

// change is what a set of moves does to one cell: Moved says some
// respondents moved in or out (it must then be hidden, even when as many
// moved in as out: their answers and weights may differ), Net how many
// more there are.
type change struct {
	moved bool
	net   int
}

// net is what a set of moves does to every cell of every breakdown: a
// cell holding one end of a move but not the other changes.
func (p *protector) net(moves []move) [][]change {
	out := make([][]change, len(p.bds))
	for b, bd := range p.bds {
		out[b] = make([]change, bd.cells)
	}
	for _, m := range moves {
		p.symdiff(m.f, m.g, func(b, c int) {
			out[b][c].moved = true
			if p.contains(m.f, b, c) {
				out[b][c].net += m.a
			} else {
				out[b][c].net -= m.a
			}
		})
	}
	return out
}

// cost counts the cells a change hides that are not hidden yet.
func cost(net [][]change, hidden [][]bool) int {
	n := 0
	for b := range net {
		for c, v := range net[b] {
			if v.moved && !hidden[b][c] {
				n++
			}
		}
	}
	return n
}

// witness finds moves of T respondents of a need's kind into hidden cell
// c of breakdown b that hide the fewest cells not hidden yet, and their
// net change: either from one partner cell outside it (see pair), or from
// several, shifting one of the cell's dimensions from another value to
// the cell's (see shift).
func (p *protector) witness(b, c int, k need, T int, partners []int, hidden [][]bool) ([]move, [][]change, bool) {
	var best []move
	var bestNet [][]change
	bestCost := -1
	try := func(moves []move) {
		if moves == nil {
			return
		}
		net := p.net(moves)
		if n := cost(net, hidden); bestCost < 0 || n < bestCost {
			best, bestNet, bestCost = moves, net, n
		}
	}
	try(p.pair(b, c, T, partners, hidden))
	if bestCost != 0 {
		for _, moves := range p.shifts(b, c, k, T) {
			try(moves)
		}
	}
	return best, bestNet, bestCost >= 0
}

// pair picks, for hidden cell c of breakdown b, a fine cell f inside it
// and a partner g outside it among partners, hiding the fewest cells not
// hidden yet; ties go to the larger f, then the earlier cells. It returns
// the move of T respondents from g to f, or nil.
func (p *protector) pair(b, c, T int, partners []int, hidden [][]bool) []move {
	inside := p.insideOf(b, c)
	inside = inside[:min(len(inside), 4)]
	best, f, g := -1, 0, 0
	var near []int
	for _, x := range inside {
		// The 32 partners that differ from x in the fewest dimensions,
		// earlier first: they change the fewest cells.
		near = p.nearest(x, partners, 32, near[:0])
		for _, y := range near {
			if p.contains(y, b, c) {
				continue
			}
			cost := p.pairCost(x, y, best, hidden)
			if best < 0 || cost < best {
				f, g, best = x, y, cost
			}
			if best == 0 {
				return []move{{f, g, T}}
			}
		}
	}
	if best < 0 {
		return nil
	}
	return []move{{f, g, T}}
}

// pairCost counts the cells not hidden yet that a move between fine cells
// x and y changes, stopping at bound when bound is not negative.
func (p *protector) pairCost(x, y, bound int, hidden [][]bool) int {
	n := 0
	for b := range p.bds {
		if bound >= 0 && n >= bound {
			return n
		}
		count := func(c int) {
			if !hidden[b][c] {
				n++
			}
		}
		p.cellsOf(x, b, func(c int) {
			if !p.contains(y, b, c) {
				count(c)
			}
		})
		p.cellsOf(y, b, func(c int) {
			if !p.contains(x, b, c) {
				count(c)
			}
		})
	}
	return n
}

// nearest appends to dst up to n of the candidates that differ from fine
// cell x in the fewest dimensions, by distance, then in their order.
func (p *protector) nearest(x int, candidates []int, n int, dst []int) []int {
	byDistance := make([][]int, len(p.fine[x].codes)+1)
	for _, y := range candidates {
		d := p.distance(x, y)
		if len(byDistance[d]) < n {
			byDistance[d] = append(byDistance[d], y)
		}
	}
	for _, ys := range byDistance {
		for _, y := range ys {
			if len(dst) == n {
				return dst
			}
			dst = append(dst, y)
		}
	}
	return dst
}

// distance counts the dimensions in which fine cells x and y differ.
func (p *protector) distance(x, y int) int {
	n := 0
	for u, codes := range p.fine[x].codes {
		if !slices.Equal(codes, p.fine[y].codes[u]) {
			n++
		}
	}
	return n
}

// shifts lists, for hidden cell c of breakdown b, the moves that take T
// respondents of a need's kind into the cell from cells that differ from
// its own fine cells in one dimension only: for each dimension the cell
// fixes and each other value w, respondents of fine cells with value w
// (the rest alike) move to the fine cells inside, the largest first.
func (p *protector) shifts(b, c int, k need, T int) [][]move {
	bd := p.bds[b]
	inside := p.insideOf(b, c)
	var out [][]move
	for kd := range bd.dims {
		v := (c / bd.stride[kd]) % bd.size[kd]
		if v == bd.size[kd]-1 {
			continue
		}
		u := p.pos[b][kd]
		for w := range bd.size[kd] - 1 {
			if w == v {
				continue
			}
			var cands []move
			for _, f := range inside {
				codes := slices.Clone(p.fine[f].codes)
				codes[u] = []int{w}
				g, ok := p.index[fineKey(codes)]
				if ok && p.count(g, k) > 0 {
					cands = append(cands, move{f, g, p.count(g, k)})
				}
			}
			slices.SortStableFunc(cands, func(x, y move) int { return y.a - x.a })
			var moves []move
			sum := 0
			for _, m := range cands {
				if sum >= T {
					break
				}
				m.a = min(m.a, T-sum)
				sum += m.a
				moves = append(moves, m)
			}
			if sum >= T {
				out = append(out, moves)
			}
		}
	}
	return out
}

// fineKey is the key of a fine cell's codes in protector.index.
func fineKey(codes [][]int) string {
	var key []byte
	for _, g := range codes {
		for _, v := range g {
			key = append(key, byte(v), byte(v>>8))
		}
		key = append(key, 0xff, 0xff)
	}
	return string(key)
}
