package survey_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// published is one of the figures the county published (see the seeds).
type published struct {
	code, reported string
	agree          int // respondents who agreed, chosen so the rounded percent is the published one
	percent        int
}

// seedSet builds n responses whose agreement counts match the published
// figures, with respondents' race and place drawn from a seed.
func seedSet(t *testing.T, cycle, population string, n int, figures []published) (*survey.Set, survey.Instrument) {
	t.Helper()
	in := survey.Instrument{ID: "endorsement-followup", Version: "1", Cycle: cycle, Population: population}
	for _, f := range figures {
		in.Items = append(in.Items, survey.Item{Code: f.code, Kind: survey.Likert, Text: f.code, Reported: f.reported})
	}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(uint64(n), 9))
	racesPool := []bsk.RaceEthnicity{bsk.RaceWhite, bsk.RaceWhite, bsk.RaceHispanicLatinx, bsk.RaceAsian, bsk.RaceBlack, bsk.RaceAmericanIndianAlaskaNative}
	places := []bsk.Place{"seattle", "kent", "bellevue", "vashon", "auburn"}
	// Agreement is assigned to a shuffled order per item.
	orders := make([][]int, len(figures))
	for k := range figures {
		orders[k] = r.Perm(n)
	}
	agrees := make([]map[int]bool, len(figures))
	for k, f := range figures {
		agrees[k] = map[int]bool{}
		for _, i := range orders[k][:f.agree] {
			agrees[k][i] = true
		}
	}
	for i := range n {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%04d", i)}, Answers: map[string][]string{}}
		resp.Demographics.Race = []bsk.RaceEthnicity{racesPool[r.IntN(len(racesPool))]}
		resp.Demographics.Place = places[r.IntN(len(places))]
		for k, f := range figures {
			if agrees[k][i] {
				resp.Answers[f.code] = []string{[]string{"4", "5"}[r.IntN(2)]}
			} else {
				resp.Answers[f.code] = []string{[]string{"1", "2", "3"}[r.IntN(3)]}
			}
		}
		require.NoError(t, s.Add(resp))
	}
	return s, in
}

var endorsement2020 = []published{
	{"responsive", "reported the endorsement process was responsive to their needs and experiences", 129, 94},
	{"confidence", "reported an increase in confidence in their roles as an IECMH provider", 121, 88},
	{"effectiveness", "reported the endorsement process increased their effectiveness in their role with families", 78, 57},
	{"preparedness", "reported the endorsement process increased their preparedness to work with families", 110, 80},
}

var endorsement2021 = []published{
	{"responsive", "reported the endorsement process was responsive to their needs and experiences", 96, 87},
	{"confidence", "reported an increase in confidence in their roles as an IECMH provider", 78, 71},
	{"effectiveness", "reported the endorsement process increased their effectiveness in their role with families", 90, 82},
	{"preparedness", "reported the endorsement process increased their preparedness to work with families", 90, 82},
}

var consultation2020 = []published{
	{"confidence", "reported increased confidence to talk about social and emotional development with families", 269, 75},
	{"respectful", "reported that reflective consultation was respectful of their community's needs and experiences", 337, 94},
	{"impact", "reported a positive impact on their relationship with children and families", 309, 86},
	{"bias", "reported an increase in awareness of their own implicit biases", 273, 76},
}

var consultation2021 = []published{
	{"confidence", "reported increased confidence to talk about social and emotional development with families", 319, 78},
	{"respectful", "reported that reflective consultation was respectful of their community's needs and experiences", 397, 97},
	{"impact", "reported a positive impact on their relationship with children and families", 352, 86},
	{"bias", "reported an increase in awareness of their own implicit biases", 147, 36},
}

func TestSeedsPublishedFigures(t *testing.T) {
	cases := []struct {
		cycle, population string
		n                 int
		figures           []published
	}{
		{"2020", "providers who initiated the endorsement process", 137, endorsement2020},
		{"2021", "providers who initiated the endorsement process", 110, endorsement2021},
		{"2020", "participants in reflective consultation groups", 359, consultation2020},
		{"2021", "participants in reflective consultation groups", 409, consultation2021},
	}
	for _, c := range cases {
		t.Run(c.cycle+" "+c.population, func(t *testing.T) {
			s, in := seedSet(t, c.cycle, c.population, c.n, c.figures)
			// The county's own practice (numerator 0-9 hidden) permits every
			// program-wide figure it published.
			phskc := survey.PHSKC()
			rep, err := s.Estimate(survey.Query{Disclosure: &phskc})
			require.NoError(t, err)
			for _, f := range c.figures {
				cell, ok := rep.Total(f.code)
				require.True(t, ok)
				require.False(t, cell.Suppressed, "%s: %s", f.code, cell.Rule)
				assert.Equal(t, c.n, *cell.N)
				assert.Equal(t, f.agree, *cell.Count)
				it, _ := in.Item(f.code)
				want := fmt.Sprintf("%d percent of the %d %s %s.", f.percent, c.n, c.population, f.reported)
				assert.Equal(t, want, survey.Sentence(in, it, cell))
			}
			// So does the NCHS standard for proportions: every program-wide
			// N is at least 30 and every Korn-Graubard interval narrow.
			nchs := survey.NCHS()
			rep, err = s.Estimate(survey.Query{Disclosure: &nchs})
			require.NoError(t, err)
			for _, f := range c.figures {
				cell, _ := rep.Total(f.code)
				require.False(t, cell.Suppressed, "%s: %s", f.code, cell.Rule)
				assert.Equal(t, f.percent, int(math.Round(*cell.Percent)))
			}
			// The WA DOH standard treats a program's census as counts and
			// also protects the complement: "94 percent of 137" reveals
			// that 8 disagreed, so it is hidden there, and only there.
			rep, err = s.Estimate(survey.Query{})
			require.NoError(t, err)
			for _, f := range c.figures {
				cell, _ := rep.Total(f.code)
				small := c.n-f.agree < 10 || f.agree < 10
				assert.Equal(t, small, cell.Suppressed, "%s: %d of %d under wa_doh", f.code, f.agree, c.n)
				if small {
					assert.Equal(t, "wa_doh:complement_under_10", cell.Rule)
					it, _ := in.Item(f.code)
					assert.NotContains(t, survey.Sentence(in, it, cell), "percent of")
				}
			}
			// Had the survey reached fewer than 80% of the eligible
			// providers (a sample), WA DOH would have no counts rule for
			// these program-wide figures, and they would all show.
			rep, err = s.Estimate(survey.Query{Population: 2 * c.n})
			require.NoError(t, err)
			for _, f := range c.figures {
				cell, _ := rep.Total(f.code)
				require.False(t, cell.Suppressed, "%s: %s", f.code, cell.Rule)
				assert.Equal(t, f.agree, *cell.Count)
			}
			// Broken down by race and by place, small cells are hidden under
			// each standard, with secondary suppression.
			for _, d := range []survey.Disclosure{survey.PHSKC(), survey.WADOH(), survey.NCHS()} {
				rep, err := s.Estimate(survey.Query{Disclosure: &d, Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, {survey.ByRace, survey.ByPlace}}})
				require.NoError(t, err)
				hidden := 0
				for _, tb := range rep.Tables {
					for _, cell := range tb.Cells {
						if cell.Suppressed {
							hidden++
							assert.Nil(t, cell.Percent)
							assert.Nil(t, cell.Count)
							continue
						}
						if cell.Count != nil && *cell.N > 0 && d.Name == "nchs" {
							assert.GreaterOrEqual(t, *cell.N, 30, "%s %v: an estimate from fewer than 30 shown under nchs", tb.Item, cell.Group)
						} else if cell.Count != nil && *cell.N > 0 {
							assert.GreaterOrEqual(t, *cell.Count, 10, "%s %v: a small count is shown under %s", tb.Item, cell.Group, d.Name)
						}
					}
				}
				assert.Positive(t, hidden, "nothing hidden by race and place under %s", d.Name)
			}
		})
	}
}

func TestSeedsChangeBetweenCycles(t *testing.T) {
	s20, _ := seedSet(t, "2020", "providers", 137, endorsement2020)
	s21, _ := seedSet(t, "2021", "providers", 110, endorsement2021)
	phskc := survey.PHSKC()
	r20, err := s20.Estimate(survey.Query{Disclosure: &phskc})
	require.NoError(t, err)
	r21, err := s21.Estimate(survey.Query{Disclosure: &phskc})
	require.NoError(t, err)
	a, _ := r20.Total("effectiveness")
	b, _ := r21.Total("effectiveness")
	ch, ok := survey.Compare(a, b)
	require.True(t, ok)
	assert.InDelta(t, 100*(90.0/110-78.0/137), ch.Points, 1e-9)
	assert.True(t, ch.Significant, "57%% to 82%% is a significant change: %+v", ch)
	// A hidden cell cannot be compared.
	dflt, _ := s20.Estimate(survey.Query{})
	hidden, _ := dflt.Total("responsive")
	_, ok = survey.Compare(hidden, b)
	assert.False(t, ok)
}

// The 2019 statewide survey's top ten desired training topics, in the
// published rank order (seed 002).
var desiredTopics = []survey.Option{
	{Code: "assessment", Label: "Assessment"}, {Code: "attachment", Label: "Attachment"},
	{Code: "iecmh_fundamentals", Label: "IECMH fundamentals/principles"}, {Code: "high_risk_families", Label: "Working with high-risk families"},
	{Code: "neurodevelopmental", Label: "Neurodevelopmental differences"}, {Code: "dc05", Label: "Diagnosis with the DC:0-5"},
	{Code: "evidence_based", Label: "Evidence-based practices"}, {Code: "child_development", Label: "Child development"},
	{Code: "culturally_diverse", Label: "Working with culturally diverse families"}, {Code: "reflective_practice", Label: "Reflective practice"},
}

// TestSeedsDesiredTopics has 875 clinicians rank their top five topics,
// each drawn with a preference that falls with the published rank, and
// checks the Borda order against the published top ten and against a
// Borda count computed here; the barriers item gives the published
// shares (about a third each for cost and travel, a quarter for training
// not offered).
func TestSeedsDesiredTopics(t *testing.T) {
	in := survey.Instrument{ID: "iecmh-workforce", Cycle: "2019", Population: "clinicians", Items: []survey.Item{
		{Code: "topics", Kind: survey.Ranking, Text: "Rank the training you most want", Options: desiredTopics},
		{Code: "barriers", Kind: survey.Multi, Text: "What keeps you from training?", Options: []survey.Option{
			{Code: "cost", Label: "Cost"}, {Code: "travel", Label: "Location/travel"}, {Code: "not_offered", Label: "Not offered or accessible"}, {Code: "billable", Label: "Lost billable time"}, {Code: "none", Label: "None of these"}}},
	}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(2019, 875))
	points := map[string]int{}
	barriers := map[string]int{"cost": 292, "travel": 290, "not_offered": 219, "billable": 160, "none": 875 - 292}
	for i := range 875 {
		// Plackett-Luce draws: topic k has weight 0.8^k.
		left := slices.Clone(desiredTopics)
		weights := make([]float64, len(left))
		for k := range weights {
			weights[k] = math.Pow(0.8, float64(k))
		}
		var ranked []string
		for range 5 {
			total := 0.0
			for _, w := range weights {
				total += w
			}
			u, k := r.Float64()*total, 0
			for ; k < len(weights)-1 && u > weights[k]; k++ {
				u -= weights[k]
			}
			ranked = append(ranked, left[k].Code)
			points[left[k].Code] += len(desiredTopics) - len(ranked) + 1
			left, weights = slices.Delete(left, k, k+1), slices.Delete(weights, k, k+1)
		}
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprint("c", i)}, Answers: map[string][]string{"topics": ranked}}
		for code, n := range barriers {
			if code == "none" && i >= 292 || code != "none" && i < n {
				resp.Answers["barriers"] = append(resp.Answers["barriers"], code)
			}
		}
		require.NoError(t, s.Add(resp))
	}
	rk, err := s.Rank("topics", survey.WADOH())
	require.NoError(t, err)
	require.False(t, rk.Suppressed)
	assert.Equal(t, 875, rk.Respondents)
	for k, o := range rk.Options {
		assert.Equal(t, desiredTopics[k].Code, o.Code, "place %d", k+1)
		assert.Equal(t, points[o.Code], o.Points, o.Code)
		assert.Equal(t, k+1, o.Place)
	}
	fr, err := s.Frequencies("barriers", survey.WADOH())
	require.NoError(t, err)
	assert.Equal(t, 875, fr.Respondents)
	for _, o := range fr.Options {
		require.NotNil(t, o.Count, o.Code)
		assert.Equal(t, barriers[o.Code], *o.Count)
		assert.InDelta(t, 100*float64(barriers[o.Code])/875, *o.Percent, 1e-9)
	}
	assert.InDelta(t, 33.4, *fr.Options[0].Percent, 0.05)
	assert.InDelta(t, 25.0, *fr.Options[2].Percent, 0.05)
}

// Tied Borda points share a place and are reported as ties.
func TestRankTies(t *testing.T) {
	in := survey.Instrument{ID: "x", Items: []survey.Item{{Code: "topics", Kind: survey.Ranking, Options: desiredTopics[:3]}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	// 10 respondents rank assessment first, 10 attachment first; each puts
	// the other second: 10*3+10*2 = 50 points each; iecmh_fundamentals 20.
	for i := range 20 {
		first, second := "assessment", "attachment"
		if i%2 == 1 {
			first, second = second, first
		}
		require.NoError(t, s.Add(survey.Response{Respondent: survey.Respondent{ID: fmt.Sprint(i)},
			Answers: map[string][]string{"topics": {first, second, "iecmh_fundamentals"}}}))
	}
	rk, err := s.Rank("topics", survey.WADOH())
	require.NoError(t, err)
	require.Len(t, rk.Options, 3)
	assert.Equal(t, []int{1, 1, 3}, []int{rk.Options[0].Place, rk.Options[1].Place, rk.Options[2].Place})
	assert.Equal(t, []bool{true, true, false}, []bool{rk.Options[0].Tied, rk.Options[1].Tied, rk.Options[2].Tied})
	assert.Equal(t, 50, rk.Options[0].Points)
	assert.Equal(t, 20, rk.Options[2].Points)
	assert.InDelta(t, 100, rk.Options[2].TopThree, 1e-9)
}
