package survey_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// attack is an exact attacker on one item's published tables. Its
// unknowns are the counts of respondents per cell of the finest crossing
// of every published dimension and per answer option: non-negative whole
// numbers. What it knows is everything published: every shown cell's N
// and count (its percentage and interval follow from them), a Likert
// cell's mean (which pins the sum of its answers, mean times N), a shown
// N of 0 (every finer cell is empty), and the number of responses (which
// bounds the sum of all). Hidden cells publish nothing. It then computes,
// for every hidden cell, the least and the greatest count meeting the
// indicator, and of its complement (answering without meeting it), over
// every table consistent with all that: an integer program solved by
// branch and bound over gonum's simplex.
//
// It models unweighted data, one item (the items of a release are
// separate tables), race counted as "multiple" (so the groups partition
// the respondents), and the counts rules (no top-coded cell).
type attack struct {
	t        testing.TB
	dims     []survey.Dimension
	fine     [][]string // per finest cell: a value per dimension
	opts     int        // answer options per finest cell
	meets    []bool     // per option
	value    []float64  // per option: its Likert value, or 0
	vars     int
	rows     [][]float64
	rhs      []float64
	hidden   []hiddenCell
	nodes    int
	maxNodes int
}

// hiddenCell is a hidden published cell, by the finest cells it holds.
type hiddenCell struct {
	name string
	fine []int
}

// newAttack builds the attacker's model from the published tables of one
// item (every table whose Item is item) and the number of responses.
func newAttack(t testing.TB, tables []survey.Table, item survey.Item, responses int) *attack {
	t.Helper()
	a := &attack{t: t, maxNodes: 20000}
	switch item.Kind {
	case survey.YesNo:
		a.opts, a.meets, a.value = 2, []bool{true, false}, []float64{0, 0}
	case survey.Likert:
		a.opts, a.meets, a.value = 5, []bool{false, false, false, true, true}, []float64{1, 2, 3, 4, 5}
	default:
		t.Fatalf("the attacker models yes/no and Likert items, not %s", item.Kind)
	}
	var mine []survey.Table
	labels := map[survey.Dimension][]string{}
	for _, tb := range tables {
		if tb.Item != item.Code {
			continue
		}
		mine = append(mine, tb)
		for k, dim := range tb.Dimensions {
			if !slices.Contains(a.dims, dim) {
				a.dims = append(a.dims, dim)
			}
			for _, c := range tb.Cells {
				if v := c.Group[k]; v != "" && !slices.Contains(labels[dim], v) {
					labels[dim] = append(labels[dim], v)
				}
			}
		}
	}
	// Every combination of values, less those inside a cell shown empty.
	all := [][]string{{}}
	for _, dim := range a.dims {
		var next [][]string
		for _, p := range all {
			for _, v := range labels[dim] {
				next = append(next, append(slices.Clone(p), v))
			}
		}
		all = next
	}
	in := func(f []string, tb survey.Table, c survey.Cell) bool {
		for k, dim := range tb.Dimensions {
			if v := c.Group[k]; v != "" && f[slices.Index(a.dims, dim)] != v {
				return false
			}
		}
		return true
	}
	for _, f := range all {
		empty := false
		for _, tb := range mine {
			for _, c := range tb.Cells {
				if !c.Suppressed && c.Range == "" && c.N != nil && *c.N == 0 && in(f, tb, c) {
					empty = true
				}
			}
		}
		if !empty {
			a.fine = append(a.fine, f)
		}
	}
	a.vars = len(a.fine) * a.opts
	members := func(tb survey.Table, c survey.Cell) []int {
		var out []int
		for i, f := range a.fine {
			if in(f, tb, c) {
				out = append(out, i)
			}
		}
		return out
	}
	row := func(fine []int, coef func(o int) float64) []float64 {
		r := make([]float64, a.vars)
		for _, f := range fine {
			for o := range a.opts {
				r[f*a.opts+o] = coef(o)
			}
		}
		return r
	}
	for _, tb := range mine {
		for _, c := range tb.Cells {
			if c.Range != "" {
				t.Fatalf("%s %v is top-coded: the attacker models the counts rules", tb.Item, c.Group)
			}
			fine := members(tb, c)
			if c.Suppressed {
				a.hidden = append(a.hidden, hiddenCell{fmt.Sprintf("%s %v %v", tb.Item, tb.Dimensions, c.Group), fine})
				continue
			}
			if *c.N == 0 {
				continue
			}
			a.add(row(fine, func(int) float64 { return 1 }), float64(*c.N))
			a.add(row(fine, func(o int) float64 { return b2f(a.meets[o]) }), float64(*c.Count))
			if c.Mean != nil {
				a.add(row(fine, func(o int) float64 { return a.value[o] }), math.Round(*c.Mean*float64(*c.N)))
			}
		}
	}
	// The responses bound every count: sum + slack = responses.
	r := make([]float64, a.vars+1)
	for j := range r {
		r[j] = 1
	}
	a.rows, a.rhs = independent(t, a.rows, a.rhs)
	for k := range a.rows {
		a.rows[k] = append(a.rows[k], 0)
	}
	a.rows, a.rhs = append(a.rows, r), append(a.rhs, float64(responses))
	return a
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (a *attack) add(r []float64, b float64) {
	a.rows = append(a.rows, r)
	a.rhs = append(a.rhs, b)
}

// independent keeps a linearly independent subset of the equations (the
// simplex needs full row rank); a dependent equation must agree with the
// others.
func independent(t testing.TB, rows [][]float64, rhs []float64) ([][]float64, []float64) {
	t.Helper()
	var basis [][]float64 // reduced rows with their pivot, rhs last
	var pivots []int
	var keep [][]float64
	var keepRHS []float64
	for k, r := range rows {
		v := append(slices.Clone(r), rhs[k])
		for i, b := range basis {
			if f := v[pivots[i]]; f != 0 {
				for j := range v {
					v[j] -= f * b[j]
				}
			}
		}
		p := -1
		for j := range len(r) {
			if math.Abs(v[j]) > 1e-9 && (p < 0 || math.Abs(v[j]) > math.Abs(v[p])) {
				p = j
			}
		}
		if p < 0 {
			if math.Abs(v[len(r)]) > 1e-6 {
				t.Fatalf("the published figures contradict each other (row %d)", k)
			}
			continue
		}
		f := v[p]
		for j := range v {
			v[j] /= f
		}
		for i, b := range basis {
			if g := b[p]; g != 0 {
				for j := range b {
					b[j] -= g * v[j]
				}
				basis[i] = b
			}
		}
		basis, pivots = append(basis, v), append(pivots, p)
		keep, keepRHS = append(keep, r), append(keepRHS, rhs[k])
	}
	return keep, keepRHS
}

// bound is a branch: variable j at most (or at least) v.
type bound struct {
	j     int
	v     float64
	upper bool
}

// lp solves min c·x over the model's equations and the bounds, relaxing
// integrality. It reports false when infeasible.
func (a *attack) lp(c []float64, bounds []bound) (float64, []float64, bool) {
	a.t.Helper()
	cols := a.vars + 1 + len(bounds)
	m := len(a.rows) + len(bounds)
	A := mat.NewDense(m, cols, nil)
	b := make([]float64, m)
	for i, r := range a.rows {
		for j, v := range r {
			A.Set(i, j, v)
		}
		b[i] = a.rhs[i]
	}
	for k, bd := range bounds {
		i := len(a.rows) + k
		A.Set(i, bd.j, 1)
		if bd.upper {
			A.Set(i, a.vars+1+k, 1)
		} else {
			A.Set(i, a.vars+1+k, -1)
		}
		b[i] = bd.v
	}
	cc := make([]float64, cols)
	copy(cc, c)
	opt, x, err := lp.Simplex(cc, A, b, 1e-10, nil)
	if errors.Is(err, lp.ErrInfeasible) {
		return 0, nil, false
	}
	if err != nil {
		a.t.Fatalf("simplex: %v", err)
	}
	return opt, x, true
}

// integerMin is the least value of c·x over the model's whole-number
// solutions, by depth-first branch and bound (c has whole coefficients,
// so a relaxation within 1 of the best known cannot improve on it). It
// stops as soon as it finds a value at most stop.
func (a *attack) integerMin(c []float64, stop int) int {
	a.t.Helper()
	best := math.MaxInt
	var branch func(bounds []bound)
	branch = func(bounds []bound) {
		if best <= stop {
			return
		}
		a.nodes++
		if a.nodes > a.maxNodes {
			a.t.Fatalf("branch and bound: more than %d nodes", a.maxNodes)
		}
		opt, x, ok := a.lp(c, bounds)
		if !ok || math.Ceil(opt-1e-7) >= float64(best) {
			return
		}
		frac, fv := -1, 0.0
		for j := range a.vars {
			if d := math.Abs(x[j] - math.Round(x[j])); d > 1e-7 && (frac < 0 || d > fv) {
				frac, fv = j, d
			}
		}
		if frac < 0 {
			best = int(math.Round(opt))
			return
		}
		branch(append(slices.Clone(bounds), bound{frac, math.Floor(x[frac]), true}))
		branch(append(slices.Clone(bounds), bound{frac, math.Ceil(x[frac]), false}))
	}
	branch(nil)
	if best == math.MaxInt {
		a.t.Fatal("the published figures have no whole-number solution")
	}
	return best
}

// spread reports the least whole-number value of a hidden cell's count
// (meeting the indicator, or with complement its complement) and whether
// a value at least threshold above it is consistent too. Both are exact:
// the least by branch and bound to the optimum, the other by branch and
// bound until a whole-number solution reaching lo+threshold is found or
// none can exist.
func (a *attack) spread(h hiddenCell, complement bool, threshold int) (lo int, wide bool) {
	c := make([]float64, a.vars)
	for _, f := range h.fine {
		for o := range a.opts {
			if a.meets[o] != complement {
				c[f*a.opts+o] = 1
			}
		}
	}
	lo = a.integerMin(c, math.MinInt)
	for j := range c {
		c[j] = -c[j]
	}
	return lo, -a.integerMin(c, -(lo+threshold)) >= lo+threshold
}

// narrowed lists the hidden counts the attacker pins to fewer than
// threshold+1 values (max - min < threshold), stopping after limit of
// them (0: every one).
func (a *attack) narrowed(threshold, limit int) []string {
	var out []string
	for _, h := range a.hidden {
		if limit > 0 && len(out) >= limit {
			break
		}
		for _, complement := range []bool{false, true} {
			if lo, wide := a.spread(h, complement, threshold); !wide {
				what := "count"
				if complement {
					what = "complement"
				}
				out = append(out, fmt.Sprintf("%s: %s from %d to at most %d", h.name, what, lo, lo+threshold-1))
			}
		}
	}
	return out
}

// attackSet draws n responses to one yes/no item whose answers depend on
// the respondent's group, so that some crossed cells are small.
func attackSet(t testing.TB, seed uint64, n int) *survey.Set {
	t.Helper()
	in := survey.Instrument{ID: "attack", Version: "1", Cycle: "2026", Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Again?"}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(seed, 7))
	races := []bsk.RaceEthnicity{bsk.RaceWhite, bsk.RaceWhite, bsk.RaceWhite, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx, bsk.RaceNativeHawaiianPacificIslander}
	places := []bsk.Place{"seattle", "seattle", "kent", "vashon"}
	genders := []bsk.Gender{bsk.GenderWoman, bsk.GenderWoman, bsk.GenderMan, bsk.GenderNonbinary}
	for i := range n {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%04d", i)}}
		ri, pi, gi := r.IntN(len(races)), r.IntN(len(places)), r.IntN(len(genders))
		resp.Demographics.Race = []bsk.RaceEthnicity{races[ri]}
		resp.Demographics.Place = places[pi]
		resp.Demographics.Gender = genders[gi]
		p := []float64{0.9, 0.5, 0.15}[(ri+pi+gi)%3]
		resp.Answers = map[string][]string{"again": {map[bool]string{true: "yes", false: "no"}[r.Float64() < p]}}
		require.NoError(t, s.Add(resp))
	}
	return s
}

// crossings lists every breakdown of one or two of dims.
func crossings(dims ...survey.Dimension) [][]survey.Dimension {
	var out [][]survey.Dimension
	for i, d := range dims {
		out = append(out, []survey.Dimension{d})
		for _, e := range dims[i+1:] {
			out = append(out, []survey.Dimension{d, e})
		}
	}
	return out
}

// TestReleaseResistsExactAttack builds releases from random data and from
// the seeds' data and attacks every hidden count with the exact attacker
// above (see attack). The criterion: for every hidden cell of every
// published table, the greatest whole-number count meeting the indicator
// consistent with everything published, less the least, is at least the
// standard's threshold T (10 under WA DOH and PHSKC); and the same for the
// complement (those answering without meeting it). A hidden count of 3 is
// then indistinguishable from at least T other values.
//
// The same attack on what the server published before releases existed,
// one default-standard report per breakdown, each suppressed on its own,
// pins hidden counts: the attack is strong enough to fail.
func TestReleaseResistsExactAttack(t *testing.T) {
	dims := []survey.Dimension{survey.ByRace, survey.ByPlace, survey.ByGender}
	t.Run("separate reports are narrowed", func(t *testing.T) {
		s := attackSet(t, 1, 240)
		var tables []survey.Table
		for _, b := range crossings(dims...) {
			rep, err := s.Estimate(survey.Query{Race: survey.MultipleRaces, Breakdowns: [][]survey.Dimension{b}})
			require.NoError(t, err)
			tables = append(tables, rep.Tables...)
		}
		it, _ := s.Instrument().Item("again")
		a := newAttack(t, tables, it, s.Len())
		require.NotEmpty(t, a.hidden)
		if got := a.narrowed(10, 1); len(got) == 0 {
			t.Fatal("the attacker narrowed no hidden count of separately suppressed reports")
		} else {
			t.Logf("separate reports: %s", got[0])
		}
	})
	for seed := range uint64(4) {
		for _, std := range []survey.Disclosure{survey.WADOH(), survey.PHSKC()} {
			t.Run(fmt.Sprintf("random %d %s", seed, std.Name), func(t *testing.T) {
				s := attackSet(t, seed, 180+60*int(seed))
				rel := survey.Release{Standard: std, Race: survey.MultipleRaces, Breakdowns: crossings(dims...)}
				if shown := checkRelease(t, s, rel, "again"); seed > 0 && shown == 0 {
					t.Error("nothing shown: the attack tested nothing")
				}
			})
		}
	}
	for seed := range uint64(3) {
		t.Run(fmt.Sprintf("random crossed %d", seed), func(t *testing.T) {
			s := attackSet(t, 10+seed, 500+100*int(seed))
			rel := survey.Release{Standard: survey.WADOH(), Race: survey.MultipleRaces,
				Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, {survey.ByGender}, {survey.ByRace, survey.ByPlace, survey.ByGender}}}
			if shown := checkRelease(t, s, rel, "again"); shown == 0 {
				t.Error("nothing shown: the attack tested nothing")
			}
		})
	}
	for _, c := range []struct {
		cycle, population string
		n                 int
		figures           []published
		item              string
	}{
		{"2020", "participants in reflective consultation groups", 359, consultation2020, "bias"},
		{"2021", "participants in reflective consultation groups", 409, consultation2021, "confidence"},
		{"2020", "providers who initiated the endorsement process", 137, endorsement2020, "effectiveness"},
	} {
		t.Run("seeds "+c.cycle+" "+c.item, func(t *testing.T) {
			s, _ := seedSet(t, c.cycle, c.population, c.n, c.figures)
			rel := survey.Release{Standard: survey.WADOH(), Race: survey.MultipleRaces, Items: []string{c.item},
				Breakdowns: crossings(survey.ByRace, survey.ByPlace)}
			if shown := checkRelease(t, s, rel, c.item); c.n > 300 && shown == 0 {
				t.Error("nothing shown: the attack tested nothing")
			}
		})
	}
}

// checkRelease publishes a release, attacks its item's tables and
// returns the number of cells shown.
func checkRelease(t *testing.T, s *survey.Set, rel survey.Release, item string) int {
	t.Helper()
	pub, err := s.Publish(rel)
	require.NoError(t, err)
	it, _ := s.Instrument().Item(item)
	a := newAttack(t, pub.Report.Tables, it, s.Len())
	shown := 0
	for _, tb := range pub.Report.Tables {
		for _, c := range tb.Cells {
			if !c.Suppressed {
				shown++
			}
		}
	}
	t.Logf("%d hidden and %d shown cells, %d finest cells, withheld %v", len(a.hidden), shown, len(a.fine), pub.Withheld)
	if got := a.narrowed(rel.Standard.Threshold(), 0); len(got) > 0 {
		t.Errorf("%d hidden counts narrowed to less than %d:\n%v", len(got), rel.Standard.Threshold(), got)
	}
	t.Logf("%d branch-and-bound nodes", a.nodes)
	return shown
}

// TestPublishWithholdsBreakdownsBeforeItems: a release whose finest
// breakdown cannot be protected (four groups by three places of about 34
// respondents, about six of whom disagree: every crossed complement is
// under 10) keeps the program-wide figure and the one-way tables, withholds
// the crossing, refuses to select it, and what it publishes withstands the
// exact attacker.
func TestPublishWithholdsBreakdownsBeforeItems(t *testing.T) {
	in := survey.Instrument{ID: "rc", Version: "1", Cycle: "2026", Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Again?"}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	races := []bsk.RaceEthnicity{bsk.RaceWhite, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx}
	places := []bsk.Place{"seattle", "kent", "vashon"}
	for i := range 408 {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%04d", i)}}
		cell := i % 12
		resp.Demographics.Race = []bsk.RaceEthnicity{races[cell/3]}
		resp.Demographics.Place = places[cell%3]
		resp.Answers = map[string][]string{"again": {map[bool]string{true: "yes", false: "no"}[(i/12)%6 != 0]}}
		require.NoError(t, s.Add(resp))
	}
	crossed := []survey.Dimension{survey.ByRace, survey.ByPlace}
	rel := survey.Release{Standard: survey.WADOH(), Population: 450, Race: survey.MultipleRaces,
		Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, crossed}}
	pub, err := s.Publish(rel)
	require.NoError(t, err)
	if diff := cmp.Diff([][]survey.Dimension{crossed}, pub.WithheldBreakdowns); diff != "" {
		t.Errorf("withheld breakdowns (-want +got):\n%s", diff)
	}
	if len(pub.Withheld) != 0 {
		t.Errorf("items withheld whole: %v; want none once the crossing is withheld", pub.Withheld)
	}
	var dims [][]survey.Dimension
	for _, tb := range pub.Report.Tables {
		dims = append(dims, tb.Dimensions)
		if len(tb.Dimensions) == 0 && (len(tb.Cells) != 1 || tb.Cells[0].Suppressed || tb.Cells[0].N == nil || *tb.Cells[0].N != 408) {
			t.Errorf("program-wide table %+v; want its one cell of 408 shown", tb.Cells)
		}
	}
	if diff := cmp.Diff([][]survey.Dimension{nil, {survey.ByRace}, {survey.ByPlace}}, dims, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("published tables (-want +got):\n%s", diff)
	}
	if pub.Covers(crossed) || !pub.Covers([]survey.Dimension{survey.ByRace}) {
		t.Errorf("Covers: crossing %v, race %v; want false, true", pub.Covers(crossed), pub.Covers([]survey.Dimension{survey.ByRace}))
	}
	_, err = pub.Select(nil, [][]survey.Dimension{crossed})
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	if list[0].Field != "breakdowns[0]" || !strings.Contains(list[0].Message, "withheld") {
		t.Errorf("selecting the withheld crossing: %v; want a problem at breakdowns[0] saying it is withheld", list)
	}
	checkRelease(t, s, rel, "again")
}
