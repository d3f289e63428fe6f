package survey_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// holmByRejection computes Holm's adjusted p-values from the procedure
// itself rather than the step-down formula: the adjusted p-value of a
// hypothesis is the smallest level alpha at which Holm's sequential test
// (reject the k-th smallest p while p <= alpha/(m-k), stop at the first
// that is not) rejects it. The candidate levels are every (m-k) p_j and 1.
func holmByRejection(p []float64) []float64 {
	m := len(p)
	sorted := slices.Clone(p)
	slices.Sort(sorted)
	rejects := func(alpha float64) map[float64]bool {
		out := map[float64]bool{}
		for k, v := range sorted {
			if float64(m-k)*v > alpha {
				break
			}
			out[v] = true
		}
		return out
	}
	var levels []float64
	for k := range m {
		for _, v := range sorted {
			levels = append(levels, math.Min(1, float64(m-k)*v))
		}
	}
	levels = append(levels, 1)
	slices.Sort(levels)
	out := make([]float64, m)
	for i, v := range p {
		out[i] = 1
		for _, a := range levels {
			if rejects(a)[v] {
				out[i] = a
				break
			}
		}
	}
	return out
}

func TestHolmMatchesTheProcedure(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := [][]float64{
		{},
		{0.03},
		{0.01, 0.04, 0.03, 0.005},
		{0.5, 0.5, 0.01, 0.2, 0.2}, // ties
	}
	for range 30 {
		p := make([]float64, 1+r.IntN(12))
		for k := range p {
			p[k] = math.Pow(r.Float64(), 3)
		}
		cases = append(cases, p)
	}
	for _, p := range cases {
		got, want := survey.Holm(p), holmByRejection(p)
		require.Len(t, got, len(p))
		for k := range p {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Errorf("Holm(%v)[%d] = %v; want %v", p, k, got[k], want[k])
			}
		}
	}
	// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
	if got := survey.Holm([]float64{0.01, 0.04, 0.03, 0.005}); math.Abs(got[0]-0.03) > 1e-12 || math.Abs(got[1]-0.06) > 1e-12 || math.Abs(got[2]-0.06) > 1e-12 || math.Abs(got[3]-0.02) > 1e-12 {
		t.Errorf("Holm = %v; want R's [0.03 0.06 0.06 0.02]", got)
	}
}

// trendPublications publishes two cycles of random responses under WA
// DOH by race and by place crossed with gender, so that some cells are
// hidden in one cycle and not in the other.
func trendPublications(t *testing.T, weighted bool) (from, to *survey.Publication) {
	t.Helper()
	rel := survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByIncome, survey.ByGender}}}
	from, err := randomSet(t, rand.New(rand.NewPCG(11, 1)), 500, weighted).Publish(rel)
	require.NoError(t, err)
	// The later release lists the crossing the other way round.
	rel.Breakdowns[1] = []survey.Dimension{survey.ByGender, survey.ByIncome}
	to, err = randomSet(t, rand.New(rand.NewPCG(12, 1)), 700, weighted).Publish(rel)
	require.NoError(t, err)
	return from, to
}

// TestCompareReleasesRecomputed recomputes every trend figure from the
// two published reports: the z statistic on the cells' standard errors,
// the p-value from gonum's normal distribution, Holm's adjustment by the
// procedure; and checks that a cell hidden in either release has no
// figure, only its reason.
func TestCompareReleasesRecomputed(t *testing.T) {
	hiddenOneAll := 0
	for _, weighted := range []bool{false, true} {
		from, to := trendPublications(t, weighted)
		var bds [][]survey.Dimension // what both publish: a crossing may be withheld
		for _, b := range [][]survey.Dimension{{survey.ByRace}, {survey.ByIncome, survey.ByGender}} {
			if from.Covers(b) && to.Covers(b) {
				bds = append(bds, b)
			}
		}
		require.NotEmpty(t, bds)
		tr, err := survey.CompareReleases(from, to, nil, bds)
		require.NoError(t, err)
		fr, err := from.Select(nil, bds)
		require.NoError(t, err)
		tor, err := to.Select(nil, bds)
		require.NoError(t, err)
		require.Len(t, tr.Tables, len(tor.Tables))

		find := func(rep *survey.Report, item string, dims []survey.Dimension, group []string) (survey.Cell, bool) {
			for _, tb := range rep.Tables {
				if tb.Item != item || len(tb.Dimensions) != len(dims) {
					continue
				}
				for _, c := range tb.Cells {
					match := true
					for k, d := range dims {
						j := slices.Index(tb.Dimensions, d)
						if j < 0 || c.Group[j] != group[k] {
							match = false
						}
					}
					if match {
						return c, true
					}
				}
			}
			return survey.Cell{}, false
		}
		hidden := func(c survey.Cell) bool { return c.Suppressed || c.Range != "" }
		norm := distuv.UnitNormal
		var ps []float64
		var tested []survey.TrendCell
		hiddenSeen, hiddenOne := 0, 0
		for _, tb := range tr.Tables {
			for _, tc := range tb.Cells {
				a, okA := find(fr, tb.Item, tb.Dimensions, tc.Group)
				b, okB := find(tor, tb.Item, tb.Dimensions, tc.Group)
				switch {
				case !okA || !okB || hidden(a) || hidden(b) || a.Percent == nil || b.Percent == nil:
					if tc.From != nil || tc.To != nil || tc.Points != nil || tc.Z != nil || tc.PValue != nil || tc.MeanDifference != nil || tc.Missing == "" {
						t.Errorf("%s %v %v: a cell without a figure in one release has %+v", tb.Item, tb.Dimensions, tc.Group, tc)
					}
					if okA && okB && (hidden(a) || hidden(b)) {
						hiddenSeen++
						if hidden(a) != hidden(b) {
							hiddenOne++
						}
						want := map[[2]bool]string{{true, true}: survey.MissingHiddenBoth, {true, false}: survey.MissingHiddenFrom, {false, true}: survey.MissingHiddenTo}[[2]bool{hidden(a), hidden(b)}]
						if tc.Missing != want {
							t.Errorf("%s %v: missing %q; want %q", tb.Item, tc.Group, tc.Missing, want)
						}
					}
					continue
				}
				require.NotNil(t, tc.Z, "%s %v: %+v", tb.Item, tc.Group, tc)
				diff, s1, s2, test := *b.Percent-*a.Percent, *a.SE, *b.SE, survey.TestTwoProportion
				if tb.Item == "useful" { // the Likert item: its means
					diff, s1, s2, test = *b.Mean-*a.Mean, *a.MeanSE, *b.MeanSE, survey.TestMeanDifference
					if math.Abs(*tc.MeanDifference-diff) > 1e-12 {
						t.Errorf("%s %v: mean difference %v; want %v", tb.Item, tc.Group, *tc.MeanDifference, diff)
					}
				}
				z := diff / math.Sqrt(s1*s1+s2*s2)
				p := 2 * (1 - norm.CDF(math.Abs(z)))
				if tc.Test != test || math.Abs(*tc.Z-z) > 1e-9 || math.Abs(*tc.PValue-p) > 1e-9 || math.Abs(*tc.Points-(*b.Percent-*a.Percent)) > 1e-12 {
					t.Errorf("%s %v: %s z %v p %v; want %s z %v p %v", tb.Item, tc.Group, tc.Test, *tc.Z, *tc.PValue, test, z, p)
				}
				ps = append(ps, p)
				tested = append(tested, tc)
			}
		}
		if len(tested) < 10 {
			t.Fatalf("weighted %v: %d cells tested: the data checks too little", weighted, len(tested))
		}
		hiddenOneAll += hiddenOne
		require.Equal(t, len(tested), tr.Compared)
		adj := holmByRejection(ps)
		for k, tc := range tested {
			if math.Abs(*tc.AdjustedPValue-adj[k]) > 1e-9 || tc.Significant != (adj[k] < 0.05) {
				t.Errorf("%v: adjusted %v (significant %v); want %v", tc.Group, *tc.AdjustedPValue, tc.Significant, adj[k])
			}
		}
		t.Logf("weighted %v: %d tested, %d hidden in a release (%d in one only)", weighted, len(tested), hiddenSeen, hiddenOne)
	}
	if hiddenOneAll == 0 {
		t.Error("no cell hidden in one release only: the hidden case is not checked")
	}
}

// TestCompareReleasesHiddenCellGivesNoFigure hides one group in the later
// cycle only (a race with fewer than 10 respondents) and checks its trend
// cell has no figure while the earlier release shows it.
func TestCompareReleasesHiddenCellGivesNoFigure(t *testing.T) {
	in := survey.Instrument{ID: "trend", Version: "1", Cycle: "2025", Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Again?"}}}
	build := func(cycle string, asians int) *survey.Publication {
		in := in
		in.Cycle = cycle
		s, err := survey.NewSet(in)
		require.NoError(t, err)
		add := func(id string, race bsk.RaceEthnicity, yes bool) {
			r := survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"again": {map[bool]string{true: "yes", false: "no"}[yes]}}}
			r.Demographics.Race = []bsk.RaceEthnicity{race}
			require.NoError(t, s.Add(r))
		}
		for i := range 200 {
			add("w"+itoa(i), bsk.RaceWhite, i%3 != 0)
			add("b"+itoa(i), bsk.RaceBlack, i%4 != 0)
		}
		for i := range asians {
			add("a"+itoa(i), bsk.RaceAsian, i%2 == 0)
		}
		pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace}}})
		require.NoError(t, err)
		return pub
	}
	from, to := build("2025", 60), build("2026", 7)
	tr, err := survey.CompareReleases(from, to, nil, [][]survey.Dimension{{survey.ByRace}})
	require.NoError(t, err)
	var asian *survey.TrendCell
	for n := range tr.Tables {
		for c := range tr.Tables[n].Cells {
			if len(tr.Tables[n].Dimensions) == 1 && tr.Tables[n].Cells[c].Group[0] == string(bsk.RaceAsian) {
				asian = &tr.Tables[n].Cells[c]
			}
		}
	}
	require.NotNil(t, asian)
	if asian.Missing != survey.MissingHiddenTo || asian.From != nil || asian.To != nil || asian.Points != nil || asian.Z != nil || asian.PValue != nil || asian.AdjustedPValue != nil {
		t.Errorf("the Asian group, hidden in 2026: %+v; want no figure and %q", *asian, survey.MissingHiddenTo)
	}
	// The reverse direction says the earlier release hid it.
	back, err := survey.CompareReleases(to, from, nil, [][]survey.Dimension{{survey.ByRace}})
	require.NoError(t, err)
	for _, tb := range back.Tables {
		for _, c := range tb.Cells {
			if len(tb.Dimensions) == 1 && c.Group[0] == string(bsk.RaceAsian) && (c.Missing != survey.MissingHiddenFrom || c.Z != nil) {
				t.Errorf("reversed: %+v; want %q", c, survey.MissingHiddenFrom)
			}
		}
	}
	// A breakdown one release does not publish is refused, naming it.
	_, err = survey.CompareReleases(from, to, nil, [][]survey.Dimension{{survey.ByPlace}})
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	var fields []string
	for _, e := range list {
		fields = append(fields, e.Field)
	}
	require.Equal(t, []string{"from.breakdowns[0]", "to.breakdowns[0]"}, fields)
	_, err = survey.CompareReleases(from, to, []string{"shoe"}, nil)
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.True(t, strings.Contains(err.Error(), "items[0]"), "%v", err)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
