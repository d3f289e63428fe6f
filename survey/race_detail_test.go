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
