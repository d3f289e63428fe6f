package scholarship_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
	"github.com/google/go-cmp/cmp"
)

// randomEntries makes n applications with skewed pass rates by place and
// agency kind, so that some groups fall away and some are small.
func randomEntries(r *rand.Rand, n int) []scholarship.PipelineEntry {
	places := []bsk.Place{"seattle", "shoreline", "kirkland", "kent", "vashon"}
	kinds := []bsk.OrganizationKind{bsk.OrgCommunityBased, bsk.OrgClinic, bsk.OrgChildCare, bsk.OrgTribal}
	langs := []bsk.Language{bsk.English, bsk.Spanish, bsk.Somali, bsk.Vietnamese}
	races := []bsk.RaceEthnicity{bsk.RaceAsian, bsk.RaceBlack, bsk.RaceHispanicLatinx, bsk.RaceWhite}
	out := make([]scholarship.PipelineEntry, n)
	for i := range out {
		a := app(fmt.Sprintf("a%04d", i))
		pi, ki := r.IntN(len(places)), r.IntN(len(kinds))
		a.Applicant.Place = places[pi]
		a.Applicant.Employer = &bsk.Organization{ID: "o", Name: "O", Kind: kinds[ki], Place: places[pi], ServesYoungChildren: true}
		a.Applicant.Languages = []bsk.Language{langs[r.IntN(len(langs))]}
		if r.IntN(5) == 0 {
			a.Applicant.Languages = append(a.Applicant.Languages, bsk.English)
		}
		for _, rc := range races {
			if r.IntN(3) == 0 {
				a.Applicant.Demographics.Race = append(a.Applicant.Demographics.Race, rc)
			}
		}
		// Some groups nearly all pass a step (a few falling away is what
		// differencing would reveal), others fall away fast.
		// In some, many fall away at eligibility and few after, so a
		// step's drop from the one before is small where its drop from
		// applied is not.
		rate := []int{97, 90, 70, 50, 35}[pi] - 3*ki
		pass := func() bool { return r.IntN(100) < rate }
		e := scholarship.PipelineEntry{Application: a}
		e.Eligible = r.IntN(100) < []int{60, 97, 70, 50, 35}[pi]
		e.Reviewed = e.Eligible && pass()
		e.AboveLine = e.Reviewed && pass()
		e.Awarded = e.AboveLine && pass()
		e.Declined = e.Awarded && r.IntN(6) == 0
		e.Completed = e.Awarded && !e.Declined && pass()
		out[i] = e
	}
	return out
}

// TestPipelineHandChecked: two agency kinds of 20, one of whose
// eligibility rate is half the other's.
func TestPipelineHandChecked(t *testing.T) {
	var entries []scholarship.PipelineEntry
	for i := range 40 {
		a := app(fmt.Sprintf("a%02d", i))
		kind := bsk.OrgClinic
		if i >= 20 {
			kind = bsk.OrgTribal
		}
		a.Applicant.Employer = &bsk.Organization{ID: "o", Name: "O", Kind: kind, Place: "kent", ServesYoungChildren: true}
		e := scholarship.PipelineEntry{Application: a, Eligible: i < 20 || i%2 == 0}
		e.Reviewed, e.AboveLine, e.Awarded = e.Eligible, e.Eligible, e.Eligible && i%4 < 3
		entries = append(entries, e)
	}
	// Clinic: 20 applied, 20 eligible, reviewed, above the line, 15
	// awarded (i%4 < 3). Tribal: 20 applied, 10 eligible (even i), all 10
	// of them (i%4 is 0 or 2) reviewed, above the line and awarded. The
	// tribal eligibility rate is half the clinics'; the clinics' award
	// rate is three quarters of the tribal agencies'.
	tab, err := scholarship.Pipeline(entries, survey.Unsuppressed())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range tab.Rows {
		if r.Dimension != "agency_kind" {
			continue
		}
		for j, c := range r.Cells {
			s := fmt.Sprint(*c.Count)
			if c.Rate != nil {
				s += fmt.Sprintf(" rate %.2f", *c.Rate)
			}
			if c.Ratio != nil {
				s += fmt.Sprintf(" ratio %.2f", *c.Ratio)
			}
			if c.BelowFourFifths {
				s += " flagged"
			}
			got[r.Group+" "+string(tab.Steps[j])] = s
		}
	}
	want := map[string]string{
		"clinic applied": "20", "clinic eligible": "20 rate 1.00 ratio 1.00", "clinic reviewed": "20 rate 1.00 ratio 1.00",
		"clinic above_line": "20 rate 1.00 ratio 1.00", "clinic awarded": "15 rate 0.75 ratio 0.75 flagged",
		"clinic declined": "0 rate 0.00", "clinic completed": "0 rate 0.00",
		"tribal applied": "20", "tribal eligible": "10 rate 0.50 ratio 0.50 flagged", "tribal reviewed": "10 rate 1.00 ratio 1.00",
		"tribal above_line": "10 rate 1.00 ratio 1.00", "tribal awarded": "10 rate 1.00 ratio 1.00",
		"tribal declined": "0 rate 0.00", "tribal completed": "0 rate 0.00",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agency_kind cells (-want +got):\n%s", diff)
	}
}

// TestPipelineCountsIndependently checks every count, unsuppressed,
// against counts made here from the entries.
func TestPipelineCountsIndependently(t *testing.T) {
	entries := randomEntries(rand.New(rand.NewPCG(19, 6)), 400)
	tab, err := scholarship.Pipeline(entries, survey.Unsuppressed())
	if err != nil {
		t.Fatal(err)
	}
	reached := func(e scholarship.PipelineEntry) []bool {
		return []bool{true, e.Eligible, e.Reviewed, e.AboveLine, e.Awarded, e.Declined, e.Completed}
	}
	member := func(dim, group string, a scholarship.Application) bool {
		switch dim {
		case "place":
			return string(a.Applicant.Place.Region()) == group
		case "agency_kind":
			return string(a.Applicant.Employer.Kind) == group
		case "language":
			return slices.Contains(a.Applicant.Languages, bsk.Language(group))
		case "race":
			d := a.Applicant.Demographics
			return slices.Contains(d.Race, bsk.RaceEthnicity(group)) || (group == "multiple" && len(d.Race) > 1) || (group == "not_reported" && len(d.Race) == 0)
		}
		return false
	}
	dims := map[string]int{}
	for _, row := range tab.Rows {
		dims[row.Dimension]++
		for j := range tab.Steps {
			want := 0
			for _, e := range entries {
				if member(row.Dimension, row.Group, e.Application) && reached(e)[j] {
					want++
				}
			}
			if got := *row.Cells[j].Count; got != want {
				t.Errorf("%s %s at %s = %d; want %d", row.Dimension, row.Group, tab.Steps[j], got, want)
			}
		}
	}
	if diff := cmp.Diff(map[string]int{"race": 6, "place": 4, "language": 4, "agency_kind": 4}, dims); diff != "" {
		t.Errorf("groups per dimension (-want +got):\n%s", diff)
	}
}

// TestPipelineDifferencing attacks protected tables of generated cycles
// as a reader would: it bounds every hidden count by the steps' totals
// over the groups of a dimension that partitions the applicants (place,
// agency kind), by each step being at most the step before, and by what
// is shown, and fails if any hidden non-zero count is pinned to one
// value. It also checks that no small count or small difference from the
// step before or from applied is shown, and that rates and ratios use
// shown counts only.
func TestPipelineDifferencing(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 7))
	d := survey.WADOH()
	hiddenSeen := 0
	for trial := range 150 {
		entries := randomEntries(r, 20+r.IntN(600))
		tab, err := scholarship.Pipeline(entries, d)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := scholarship.Pipeline(entries, survey.Unsuppressed())
		if err != nil {
			t.Fatal(err)
		}
		steps := tab.Steps
		parent := make([]int, len(steps))
		for j, s := range steps {
			parent[j] = slices.Index(steps, s.Parent())
		}
		for i, row := range tab.Rows {
			truth := raw.Rows[i]
			for j, c := range row.Cells {
				if c.Count == nil {
					hiddenSeen++
					if c.Hidden != "wa_doh:suppressed" || c.Rate != nil || c.Ratio != nil || c.BelowFourFifths {
						t.Errorf("trial %d: hidden %s/%s at %s shows %+v", trial, row.Dimension, row.Group, steps[j], c)
					}
					continue
				}
				if n := *c.Count; n > 0 && n < 10 {
					t.Errorf("trial %d: %s/%s at %s shows %d", trial, row.Dimension, row.Group, steps[j], n)
				}
				for _, p := range []int{parent[j], 0} {
					if j == 0 || row.Cells[p].Count == nil {
						continue
					}
					if diff := *row.Cells[p].Count - *c.Count; diff > 0 && diff < 10 {
						t.Errorf("trial %d: %s/%s shows %d at %s and %d at %s: %d fell away", trial, row.Dimension, row.Group,
							*row.Cells[p].Count, steps[p], *c.Count, steps[j], diff)
					}
				}
				if c.Rate != nil && (row.Cells[parent[j]].Count == nil || *c.Rate != float64(*c.Count)/float64(*row.Cells[parent[j]].Count)) {
					t.Errorf("trial %d: %s/%s at %s has rate %v from counts not shown", trial, row.Dimension, row.Group, steps[j], *c.Rate)
				}
				_ = truth
			}
		}
		for _, dim := range []string{"place", "agency_kind"} {
			if leak := attackPartition(tab, raw, dim); leak != "" {
				t.Fatalf("trial %d: %s", trial, leak)
			}
		}
	}
	if hiddenSeen == 0 {
		t.Error("no count hidden in any trial; the generator should make small groups")
	}
}

// attackPartition bounds every hidden count of one partitioning
// dimension by interval propagation over: each step's groups summing to
// its total, each count at most its parent step's and at least 0, and
// declined plus completed at most awarded. It returns a description of a
// hidden non-zero count pinned to its value, or "".
func attackPartition(tab, raw scholarship.PipelineTable, dim string) string {
	steps := tab.Steps
	var rows []int
	for i, r := range tab.Rows {
		if r.Dimension == dim {
			rows = append(rows, i)
		}
	}
	G, S := len(rows), len(steps)
	big := 1 << 30
	lo, hi := make([][]int, G+1), make([][]int, G+1) // row G is the total
	for g := range G + 1 {
		lo[g], hi[g] = make([]int, S), make([]int, S)
		for j := range S {
			var c *int
			if g < G {
				c = tab.Rows[rows[g]].Cells[j].Count
			} else {
				c = tab.Total.Cells[j].Count
			}
			if c != nil {
				lo[g][j], hi[g][j] = *c, *c
			} else {
				lo[g][j], hi[g][j] = 0, big
			}
		}
	}
	parent := make([]int, S)
	for j, s := range steps {
		parent[j] = slices.Index(steps, s.Parent())
	}
	declined, completed, awarded := slices.Index(steps, scholarship.StepDeclinedAward), slices.Index(steps, scholarship.StepCompleted), slices.Index(steps, scholarship.StepAwarded)
	for changed, round := true, 0; changed && round < 200; round++ {
		changed = false
		set := func(g, j, l, h int) {
			if l > lo[g][j] {
				lo[g][j], changed = l, true
			}
			if h < hi[g][j] {
				hi[g][j], changed = h, true
			}
		}
		for j := range S {
			sumLo, sumHi := 0, 0
			for g := range G {
				sumLo += lo[g][j]
				sumHi += hi[g][j]
			}
			set(G, j, sumLo, sumHi)
			for g := range G {
				set(g, j, lo[G][j]-(sumHi-hi[g][j]), hi[G][j]-(sumLo-lo[g][j]))
			}
			if j > 0 {
				for g := range G + 1 {
					set(g, j, 0, hi[g][parent[j]])
					set(g, parent[j], lo[g][j], big)
				}
			}
		}
		for g := range G + 1 {
			set(g, declined, 0, hi[g][awarded]-lo[g][completed])
			set(g, completed, 0, hi[g][awarded]-lo[g][declined])
			set(g, awarded, lo[g][declined]+lo[g][completed], big)
		}
	}
	for g := range G {
		for j := range S {
			row := tab.Rows[rows[g]]
			truth := *raw.Rows[rows[g]].Cells[j].Count
			if row.Cells[j].Count == nil && truth > 0 && lo[g][j] == hi[g][j] {
				return fmt.Sprintf("%s/%s at %s is hidden but pinned to %d", dim, row.Group, steps[j], lo[g][j])
			}
		}
	}
	for j := range S {
		if tab.Total.Cells[j].Count == nil && lo[G][j] == hi[G][j] && *raw.Total.Cells[j].Count > 0 {
			return fmt.Sprintf("the total at %s is hidden but pinned to %d", steps[j], lo[G][j])
		}
	}
	return ""
}

func TestPipelineInvalid(t *testing.T) {
	entries := []scholarship.PipelineEntry{
		{Application: app("a1"), Reviewed: true},
		{Application: app("a2"), Eligible: true, Reviewed: true, AboveLine: true, Awarded: true, Declined: true, Completed: true},
	}
	_, err := scholarship.Pipeline(entries, survey.WADOH())
	var es bsk.Errors
	if !errors.As(err, &es) {
		t.Fatalf("Pipeline = %v; want bsk.Errors", err)
	}
	var fields []string
	for _, e := range es {
		fields = append(fields, e.Field)
	}
	if diff := cmp.Diff([]string{"entries[0]", "entries[1]"}, fields); diff != "" {
		t.Errorf("problem fields (-want +got):\n%s", diff)
	}
}

func TestPipelineEntriesFromCycle(t *testing.T) {
	apps := []scholarship.Application{app("a1"), app("a2"), app("a3"), app("a4"), app("a5")}
	el := scholarship.Verdict{Outcome: scholarship.Eligible}
	res := scholarship.Result{
		Verdicts: []scholarship.Verdict{el, el, el, el, {Outcome: scholarship.Ineligible}},
		Scores: []scholarship.Score{{ApplicationID: "a1", Total: 80}, {ApplicationID: "a2", Total: 70}, {ApplicationID: "a3", Total: 40},
			{ApplicationID: "a4", Total: 90}, {ApplicationID: "a5", Total: 0}},
		Allocation: scholarship.Allocation{Awards: []scholarship.Award{{ApplicationID: "a1", Amount: 1_000_00}, {ApplicationID: "a4", Amount: 1_000_00}}},
		Records:    []scholarship.DecisionRecord{{ApplicationID: "a2", Step: scholarship.StepDeclined}},
	}
	reviews := []scholarship.Review{{ApplicationID: "a1"}, {ApplicationID: "a2"}, {ApplicationID: "a3"}, {ApplicationID: "a4"}}
	l := scholarship.NewLedger(esit().Cycles[1], res.Allocation)
	c := scholarship.NewCompletion(l)
	if _, err := c.Complete("a4", day.AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	got, err := scholarship.PipelineEntries(scholarship.PipelineInput{Applications: apps, Result: res, Reviews: reviews, Line: 50, Completion: c})
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range got {
		steps = append(steps, fmt.Sprint(e.Application.ID, e.Eligible, e.Reviewed, e.AboveLine, e.Awarded, e.Declined, e.Completed))
	}
	want := []string{"a1true true true true false false", "a2true true true true true false", "a3true true false false false false",
		"a4true true true true false true", "a5false false false false false false"}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	// An award below the line is refused.
	if _, err := scholarship.PipelineEntries(scholarship.PipelineInput{Applications: apps, Result: res, Reviews: reviews, Line: 85}); !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("PipelineEntries with a1 awarded below the line = %v; want invalid", err)
	}
}
