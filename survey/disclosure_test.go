package survey_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// randomSet builds n responses with random attributes and answers.
func randomSet(t testing.TB, r *rand.Rand, n int, weighted bool) *survey.Set {
	in := trainingInstrument(weighted)
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	races := []bsk.RaceEthnicity{bsk.RaceWhite, bsk.RaceWhite, bsk.RaceHispanicLatinx, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceNativeHawaiianPacificIslander, bsk.RaceDeclined}
	places := []bsk.Place{"seattle", "kent", "vashon", "bellevue", "skykomish", ""}
	genders := []bsk.Gender{bsk.GenderWoman, bsk.GenderWoman, bsk.GenderWoman, bsk.GenderMan, bsk.GenderNonbinary, ""}
	incomes := []bsk.IncomeBand{bsk.IncomeUnder200FPL, bsk.Income200To399FPL, bsk.Income400PlusFPL, ""}
	for i := range n {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%d", i)}, Answers: map[string][]string{}}
		for range r.IntN(3) {
			rc := races[r.IntN(len(races))]
			if rc == bsk.RaceDeclined && len(resp.Demographics.Race) > 0 || containsRace(resp.Demographics.Race, bsk.RaceDeclined) {
				continue
			}
			if !containsRace(resp.Demographics.Race, rc) {
				resp.Demographics.Race = append(resp.Demographics.Race, rc)
			}
		}
		resp.Demographics.Place = places[r.IntN(len(places))]
		resp.Demographics.Gender = genders[r.IntN(len(genders))]
		resp.Demographics.Income = incomes[r.IntN(len(incomes))]
		if weighted {
			resp.Weight = 0.2 + 3*r.Float64()
		}
		// Skewed agreement so that small complements happen.
		if r.IntN(10) > 0 {
			resp.Answers["useful"] = []string{fmt.Sprint(1 + min(4, int(5*math.Sqrt(r.Float64()))))}
		}
		if r.IntN(10) > 0 {
			resp.Answers["again"] = []string{[]string{"yes", "yes", "yes", "no"}[r.IntN(4)]}
		}
		require.NoError(t, s.Add(resp))
	}
	return s
}

func containsRace(l []bsk.RaceEthnicity, r bsk.RaceEthnicity) bool {
	for _, x := range l {
		if x == r {
			return true
		}
	}
	return false
}

// lines returns a table's lines, each as its cells with the line's total
// last: the cells that differ in one dimension only, the total being the
// one whose group is "" (every value) in that dimension.
func lines(tb survey.Table) [][]int {
	var out [][]int
	for k := range tb.Dimensions {
		byRest := map[string][]int{}
		var keys []string
		for i, c := range tb.Cells {
			rest := strings.Join(slices.Delete(slices.Clone(c.Group), k, k+1), "\x00")
			if _, ok := byRest[rest]; !ok {
				keys = append(keys, rest)
			}
			byRest[rest] = append(byRest[rest], i)
		}
		for _, key := range keys {
			line := byRest[key]
			t := slices.IndexFunc(line, func(i int) bool { return tb.Cells[i].Group[k] == "" })
			total := line[t]
			line = append(slices.Delete(line, t, t+1), total)
			out = append(out, line)
		}
	}
	return out
}

func TestDisclosureProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	breakdowns := [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, {survey.ByGender, survey.ByRegion}, {survey.ByRace, survey.ByIncome}, {survey.ByIncome, survey.ByGender},
		{survey.ByRace, survey.ByGender, survey.ByIncome}}
	for trial := range 60 {
		weighted := trial%3 == 2
		s := randomSet(t, r, 15+r.IntN(300), weighted)
		for _, mode := range []survey.RaceMode{survey.MultipleRaces, survey.AloneOrInCombination} {
			truth, err := s.Estimate(survey.Query{Breakdowns: breakdowns, Race: mode, Disclosure: ptr(survey.Unsuppressed())})
			require.NoError(t, err)
			for _, d := range []survey.Disclosure{survey.WADOH(), survey.PHSKC(), survey.NCHS()} {
				pop := 0
				if trial%2 == 1 {
					pop = s.Len() * 3 // coverage under 80%: survey rules
				}
				rep, err := s.Estimate(survey.Query{Breakdowns: breakdowns, Race: mode, Disclosure: &d, Population: pop})
				require.NoError(t, err)
				for k, tb := range rep.Tables {
					raw := truth.Tables[k]
					for i, c := range tb.Cells {
						rc := raw.Cells[i]
						if c.Suppressed {
							if c.Rule == "" || c.Percent != nil || c.Count != nil || c.N != nil {
								t.Fatalf("%s %v: a hidden cell shows figures or no rule: %+v", d.Name, c.Group, c)
							}
							continue
						}
						if c.Range != "" {
							// Top-coded: the range alone, from fewer than 10
							// equal-weight respondents in a sample survey.
							n, x := *rc.N, *rc.Count
							if c.N != nil || c.Count != nil || c.Rule != d.Name+":top_coded" || rep.Counts || weighted || n >= 10 ||
								(c.Range == "0-5%") != (20*x < n) || (c.Range == "95-100%") != (20*x > 19*n) {
								t.Fatalf("%s %v: top-coded %+v from %d of %d", d.Name, c.Group, c, x, n)
							}
							continue
						}
						if c.Percent == nil {
							continue
						}
						n, x := *rc.N, *rc.Count
						// Figures are those of the data, from the reference.
						if *c.N != n || *c.Count != x {
							t.Fatalf("%s %v: n, count = %d, %d; want %d, %d", d.Name, c.Group, *c.N, *c.Count, n, x)
						}
						if !weighted && math.Abs(*c.Percent-100*float64(x)/float64(n)) > 1e-9 {
							t.Fatalf("percent %v; want %v", *c.Percent, 100*float64(x)/float64(n))
						}
						if *c.Low > *c.Percent+1e-12 || *c.High < *c.Percent-1e-12 || *c.Low < 0 || *c.High > 100 {
							t.Fatalf("%s %v: interval [%v, %v] does not hold %v within [0, 100]", d.Name, c.Group, *c.Low, *c.High, *c.Percent)
						}
						if d.Name == "wa_doh" && rep.Counts && ((x > 0 && x < 10) || (n-x > 0 && n-x < 10) || n < 10) {
							t.Fatalf("wa_doh shows %d of %d", x, n)
						}
						if d.Name == "wa_doh" && !rep.Counts && !weighted && n < 10 && (10*x < n || 10*x > 9*n) {
							t.Fatalf("wa_doh shows %d of %d below 80%% coverage: not top-coded", x, n)
						}
						if d.Name == "phskc" && x < 10 {
							t.Fatalf("phskc shows a numerator of %d", x)
						}
					}
					// No hidden count can be recomputed by subtraction: a line
					// whose total shows has no hidden cell or at least two
					// hidden cells with respondents.
					for _, line := range lines(tb) {
						total := line[len(line)-1]
						if tb.Cells[total].Count == nil {
							continue
						}
						hidden := 0
						for _, i := range line[:len(line)-1] {
							if tb.Cells[i].Count == nil && *raw.Cells[i].N > 0 {
								hidden++
							}
						}
						if hidden == 1 {
							t.Fatalf("%s %s %v: one hidden cell in a line whose total shows: %v", d.Name, tb.Item, tb.Dimensions, line)
						}
					}
				}
			}
		}
	}
}

func TestEstimateBadQueries(t *testing.T) {
	s := randomSet(t, rand.New(rand.NewPCG(1, 1)), 20, false)
	tests := []struct {
		q     survey.Query
		field string
	}{
		{survey.Query{Items: []string{"nope"}}, "items[0]"},
		{survey.Query{Items: []string{"comments"}}, "items[0]"},
		{survey.Query{Breakdowns: [][]survey.Dimension{{"shoe_size"}}}, "breakdowns[0][0]"},
		{survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByRace}, {}}}, "breakdowns[1]"},
		{survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByRace, survey.ByPlace, survey.ByRace}}}, "breakdowns[0][2]"},
		{survey.Query{Race: "some"}, "race"},
		{survey.Query{Population: -1}, "population"},
	}
	for _, tt := range tests {
		_, err := s.Estimate(tt.q)
		require.Error(t, err, "%+v", tt.q)
		require.Contains(t, err.Error(), tt.field+":")
	}
}

func TestEstimateTooManyCells(t *testing.T) {
	in := survey.Instrument{ID: "x", Items: []survey.Item{{Code: "q", Kind: survey.YesNo}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(7, 7))
	places := bsk.Places()
	for i := range 600 {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprint(i), Session: fmt.Sprint("s", i)}, Answers: map[string][]string{"q": {"yes"}}}
		resp.Demographics.Place = places[r.IntN(len(places))]
		resp.Demographics.Race = []bsk.RaceEthnicity{bsk.RaceAsian}
		require.NoError(t, s.Add(resp))
	}
	_, err = s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByPlace}, {survey.BySession, survey.ByPlace, survey.ByRace, survey.ByRegion}}})
	require.Error(t, err)
	require.Contains(t, err.Error(), "breakdowns[1]:")
	require.True(t, errors.Is(err, bsk.ErrInvalid))
}

// A standard that sets no rule is refused everywhere a standard is
// applied: a zero Disclosure must not publish figures as if controlled.
func TestDisclosureValidate(t *testing.T) {
	for _, d := range survey.Presets() {
		require.NoError(t, d.Validate(), d.Name)
	}
	bad := []struct {
		d     survey.Disclosure
		field string
	}{
		{survey.Disclosure{}, "name"},
		{survey.Disclosure{Name: "mine"}, "sets no suppression rule"},
		{survey.Disclosure{Name: "mine", MinCount: -1}, "min_count"},
		{survey.Disclosure{Name: "mine", MinCount: 5, CountsCoverage: 80}, "counts_coverage"},
	}
	s := randomSet(t, rand.New(rand.NewPCG(2, 2)), 30, false)
	for _, tt := range bad {
		err := tt.d.Validate()
		require.Error(t, err)
		require.Contains(t, err.Error(), tt.field)
		_, err = s.Estimate(survey.Query{Disclosure: &tt.d})
		require.ErrorIs(t, err, bsk.ErrInvalid)
		require.Contains(t, err.Error(), "disclosure")
		_, err = s.Rank("topics", tt.d)
		require.ErrorIs(t, err, bsk.ErrInvalid)
		_, err = s.Frequencies("barriers", tt.d)
		require.ErrorIs(t, err, bsk.ErrInvalid)
		_, err = tt.d.ProtectCounts(survey.CountTable{})
		require.ErrorIs(t, err, bsk.ErrInvalid)
	}
}
