package survey_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// minimum are the 2024 standard's minimum categories, declined aside.
var minimum = []bsk.RaceEthnicity{"american_indian_alaska_native", "asian", "black", "hispanic_latinx",
	"middle_eastern_north_african", "native_hawaiian_pacific_islander", "white"}

// detailedOf are the detailed groups the test draws from, by category,
// the commoner first: the standard's six each.
var detailedOf = map[bsk.RaceEthnicity][]bsk.RaceDetail{
	"american_indian_alaska_native":    {"navajo_nation", "blackfeet_tribe", "native_village_of_barrow_inupiat", "nome_eskimo_community", "aztec", "maya"},
	"asian":                            {"chinese", "asian_indian", "filipino", "vietnamese", "korean", "japanese"},
	"black":                            {"african_american", "jamaican", "haitian", "nigerian", "ethiopian", "somali"},
	"hispanic_latinx":                  {"mexican", "puerto_rican", "salvadoran", "cuban", "dominican", "guatemalan"},
	"middle_eastern_north_african":     {"lebanese", "iranian", "egyptian", "syrian", "iraqi", "israeli"},
	"native_hawaiian_pacific_islander": {"native_hawaiian", "samoan", "chamorro", "tongan", "fijian", "marshallese"},
	"white":                            {"english", "german", "irish", "italian", "polish", "scottish"},
}

// categoryOf is the test's own map from a detailed group to its category.
func categoryOf(d bsk.RaceDetail) bsk.RaceEthnicity {
	for r, ds := range detailedOf {
		if slices.Contains(ds, d) {
			return r
		}
	}
	panic("unknown detailed group " + d)
}

// detailResponses draws n responses to the combined question with
// detailed groups (the later ones of each category rare, so that some
// fall under the disclosure threshold), write-ins, and answers to "again"
// (yes/no) and "useful" (Likert) that depend on the category. One in ten
// respondents ticks a detailed group without its category, which the
// import must add.
func detailResponses(seed uint64, n int) []survey.Response {
	r := rand.New(rand.NewPCG(seed, 16))
	weights := []float64{3, 20, 12, 15, 5, 4, 35} // by minimum
	pick := func(w []float64) int {
		sum := 0.0
		for _, x := range w {
			sum += x
		}
		u := r.Float64() * sum
		for i, x := range w {
			if u -= x; u < 0 {
				return i
			}
		}
		return len(w) - 1
	}
	writeIns := map[bsk.RaceEthnicity][]string{"asian": {"Hmong", "Cambodian"}, "black": {"Eritrean"}, "middle_eastern_north_african": {"Amazigh", "Yemeni"}, "white": {"Ukrainian"}, "hispanic_latinx": {"Honduran"}}
	genders := []bsk.Gender{"woman", "woman", "woman", "man", "nonbinary"}
	out := make([]survey.Response, n)
	for i := range out {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%05d", i)}, Answers: map[string][]string{}}
		d := &resp.Demographics
		d.Gender = genders[r.IntN(len(genders))]
		switch u := r.Float64(); {
		case u < 0.03:
			d.Race = []bsk.RaceEthnicity{bsk.RaceDeclined}
		case u < 0.06:
		default:
			cats := []int{pick(weights)}
			if r.Float64() < 0.15 {
				if c := pick(weights); c != cats[0] {
					cats = append(cats, c)
				}
			}
			for _, c := range cats {
				cat := minimum[c]
				implied := false
				if r.Float64() < 0.7 {
					ds := detailedOf[cat]
					d.RaceDetail = append(d.RaceDetail, ds[pick([]float64{32, 16, 8, 4, 2, 1})])
					if r.Float64() < 0.1 {
						if x := ds[pick([]float64{32, 16, 8, 4, 2, 1})]; !slices.Contains(d.RaceDetail, x) {
							d.RaceDetail = append(d.RaceDetail, x)
						}
					}
					implied = r.Float64() < 0.1
				}
				if w := writeIns[cat]; len(w) > 0 && r.Float64() < 0.15 {
					if d.RaceWriteIn == nil {
						d.RaceWriteIn = map[bsk.RaceEthnicity]string{}
					}
					d.RaceWriteIn[cat] = w[r.IntN(len(w))]
					implied = false
				}
				if !implied {
					d.Race = append(d.Race, cat)
				}
			}
		}
		p := 0.55 + 0.05*float64(len(d.Race)) + 0.04*float64(len(d.RaceDetail))
		if r.Float64() < 0.93 {
			resp.Answers["again"] = []string{map[bool]string{true: "yes", false: "no"}[r.Float64() < p]}
		}
		if r.Float64() < 0.9 {
			resp.Answers["useful"] = []string{fmt.Sprint(1 + r.IntN(5))}
		}
		out[i] = resp
	}
	return out
}

// detailCSV writes responses as a CSV file with the detailed columns.
func detailCSV(t testing.TB, rs []survey.Response) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	header := []string{"respondent_id", "race", "race_detail"}
	for _, r := range minimum {
		header = append(header, "race_write_in_"+string(r))
	}
	header = append(header, "gender", "again", "useful")
	require.NoError(t, w.Write(header))
	for _, r := range rs {
		d := r.Demographics
		row := []string{r.ID, join(d.Race), join(d.RaceDetail)}
		for _, c := range minimum {
			row = append(row, d.RaceWriteIn[c])
		}
		first := func(v []string) string {
			if len(v) == 0 {
				return ""
			}
			return v[0]
		}
		row = append(row, string(d.Gender), first(r.Answers["again"]), first(r.Answers["useful"]))
		require.NoError(t, w.Write(row))
	}
	w.Flush()
	require.NoError(t, w.Error())
	return b.Bytes()
}

func join[T ~string](xs []T) string {
	var s []string
	for _, x := range xs {
		s = append(s, string(x))
	}
	return strings.Join(s, ";")
}

// categories are a response's minimum categories: those chosen, and
// those of its detailed groups and write-ins.
func categories(d bsk.Demographics) []bsk.RaceEthnicity {
	out := slices.Clone(d.Race)
	add := func(r bsk.RaceEthnicity) {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	for _, x := range d.RaceDetail {
		add(categoryOf(x))
	}
	for r := range d.RaceWriteIn {
		add(r)
	}
	return out
}

// detailShown lists the detailed groups with at least fold respondents
// (every group when fold is 0).
func detailShown(rs []survey.Response, fold int) map[bsk.RaceDetail]bool {
	n := map[bsk.RaceDetail]int{}
	for _, ds := range detailedOf {
		for _, x := range ds {
			n[x] = 0
		}
	}
	for _, r := range rs {
		for _, x := range r.Demographics.RaceDetail {
			n[x]++
		}
	}
	out := map[bsk.RaceDetail]bool{}
	for x, k := range n {
		if k >= fold {
			out[x] = true
		}
	}
	return out
}

// raceRef lists a response's groups in a race dimension, from the
// response alone: the reference the package is checked against.
func raceRef(r survey.Response, dim survey.Dimension, mode survey.RaceMode, shown map[bsk.RaceDetail]bool) []string {
	cats := categories(r.Demographics)
	if len(cats) == 0 {
		return []string{survey.NotReported}
	}
	if slices.Equal(cats, []bsk.RaceEthnicity{bsk.RaceDeclined}) {
		return []string{"declined"}
	}
	var out []string
	add := func(g string) {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	switch dim {
	case survey.ByEthnicity1997:
		if slices.Contains(cats, bsk.RaceHispanicLatinx) {
			return []string{"hispanic_latino"}
		}
		return []string{"not_hispanic_latino"}
	case survey.ByRace1997:
		for _, c := range cats {
			switch c {
			case bsk.RaceHispanicLatinx:
			case bsk.RaceMiddleEasternNorthAfrican:
				add("white")
			default:
				add(string(c))
			}
		}
		if len(out) == 0 {
			return []string{survey.NotReported}
		}
	case survey.ByRaceDetail:
		for _, c := range cats {
			some := false
			for _, x := range r.Demographics.RaceDetail {
				if categoryOf(x) == c && shown[x] {
					add(string(x))
					some = true
				}
			}
			if !some {
				add(string(c) + ":other")
			}
		}
	}
	if mode == survey.MultipleRaces && len(out) > 1 {
		return []string{"multiple"}
	}
	return out
}

// refCounts counts, for every cell of a breakdown (margins as ""), the
// respondents answering "again" and those answering yes.
func refCounts(rs []survey.Response, dims []survey.Dimension, mode survey.RaceMode, shown map[bsk.RaceDetail]bool) map[string][2]int {
	out := map[string][2]int{}
	for _, r := range rs {
		a, ok := r.Answers["again"]
		if !ok {
			continue
		}
		keys := []string{""}
		for k, dim := range dims {
			var gs []string
			if dim == survey.ByGender {
				gs = []string{string(r.Demographics.Gender)}
			} else {
				gs = raceRef(r, dim, mode, shown)
			}
			var next []string
			for _, key := range keys {
				sep := "|"
				if k == 0 {
					sep = ""
				}
				for _, g := range append(gs, "") {
					next = append(next, key+sep+g)
				}
			}
			keys = next
		}
		for _, key := range keys {
			c := out[key]
			c[0]++
			if a[0] == "yes" {
				c[1]++
			}
			out[key] = c
		}
	}
	return out
}

// TestRaceDetailEstimates imports sets of 300, 3,000 and 30,000
// respondents with detailed groups and write-ins from CSV and checks every
// cell of the detailed, 1997 race and 1997 ethnicity breakdowns, alone and
// crossed with gender, in both race modes, against counts made from the
// responses themselves: every cell as computed without disclosure control,
// and under WA DOH the groups shown (detailed groups of 10 or more
// respondents; the rest rolled up into their category's other group) with
// every shown count 0 or at least 10, and its complement too.
func TestRaceDetailEstimates(t *testing.T) {
	for _, n := range []int{300, 3000, 30000} {
		rs := detailResponses(uint64(n), n)
		s, rep, err := survey.ImportCSV(bytes.NewReader(detailCSV(t, rs)), trainingInstrument(false), survey.ImportOptions{})
		require.NoError(t, err)
		require.Equal(t, n, rep.Imported)
		// The set gives back every detailed group and write-in, and the
		// categories they imply.
		for i, r := range rs {
			got := s.Response(i).Demographics
			wantRace := categories(r.Demographics)
			require.ElementsMatch(t, wantRace, got.Race, "respondent %s race", r.ID)
			require.ElementsMatch(t, r.Demographics.RaceDetail, got.RaceDetail, "respondent %s race_detail", r.ID)
			if diff := cmp.Diff(r.Demographics.RaceWriteIn, got.RaceWriteIn); diff != "" {
				t.Fatalf("respondent %s write-ins (-want +got):\n%s", r.ID, diff)
			}
		}
		for _, mode := range []survey.RaceMode{survey.AloneOrInCombination, survey.MultipleRaces} {
			for _, dims := range [][]survey.Dimension{
				{survey.ByRaceDetail}, {survey.ByRace1997}, {survey.ByEthnicity1997},
				{survey.ByRaceDetail, survey.ByGender}, {survey.ByRace1997, survey.ByEthnicity1997},
			} {
				t.Run(fmt.Sprintf("%d/%s/%v", n, mode, dims), func(t *testing.T) {
					checkRaceCells(t, s, rs, dims, mode, survey.Unsuppressed(), 0)
					checkRaceCells(t, s, rs, dims, mode, survey.WADOH(), 10)
				})
			}
		}
	}
}

// checkRaceCells compares one breakdown's cells under a standard with the
// reference counts, detailed groups rolled up under fold respondents.
func checkRaceCells(t *testing.T, s *survey.Set, rs []survey.Response, dims []survey.Dimension, mode survey.RaceMode, std survey.Disclosure, fold int) {
	t.Helper()
	shown := detailShown(rs, fold)
	want := refCounts(rs, dims, mode, shown)
	rep, err := s.Estimate(survey.Query{Items: []string{"again"}, Breakdowns: [][]survey.Dimension{dims}, Race: mode, Disclosure: &std})
	require.NoError(t, err)
	tb, ok := rep.Table("again", dims...)
	require.True(t, ok)
	// Every group the reference finds with respondents is a cell.
	seen := map[string]bool{}
	for _, c := range tb.Cells {
		seen[strings.Join(c.Group, "|")] = true
	}
	for key := range want {
		if !seen[key] {
			t.Fatalf("%s: no cell for group %q", std.Name, key)
		}
	}
	shownCells := 0
	for _, c := range tb.Cells {
		key := strings.Join(c.Group, "|")
		w := want[key]
		if dims[0] == survey.ByRaceDetail && c.Group[0] != "" && !strings.Contains(c.Group[0], ":") && c.Group[0] != "declined" && c.Group[0] != "multiple" && c.Group[0] != survey.NotReported {
			if !shown[bsk.RaceDetail(c.Group[0])] {
				t.Fatalf("%s: detailed group %q has fewer than %d respondents but is a cell", std.Name, c.Group[0], fold)
			}
		}
		if c.Suppressed {
			if std.Off {
				t.Fatalf("%s: cell %q hidden", std.Name, key)
			}
			continue
		}
		require.NotNil(t, c.N, "cell %q", key)
		if *c.N != w[0] || (w[0] > 0 && (c.Count == nil || *c.Count != w[1])) {
			t.Fatalf("%s %v: cell %q = %s; want %d of %d", std.Name, dims, key, c, w[1], w[0])
		}
		if w[0] > 0 {
			shownCells++
			if p := 100 * float64(w[1]) / float64(w[0]); math.Abs(*c.Percent-p) > 1e-9 {
				t.Fatalf("cell %q percent %v; want %v", key, *c.Percent, p)
			}
			if !std.Off {
				for _, k := range []int{w[1], w[0] - w[1]} {
					if k > 0 && k < 10 {
						t.Fatalf("%s: cell %q shows %d of %d: a count under 10", std.Name, key, w[1], w[0])
					}
				}
			}
		}
	}
	if len(rs) >= 3000 && shownCells < 5 {
		t.Fatalf("%s: %d cells shown; the check tested little", std.Name, shownCells)
	}
}

// TestPublishRollsUpDetailedBreakdown: a release whose breakdown by
// detailed group and place cannot be protected (two groups of 30 under
// each of four categories in each of three places, 6 of each 30
// disagreeing: every detailed complement under 10) withholds it and
// publishes the minimum categories by place in its stead (each cell 60
// respondents, 12 disagreeing), lists the roll-up, lets readers select
// it, points a reader of the withheld breakdown to it, and what it
// publishes withstands the exact attacker.
func TestPublishRollsUpDetailedBreakdown(t *testing.T) {
	in := survey.Instrument{ID: "rc", Version: "1", Cycle: "2026", Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Again?"}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	groups := []bsk.RaceDetail{"irish", "german", "chinese", "vietnamese", "somali", "ethiopian", "mexican", "guatemalan"}
	places := []bsk.Place{"seattle", "kent", "vashon"}
	for i := range 720 {
		cell := i % 24
		g := groups[cell/3]
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%04d", i)}}
		resp.Demographics.Race = []bsk.RaceEthnicity{categoryOf(g)}
		resp.Demographics.RaceDetail = []bsk.RaceDetail{g}
		resp.Demographics.Place = places[cell%3]
		resp.Answers = map[string][]string{"again": {map[bool]string{true: "yes", false: "no"}[(i/24)%5 != 0]}}
		require.NoError(t, s.Add(resp))
	}
	detailed := []survey.Dimension{survey.ByRaceDetail, survey.ByPlace}
	rolled := []survey.Dimension{survey.ByRace, survey.ByPlace}
	rel := survey.Release{Standard: survey.WADOH(), Population: 750, Race: survey.MultipleRaces,
		Breakdowns: [][]survey.Dimension{{survey.ByPlace}, detailed}}
	pub, err := s.Publish(rel)
	require.NoError(t, err)
	if diff := cmp.Diff([][]survey.Dimension{detailed}, pub.WithheldBreakdowns); diff != "" {
		t.Errorf("withheld breakdowns (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]survey.RollUp{{From: detailed, To: rolled}}, pub.RolledUp); diff != "" {
		t.Errorf("rolled up (-want +got):\n%s", diff)
	}
	require.Empty(t, pub.Withheld)
	require.True(t, pub.Covers(rolled))
	require.False(t, pub.Covers(detailed))
	rep, err := pub.Select(nil, [][]survey.Dimension{rolled})
	require.NoError(t, err)
	tb, ok := rep.Table("again", rolled...)
	require.True(t, ok)
	shown := 0
	for _, c := range tb.Cells {
		if c.Group[0] == "" || c.Group[1] == "" || c.N == nil || *c.N == 0 {
			continue
		}
		// Each category by place: 60 respondents, 12 of whom disagree.
		require.Equal(t, 60, *c.N, "cell %v", c.Group)
		require.Equal(t, 48, *c.Count, "cell %v", c.Group)
		shown++
	}
	require.Equal(t, 12, shown, "the four categories by three places")
	_, err = pub.Select(nil, [][]survey.Dimension{detailed})
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	require.Equal(t, "breakdowns[0]", list[0].Field)
	require.Contains(t, list[0].Message, "withheld")
	require.Contains(t, list[0].Message, "publishes [race place] instead")
	checkRelease(t, s, rel, "again")

	// A release that holds the minimum categories by place already
	// withholds the detailed breakdown without a roll-up.
	rel.Breakdowns = append(rel.Breakdowns, rolled)
	pub, err = s.Publish(rel)
	require.NoError(t, err)
	require.Empty(t, pub.RolledUp)
	if diff := cmp.Diff([][]survey.Dimension{detailed}, pub.WithheldBreakdowns); diff != "" {
		t.Errorf("withheld breakdowns (-want +got):\n%s", diff)
	}
	require.True(t, pub.Covers(rolled))
}

// responses1997 draws n responses collected the 1997 way: the separate
// ethnicity question and the race question (five races, some two).
func responses1997(seed uint64, n int) []survey.Response {
	r := rand.New(rand.NewPCG(seed, 1997))
	races := []bsk.RaceEthnicity{"american_indian_alaska_native", "asian", "black", "native_hawaiian_pacific_islander", "white", "white", "white"}
	out := make([]survey.Response, n)
	for i := range out {
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("p%05d", i)}, Answers: map[string][]string{}}
		switch u := r.Float64(); {
		case u < 0.16:
			resp.HispanicLatino = bsk.EthnicityHispanicLatino
		case u < 0.19:
			resp.HispanicLatino = bsk.EthnicityDeclined
		default:
			resp.HispanicLatino = bsk.EthnicityNotHispanicLatino
		}
		switch u := r.Float64(); {
		case u < 0.04:
			resp.Demographics.Race = []bsk.RaceEthnicity{bsk.RaceDeclined}
		case u < 0.08:
		default:
			resp.Demographics.Race = []bsk.RaceEthnicity{races[r.IntN(len(races))]}
			if x := races[r.IntN(len(races))]; r.Float64() < 0.1 && x != resp.Demographics.Race[0] {
				resp.Demographics.Race = append(resp.Demographics.Race, x)
			}
		}
		if r.Float64() < 0.95 {
			resp.Answers["again"] = []string{map[bool]string{true: "yes", false: "no"}[r.Float64() < 0.7]}
		}
		out[i] = resp
	}
	return out
}

// ref1997 lists a 1997-collected response's groups: its race answer as
// given (declined alone, or nothing, as such) and its ethnicity answer.
func ref1997(r survey.Response, dim survey.Dimension) []string {
	race := r.Demographics.Race
	switch dim {
	case survey.ByEthnicity1997:
		switch {
		case r.HispanicLatino == bsk.EthnicityHispanicLatino:
			return []string{"hispanic_latino"}
		case len(race) == 0 || (race[0] == bsk.RaceDeclined && r.HispanicLatino == bsk.EthnicityDeclined):
			// Both declined, or race unanswered: no combined answer
			// beyond "declined" or nothing.
			if r.HispanicLatino == bsk.EthnicityDeclined {
				return []string{"declined"}
			}
			return []string{survey.NotReported}
		case race[0] == bsk.RaceDeclined:
			return []string{"declined"}
		}
		return []string{"not_hispanic_latino"}
	}
	if len(race) == 0 {
		if r.HispanicLatino == bsk.EthnicityDeclined {
			return []string{"declined"}
		}
		return []string{survey.NotReported}
	}
	if race[0] == bsk.RaceDeclined {
		if r.HispanicLatino == bsk.EthnicityHispanicLatino {
			return []string{survey.NotReported}
		}
		return []string{"declined"}
	}
	var out []string
	for _, x := range race {
		out = append(out, string(x))
	}
	return out
}

// TestTrendUnder1997Scheme compares a cycle collected the 1997 way with one
// collected the 2024 way (Middle Eastern or North African respondents,
// detailed groups, Hispanic or Latino a choice of the combined question),
// both published by race and ethnicity under the 1997 scheme: every
// trend cell's figures are the two cycles' percentages counted from the
// responses themselves, the 2024 cycle's White including its Middle
// Eastern or North African respondents.
func TestTrendUnder1997Scheme(t *testing.T) {
	in := trainingInstrument(false)
	old, now := responses1997(20, 4000), detailResponses(26, 5000)
	set := func(rs []survey.Response, cycle string) *survey.Set {
		in := in
		in.Cycle = cycle
		s, err := survey.NewSet(in)
		require.NoError(t, err)
		for _, r := range rs {
			require.NoError(t, s.Add(r))
		}
		return s
	}
	dims := [][]survey.Dimension{{survey.ByRace1997}, {survey.ByEthnicity1997}, {survey.ByRace1997, survey.ByEthnicity1997}}
	publish := func(s *survey.Set) *survey.Publication {
		pub, err := s.Publish(survey.Release{Standard: survey.WADOH(), Items: []string{"again"}, Breakdowns: dims})
		require.NoError(t, err)
		require.Empty(t, pub.WithheldBreakdowns)
		return pub
	}
	from, to := publish(set(old, "2020")), publish(set(now, "2026"))
	tr, err := survey.CompareReleases(from, to, []string{"again"}, dims)
	require.NoError(t, err)
	// The reference: counts from the responses, per cell.
	count := func(rs []survey.Response, groups func(survey.Response, survey.Dimension) []string, d []survey.Dimension) map[string][2]int {
		out := map[string][2]int{}
		for _, r := range rs {
			a, ok := r.Answers["again"]
			if !ok {
				continue
			}
			keys := []string{""}
			for k, dim := range d {
				var next []string
				for _, key := range keys {
					for _, g := range append(groups(r, dim), "") {
						if k == 0 {
							next = append(next, g)
						} else {
							next = append(next, key+"|"+g)
						}
					}
				}
				keys = next
			}
			for _, key := range keys {
				c := out[key]
				c[0]++
				if a[0] == "yes" {
					c[1]++
				}
				out[key] = c
			}
		}
		return out
	}
	nowGroups := func(r survey.Response, dim survey.Dimension) []string {
		return raceRef(r, dim, survey.AloneOrInCombination, nil)
	}
	compared := 0
	for _, tt := range tr.Tables {
		if len(tt.Dimensions) == 0 {
			continue
		}
		wantFrom, wantTo := count(old, ref1997, tt.Dimensions), count(now, nowGroups, tt.Dimensions)
		for _, c := range tt.Cells {
			key := strings.Join(c.Group, "|")
			if c.From == nil || c.To == nil {
				require.NotEmpty(t, c.Missing, "cell %q has no figure and no reason", key)
				continue
			}
			f, g := wantFrom[key], wantTo[key]
			require.InDelta(t, 100*float64(f[1])/float64(f[0]), *c.From, 1e-9, "2020 %v %q", tt.Dimensions, key)
			require.InDelta(t, 100*float64(g[1])/float64(g[0]), *c.To, 1e-9, "2026 %v %q", tt.Dimensions, key)
			compared++
		}
	}
	require.Greater(t, compared, 15)
	// The 1997 White of 2026 is White and Middle Eastern or North African
	// alike; the 2024 race table keeps them apart.
	white, mena := 0, 0
	for _, r := range now {
		cats := categories(r.Demographics)
		if _, ok := r.Answers["again"]; !ok {
			continue
		}
		if slices.Contains(cats, bsk.RaceWhite) || slices.Contains(cats, bsk.RaceMiddleEasternNorthAfrican) {
			white++
		}
		if slices.Contains(cats, bsk.RaceMiddleEasternNorthAfrican) {
			mena++
		}
	}
	require.Greater(t, mena, 50)
	rep, err := to.Select([]string{"again"}, [][]survey.Dimension{{survey.ByRace1997}})
	require.NoError(t, err)
	tb, _ := rep.Table("again", survey.ByRace1997)
	i := slices.IndexFunc(tb.Cells, func(c survey.Cell) bool { return c.Group[0] == "white" })
	require.NotNil(t, tb.Cells[i].N)
	require.Equal(t, white, *tb.Cells[i].N)
}

// TestImportRaceDetailProblems: an unknown detailed group, a write-in
// with a hidden character or too long, and a detailed group beside
// "declined" are coded errors naming the row and the column, from CSV
// and from REDCap; a write-in is kept as written and never a group.
func TestImportRaceDetailProblems(t *testing.T) {
	csvFile := "respondent_id,race,race_detail,race_write_in_asian,race_write_in_black,again\n" +
		"r1,,vietnamese;somali,Hmong,,yes\n" + // line 2: fine, categories implied
		"r2,asian,chinese;hmong,,,yes\n" + // line 3: hmong is written in, not a code
		"r3,black,,,\"Eri\u202etrean\",no\n" + // line 4: a bidirectional override
		"r4,declined,mexican,,,no\n" + // line 5: declined beside a group
		"r5,,,\"" + strings.Repeat("x", bsk.MaxWriteIn+1) + "\",,no\n" // line 6: too long
	_, _, err := survey.ImportCSV(strings.NewReader(csvFile), trainingInstrument(false), survey.ImportOptions{})
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	var fields []string
	for _, e := range list {
		require.ErrorIs(t, e, bsk.ErrInvalid)
		fields = append(fields, e.Field)
	}
	require.Equal(t, []string{"rows[3].race_detail", "rows[4].race_write_in_black", "rows[5].race", "rows[6].race_write_in_asian"}, fields, "%v", err)
	require.Contains(t, list[0].Message, `"hmong"`)
	require.Contains(t, list[1].Message, "U+202E")

	s, rep, err := survey.ImportCSV(strings.NewReader(csvFile), trainingInstrument(false), survey.ImportOptions{SkipBadRows: true})
	require.NoError(t, err)
	require.Equal(t, 1, rep.Imported)
	d := s.Response(0).Demographics
	require.Equal(t, []bsk.RaceEthnicity{"asian", "black"}, d.Race)
	require.Equal(t, []bsk.RaceDetail{"vietnamese", "somali"}, d.RaceDetail)
	require.Equal(t, map[bsk.RaceEthnicity]string{"asian": "Hmong"}, d.RaceWriteIn)
	rpt, err := s.Estimate(survey.Query{Items: []string{"again"}, Breakdowns: [][]survey.Dimension{{survey.ByRaceDetail}}, Disclosure: ptr(survey.Unsuppressed())})
	require.NoError(t, err)
	tb, _ := rpt.Table("again", survey.ByRaceDetail)
	for _, c := range tb.Cells {
		require.NotContains(t, c.Group[0], "Hmong", "a write-in is never a group")
	}

	const header = `"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max",Identifier?,"Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation"`
	dict := header + "\n" +
		"record_id,f,,text,ID,,,,,,,,,,,,,\n" +
		`race,f,,checkbox,Race,"1, Asian | 2, Black | 3, MENA",,,,,,,,,,,,` + "\n" +
		`race_det,f,,checkbox,Detailed,"11, Chinese | 12, Vietnamese | 21, Somali | 31, Lebanese | 99, Hmong",,,,,,,,,,,,` + "\n" +
		`race_asian_other,f,,text,Another Asian group,,,,,,,,,,,,,` + "\n" +
		`again,f,,yesno,Again?,,,,,,,,,,,,,` + "\n"
	dc, err := survey.ParseREDCapDictionary(strings.NewReader(dict), "detail")
	require.NoError(t, err)
	opts := survey.REDCapOptions{
		Respondent: map[string]string{"race": "race", "race_detail": "race_det", "race_write_in_asian": "race_asian_other"},
		Codes: map[string]map[string]string{
			"race":        {"1": "asian", "2": "black", "3": "middle_eastern_north_african"},
			"race_detail": {"11": "chinese", "12": "vietnamese", "21": "somali", "31": "lebanese"},
		}}
	records := "record_id,race___1,race___2,race___3,race_det___11,race_det___12,race_det___21,race_det___31,race_det___99,race_asian_other,again\n" +
		"1,1,0,0,0,1,0,0,0,,1\n" +
		"2,0,0,0,0,0,0,1,0,,0\n" +
		"3,1,0,0,0,0,0,0,1,Hmong,1\n"
	_, _, err = survey.ImportREDCap(strings.NewReader(records), dc, opts)
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 1)
	require.Equal(t, "rows[4].race_det___99", list[0].Field)
	require.ErrorIs(t, list[0], bsk.ErrInvalid)
	// A checkbox neither 1 nor 0 names its row and column once.
	_, _, err = survey.ImportREDCap(strings.NewReader(strings.Replace(records, "1,1,0,0,0,1,0,0,0,,1", "1,2,0,0,0,1,0,0,0,,1", 1)), dc, opts)
	require.ErrorAs(t, err, &list)
	require.Equal(t, "rows[2].race___1", list[0].Field)
	// Without a code map the raw value must be a detailed code.
	delete(opts.Codes, "race_detail")
	_, _, err = survey.ImportREDCap(strings.NewReader(records), dc, opts)
	require.ErrorAs(t, err, &list)
	require.Equal(t, "rows[2].race_det___12", list[0].Field)
	require.Contains(t, list[0].Message, `unknown detailed race/ethnicity code "12"`)

	opts.Codes["race_detail"] = map[string]string{"11": "chinese", "12": "vietnamese", "21": "somali", "31": "lebanese", "99": "hmong"}
	_, _, err = survey.ImportREDCap(strings.NewReader(records), dc, opts)
	require.ErrorAs(t, err, &list)
	require.Equal(t, "rows[4].race_det___99", list[0].Field)
	require.Contains(t, list[0].Message, `"hmong"`)

	records = strings.Replace(records, "3,1,0,0,0,0,0,0,1,Hmong,1", "3,1,0,0,0,0,0,0,0,Hmong,1", 1)
	s, _, err = survey.ImportREDCap(strings.NewReader(records), dc, opts)
	require.NoError(t, err)
	want := []bsk.Demographics{
		{Race: []bsk.RaceEthnicity{"asian"}, RaceDetail: []bsk.RaceDetail{"vietnamese"}},
		{Race: []bsk.RaceEthnicity{"middle_eastern_north_african"}, RaceDetail: []bsk.RaceDetail{"lebanese"}},
		{Race: []bsk.RaceEthnicity{"asian"}, RaceWriteIn: map[bsk.RaceEthnicity]string{"asian": "Hmong"}},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, s.Response(i).Demographics); diff != "" {
			t.Errorf("record %d (-want +got):\n%s", i+1, diff)
		}
	}
}

// TestRaceDimensionsCrossOnce: a breakdown crossing two views of the race
// question is refused, by a query and by a release, naming the field.
func TestRaceDimensionsCrossOnce(t *testing.T) {
	s, _, err := survey.ImportCSV(bytes.NewReader(detailCSV(t, detailResponses(1, 50))), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	_, err = s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByGender}, {survey.ByRace, survey.ByGender, survey.ByRaceDetail}}})
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	require.Equal(t, "breakdowns[1][2]", list[0].Field)
	require.ErrorIs(t, err, bsk.ErrInvalid)
	err = survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace1997, survey.ByRace}}}.Validate(s.Instrument())
	require.ErrorAs(t, err, &list)
	require.Equal(t, "breakdowns[0][1]", list[0].Field)
	// The 1997 race crossed with the 1997 ethnicity is the 1997 table.
	require.NoError(t, survey.Release{Standard: survey.WADOH(), Breakdowns: [][]survey.Dimension{{survey.ByRace1997, survey.ByEthnicity1997}}}.Validate(s.Instrument()))
}

// TestReleaseByRaceDetail publishes releases by detailed group, alone and
// crossed with gender, beside the minimum categories and the 1997 table:
// every published cell is the reference count, no shown count or
// complement is under 10, no detailed group under 10 respondents is a
// group, and (race counted as "multiple", the attacker's model) the exact
// attacker narrows no hidden count to fewer than 11 values.
func TestReleaseByRaceDetail(t *testing.T) {
	for _, n := range []int{400, 1500, 4000} {
		rs := detailResponses(uint64(7*n), n)
		s, _, err := survey.ImportCSV(bytes.NewReader(detailCSV(t, rs)), trainingInstrument(false), survey.ImportOptions{})
		require.NoError(t, err)
		shown := detailShown(rs, 10)
		for _, mode := range []survey.RaceMode{survey.AloneOrInCombination, survey.MultipleRaces} {
			t.Run(fmt.Sprintf("%d/%s", n, mode), func(t *testing.T) {
				bds := [][]survey.Dimension{{survey.ByRaceDetail}, {survey.ByGender}, {survey.ByRaceDetail, survey.ByGender}}
				if mode == survey.AloneOrInCombination {
					bds = append(bds, []survey.Dimension{survey.ByRace}, []survey.Dimension{survey.ByRace1997, survey.ByEthnicity1997})
				}
				rel := survey.Release{Standard: survey.WADOH(), Race: mode, Items: []string{"again"}, Breakdowns: bds}
				pub, err := s.Publish(rel)
				require.NoError(t, err)
				require.Empty(t, pub.Withheld)
				published := 0
				for _, tb := range pub.Report.Tables {
					if len(tb.Dimensions) == 0 || slices.Contains(tb.Dimensions, survey.ByRace) {
						continue
					}
					want := refCounts(rs, tb.Dimensions, mode, shown)
					for _, c := range tb.Cells {
						key := strings.Join(c.Group, "|")
						if g := c.Group[0]; tb.Dimensions[0] == survey.ByRaceDetail && bsk.RaceDetail(g).Valid() && !shown[bsk.RaceDetail(g)] {
							t.Fatalf("detailed group %q has fewer than 10 respondents but is a cell", g)
						}
						if c.Suppressed || c.N == nil || *c.N == 0 {
							continue
						}
						w := want[key]
						if *c.N != w[0] || *c.Count != w[1] {
							t.Fatalf("%v %q = %s; want %d of %d", tb.Dimensions, key, c, w[1], w[0])
						}
						for _, k := range []int{w[1], w[0] - w[1]} {
							if k > 0 && k < 10 {
								t.Fatalf("%v %q shows %d of %d: a count under 10", tb.Dimensions, key, w[1], w[0])
							}
						}
						published++
					}
				}
				t.Logf("%d cells published, withheld breakdowns %v, rolled up %v", published, pub.WithheldBreakdowns, pub.RolledUp)
				if n >= 4000 && published < 20 {
					t.Fatalf("%d cells published: the test tested little", published)
				}
				if mode == survey.MultipleRaces && n <= 1500 {
					checkRelease(t, s, rel, "again")
				}
			})
		}
	}
}

// TestPublishDropsUnprotectableRollUp: when the minimum categories by
// place cannot be protected either (four categories by three places of
// 34 respondents, about six disagreeing), the roll-up is dropped: the
// detailed breakdown stays withheld, no roll-up is listed, and the
// program-wide and one-way tables are published.
func TestPublishDropsUnprotectableRollUp(t *testing.T) {
	in := survey.Instrument{ID: "rc", Version: "1", Cycle: "2026", Items: []survey.Item{{Code: "again", Kind: survey.YesNo, Text: "Again?"}}}
	s, err := survey.NewSet(in)
	require.NoError(t, err)
	groups := []bsk.RaceDetail{"irish", "chinese", "somali", "mexican"}
	places := []bsk.Place{"seattle", "kent", "vashon"}
	for i := range 408 {
		cell := i % 12
		resp := survey.Response{Respondent: survey.Respondent{ID: fmt.Sprintf("r%04d", i)}}
		resp.Demographics.RaceDetail = []bsk.RaceDetail{groups[cell/3]}
		resp.Demographics.Race = []bsk.RaceEthnicity{categoryOf(groups[cell/3])}
		resp.Demographics.Place = places[cell%3]
		resp.Answers = map[string][]string{"again": {map[bool]string{true: "yes", false: "no"}[(i/12)%6 != 0]}}
		require.NoError(t, s.Add(resp))
	}
	detailed := []survey.Dimension{survey.ByRaceDetail, survey.ByPlace}
	rel := survey.Release{Standard: survey.WADOH(), Population: 450, Race: survey.MultipleRaces,
		Breakdowns: [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace}, detailed}}
	pub, err := s.Publish(rel)
	require.NoError(t, err)
	if diff := cmp.Diff([][]survey.Dimension{detailed}, pub.WithheldBreakdowns); diff != "" {
		t.Errorf("withheld breakdowns (-want +got):\n%s", diff)
	}
	require.Empty(t, pub.RolledUp)
	require.Empty(t, pub.Withheld)
	var dims [][]survey.Dimension
	for _, tb := range pub.Report.Tables {
		dims = append(dims, tb.Dimensions)
	}
	if diff := cmp.Diff([][]survey.Dimension{{}, {survey.ByRace}, {survey.ByPlace}}, dims); diff != "" {
		t.Errorf("published tables (-want +got):\n%s", diff)
	}
	require.False(t, pub.Covers([]survey.Dimension{survey.ByRace, survey.ByPlace}))
	checkRelease(t, s, rel, "again")
}

// TestRaceDetailWeighted checks weighted estimates by detailed group,
// alone or in combination (a respondent in several groups), against the
// linearized formulas worked from the responses: p = sum w y / sum w over
// the group's respondents answering, SE = sqrt(N/(N-1) sum w^2 (y -
// p)^2) / sum w, N every respondent of the set.
func TestRaceDetailWeighted(t *testing.T) {
	rs := detailResponses(5, 6000)
	r := rand.New(rand.NewPCG(5, 5))
	s, err := survey.NewSet(trainingInstrument(true))
	require.NoError(t, err)
	for i := range rs {
		rs[i].Weight = 0.5 + 3*r.Float64()
		require.NoError(t, s.Add(rs[i]))
	}
	std := survey.Unsuppressed()
	rep, err := s.Estimate(survey.Query{Items: []string{"again"}, Breakdowns: [][]survey.Dimension{{survey.ByRaceDetail}}, Disclosure: &std})
	require.NoError(t, err)
	tb, _ := rep.Table("again", survey.ByRaceDetail)
	shown := detailShown(rs, 0)
	checked := 0
	for _, c := range tb.Cells {
		var sw, swy float64
		var members []survey.Response
		for _, x := range rs {
			a, ok := x.Answers["again"]
			if !ok || (c.Group[0] != "" && !slices.Contains(raceRef(x, survey.ByRaceDetail, survey.AloneOrInCombination, shown), c.Group[0])) {
				continue
			}
			members = append(members, x)
			sw += x.Weight
			if a[0] == "yes" {
				swy += x.Weight
			}
		}
		if len(members) < 2 {
			continue
		}
		p := swy / sw
		var ss float64
		for _, x := range members {
			y := 0.0
			if x.Answers["again"][0] == "yes" {
				y = 1
			}
			ss += x.Weight * x.Weight * (y - p) * (y - p)
		}
		n := float64(len(rs))
		se := math.Sqrt(n/(n-1)*ss) / sw
		require.Equal(t, len(members), *c.N, "group %q", c.Group[0])
		require.InDelta(t, 100*p, *c.Percent, 1e-9, "group %q", c.Group[0])
		require.InDelta(t, 100*se, *c.SE, 1e-9, "group %q", c.Group[0])
		checked++
	}
	require.Greater(t, checked, 40)
}
