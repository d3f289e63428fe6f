package scholarship

import (
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// PipelineStep is a step of a cycle an application reaches or not.
type PipelineStep string

// The steps, in order. Each step after the first is reached only from the
// step it follows ([PipelineStep.Parent]): declined and completed both
// follow awarded.
const (
	StepApplied   PipelineStep = "applied"
	StepEligible  PipelineStep = "eligible"
	StepReviewed  PipelineStep = "reviewed"
	StepAboveLine PipelineStep = "above_line"
	StepAwarded   PipelineStep = "awarded"
	// StepDeclinedAward: the award was declined (see [StepDeclined] for
	// the decision record's step).
	StepDeclinedAward PipelineStep = "declined"
	StepCompleted     PipelineStep = "completed"
)

// PipelineSteps lists the steps in order.
func PipelineSteps() []PipelineStep {
	return []PipelineStep{StepApplied, StepEligible, StepReviewed, StepAboveLine, StepAwarded, StepDeclinedAward, StepCompleted}
}

// Parent is the step s follows ("" for applied): a group's rate at s is
// its count at s over its count at the parent.
func (s PipelineStep) Parent() PipelineStep {
	switch s {
	case StepEligible:
		return StepApplied
	case StepReviewed:
		return StepEligible
	case StepAboveLine:
		return StepReviewed
	case StepAwarded:
		return StepAboveLine
	case StepDeclinedAward, StepCompleted:
		return StepAwarded
	}
	return ""
}

// FourFifths is the adverse-impact threshold: a group whose rate at a step
// is below this share of the highest group's rate is flagged.
const FourFifths = 0.8

// PipelineEntry is one application and the steps it reached.
type PipelineEntry struct {
	Application Application
	Eligible    bool
	Reviewed    bool
	AboveLine   bool
	Awarded     bool
	Declined    bool
	Completed   bool
}

func (e PipelineEntry) reached() [7]bool {
	return [7]bool{true, e.Eligible, e.Reviewed, e.AboveLine, e.Awarded, e.Declined, e.Completed}
}

// PipelineInput builds a cycle's entries ([PipelineEntries]).
type PipelineInput struct {
	// Applications are the cycle's applications taken in; the result's
	// verdicts are in their order.
	Applications []Application
	Result       Result
	// Reviews are the reviewers' scores: an application with one is
	// reviewed.
	Reviews []Review
	// Line is the score an award needs: a reviewed application whose
	// total is at least Line is above the line.
	Line float64
	// Declined lists the applications whose award was declined, besides
	// those whose record says so ([StepDeclined]).
	Declined []string
	// Completion, when set, says who completed, as of AsOf (every entry
	// when zero).
	Completion *Completion
	AsOf       time.Time
}

// PipelineEntries reads a cycle's outcome into pipeline entries, in the
// order of the applications. An award counts as reached whether or not it
// was later declined.
//
// Errors: invalid when the result does not cover the applications, or an
// application was awarded below the line or without a review.
func PipelineEntries(in PipelineInput) ([]PipelineEntry, error) {
	if len(in.Result.Verdicts) != len(in.Applications) {
		return nil, bsk.Invalidf("result.verdicts", "%d verdicts for %d applications", len(in.Result.Verdicts), len(in.Applications))
	}
	reviewed := map[string]bool{}
	for _, r := range in.Reviews {
		reviewed[r.ApplicationID] = true
	}
	score := map[string]float64{}
	for _, s := range in.Result.Scores {
		score[s.ApplicationID] = s.Total
	}
	awarded, declined := map[string]bool{}, map[string]bool{}
	for _, a := range in.Result.Allocation.Awards {
		awarded[a.ApplicationID] = true
	}
	for _, r := range in.Result.Records {
		if r.Step == StepDeclined {
			awarded[r.ApplicationID], declined[r.ApplicationID] = true, true
		}
	}
	for _, id := range in.Declined {
		awarded[id], declined[id] = true, true
	}
	var p bsk.Problems
	out := make([]PipelineEntry, len(in.Applications))
	for i, a := range in.Applications {
		e := PipelineEntry{Application: a, Eligible: in.Result.Verdicts[i].Outcome == Eligible}
		e.Reviewed = e.Eligible && reviewed[a.ID]
		e.AboveLine = e.Reviewed && score[a.ID] >= in.Line
		e.Awarded = awarded[a.ID]
		e.Declined = declined[a.ID]
		if in.Completion != nil && e.Awarded && !e.Declined {
			if st, ok := in.Completion.ledger.Status(a.ID, in.AsOf); ok {
				e.Completed = st.Completed
			}
		}
		if e.Awarded && !e.AboveLine {
			p.Add(bsk.Index("applications", i), "application %q was awarded without a review at or above the line", a.ID)
		}
		out[i] = e
	}
	return out, p.Err()
}

// PipelineCell is one group's figure at one step after disclosure
// control.
type PipelineCell struct {
	// Count is how many of the group reached the step; nil when hidden.
	Count *int `json:"count"`
	// Rate is Count over the group's count at the step before
	// ([PipelineStep.Parent]); nil at applied, when either count is
	// hidden, or when the one before is 0.
	Rate *float64 `json:"rate,omitempty"`
	// Ratio is Rate over the highest Rate shown for the dimension's groups
	// at the step; nil when Rate is, when the highest is 0, and at
	// declined, where a lower rate is no adverse impact.
	Ratio *float64 `json:"ratio,omitempty"`
	// BelowFourFifths is true when Ratio is below [FourFifths].
	BelowFourFifths bool `json:"below_four_fifths,omitempty"`
	// Hidden names the standard that hid Count, as "<standard>:suppressed"
	// (never which of its rules).
	Hidden string `json:"hidden,omitempty"`
}

// PipelineRow is one group's figures, one cell per step.
type PipelineRow struct {
	// Dimension is "race", "place", "language" or "agency_kind".
	Dimension string         `json:"dimension"`
	Group     string         `json:"group"`
	Cells     []PipelineCell `json:"cells"`
}

// PipelineTable is where in a cycle each group of applicants falls away,
// after disclosure control.
type PipelineTable struct {
	// Disclosure names the standard applied.
	Disclosure string         `json:"disclosure"`
	Steps      []PipelineStep `json:"steps"`
	Rows       []PipelineRow  `json:"rows"`
	// Total counts every application once.
	Total PipelineRow `json:"total"`
}

// pipelineDims are the dimensions in order, each with its groups for an
// application: race (each category alone or in combination, "multiple",
// "not_reported"), place (region), language (each language the applicant
// works in) and agency kind.
var pipelineDims = []struct {
	name   string
	groups func(Application) []string
}{
	{"race", func(a Application) []string {
		d := a.Applicant.Demographics
		if len(d.Race) == 0 {
			return []string{"not_reported"}
		}
		var out []string
		for _, r := range d.Race {
			out = append(out, string(r))
		}
		if d.MultiRace() {
			out = append(out, "multiple")
		}
		return out
	}},
	{"place", func(a Application) []string {
		region := string(a.Applicant.Place.Region())
		if region == "" {
			region = string(a.Applicant.Demographics.Place.Region())
		}
		if region == "" {
			region = "not_reported"
		}
		return []string{region}
	}},
	{"language", func(a Application) []string {
		if len(a.Applicant.Languages) == 0 {
			return []string{"not_reported"}
		}
		out := make([]string, 0, len(a.Applicant.Languages))
		for _, l := range a.Applicant.Languages {
			if !slices.Contains(out, string(l)) {
				out = append(out, string(l))
			}
		}
		return out
	}},
	{"agency_kind", func(a Application) []string {
		if a.Applicant.Employer == nil || a.Applicant.Employer.Kind == "" {
			return []string{"none"}
		}
		return []string{string(a.Applicant.Employer.Kind)}
	}},
}

// Pipeline counts, for each group of each dimension (race, place,
// language, agency kind), how many applications reached each step
// (applied, eligible, reviewed, above the line, awarded, declined,
// completed), each group's rate at a step over the step before, and that
// rate over the highest group's (the four-fifths rule: below
// [FourFifths] is flagged).
//
// Every figure passes through the disclosure standard d, one dimension at
// a time: small counts are hidden, with their complements against the
// applied count and against the step before (a group "all but 3 of whom
// were awarded" is hidden as 3 would be), and secondary suppression hides
// another count, or the total, wherever one hidden count could be
// recomputed from its step's total and the other groups; a total hidden
// for one dimension is hidden for all. A rate or ratio is computed only
// from counts shown, and the highest rate is the highest shown, so none
// gives a hidden count away.
//
// Errors: invalid for entries that reach a step without the one before
// (declined and completed together included), or for a bad standard.
func Pipeline(entries []PipelineEntry, d survey.Disclosure) (PipelineTable, error) {
	var pr bsk.Problems
	for i, e := range entries {
		r := e.reached()
		for j, s := range PipelineSteps() {
			if j == 0 || !r[j] {
				continue
			}
			if pj := slices.Index(PipelineSteps(), s.Parent()); !r[pj] {
				pr.Add(bsk.Index("entries", i), "reaches %s without %s", s, s.Parent())
			}
		}
		if e.Declined && e.Completed {
			pr.Add(bsk.Index("entries", i), "both declined and completed")
		}
	}
	if err := pr.Err(); err != nil {
		return PipelineTable{}, err
	}
	steps := PipelineSteps()
	cols := make([]string, len(steps))
	for j, s := range steps {
		cols[j] = string(s)
	}
	totals := make([]int, len(steps))
	type group struct {
		dim, name string
		counts    []int
	}
	var groups []*group
	index := map[[2]string]*group{}
	for _, e := range entries {
		r := e.reached()
		for j := range steps {
			if r[j] {
				totals[j]++
			}
		}
		for _, dim := range pipelineDims {
			for _, g := range dim.groups(e.Application) {
				k := [2]string{dim.name, g}
				gr := index[k]
				if gr == nil {
					gr = &group{dim: dim.name, name: g, counts: make([]int, len(steps))}
					index[k] = gr
					groups = append(groups, gr)
				}
				for j := range steps {
					if r[j] {
						gr.counts[j]++
					}
				}
			}
		}
	}
	dimOf := func(name string) int {
		return slices.IndexFunc(pipelineDims, func(x struct {
			name   string
			groups func(Application) []string
		}) bool {
			return x.name == name
		})
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		if a.dim != b.dim {
			return dimOf(a.dim) - dimOf(b.dim)
		}
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})

	out := PipelineTable{Disclosure: d.Name, Steps: steps, Rows: []PipelineRow{}}
	hiddenTotal := make([]bool, len(steps))
	for start := 0; start < len(groups); {
		end := start
		for end < len(groups) && groups[end].dim == groups[start].dim {
			end++
		}
		t := survey.CountTable{Columns: cols, Totals: totals}
		for _, g := range groups[start:end] {
			t.Rows = append(t.Rows, g.name)
			t.Counts = append(t.Counts, g.counts)
		}
		p, err := d.ProtectCounts(t)
		if err != nil {
			return PipelineTable{}, err
		}
		hidden := make([][]bool, len(t.Rows))
		for i := range t.Rows {
			hidden[i] = make([]bool, len(steps))
			for j := range steps {
				hidden[i][j] = p.Counts[i][j] == nil
			}
		}
		tot := make([]bool, len(steps))
		for j := range steps {
			tot[j] = p.Totals[j] == nil
		}
		protectChain(d, t, hidden, tot)
		for i, g := range groups[start:end] {
			row := PipelineRow{Dimension: g.dim, Group: g.name, Cells: make([]PipelineCell, len(steps))}
			for j := range steps {
				if hidden[i][j] {
					row.Cells[j].Hidden = d.Name + ":suppressed"
					continue
				}
				c := g.counts[j]
				row.Cells[j].Count = &c
			}
			out.Rows = append(out.Rows, row)
		}
		for j := range steps {
			hiddenTotal[j] = hiddenTotal[j] || tot[j]
		}
		start = end
	}
	out.Total = PipelineRow{Cells: make([]PipelineCell, len(steps))}
	for j := range steps {
		if hiddenTotal[j] {
			out.Total.Cells[j].Hidden = d.Name + ":suppressed"
			continue
		}
		c := totals[j]
		out.Total.Cells[j].Count = &c
	}
	rates(&out.Total)
	for i := range out.Rows {
		rates(&out.Rows[i])
	}
	ratios(out.Rows, len(steps))
	return out, nil
}

// protectChain hides, in one dimension's table, a count whose difference
// from the step before is small (the standard's complement rule, against
// the step before as ProtectCounts applies it against the first), then
// repeats secondary suppression over what is hidden now.
func protectChain(d survey.Disclosure, t survey.CountTable, hidden [][]bool, tot []bool) {
	if d.Off || d.MinCount <= 0 {
		return
	}
	small := func(c int) bool { return c < d.MinCount && (c > 0 || (d.HideZero && c == 0)) }
	steps := PipelineSteps()
	if d.Complement {
		for i, row := range t.Counts {
			for j, s := range steps {
				if j == 0 {
					continue
				}
				pj := slices.Index(steps, s.Parent())
				if small(row[pj] - row[j]) {
					hidden[i][j] = true
				}
			}
		}
	}
	if !d.Secondary {
		return
	}
	for j := range steps {
		for !tot[j] {
			n, best := 0, -1
			for i := range t.Rows {
				c := t.Counts[i][j]
				switch {
				case hidden[i][j]:
					if c > 0 {
						n++
					}
				case c > 0 && (best < 0 || c < t.Counts[best][j]):
					best = i
				}
			}
			if n != 1 {
				break
			}
			if best >= 0 {
				hidden[best][j] = true
			} else {
				tot[j] = true
			}
		}
	}
}

// rates fills each cell's rate over the step before, from counts shown.
func rates(r *PipelineRow) {
	steps := PipelineSteps()
	for j, s := range steps {
		if j == 0 {
			continue
		}
		p := r.Cells[slices.Index(steps, s.Parent())].Count
		c := r.Cells[j].Count
		if c == nil || p == nil || *p == 0 {
			continue
		}
		v := float64(*c) / float64(*p)
		r.Cells[j].Rate = &v
	}
}

// ratios fills each cell's ratio to the highest rate shown in its
// dimension at its step, and the four-fifths flag.
func ratios(rows []PipelineRow, nSteps int) {
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].Dimension == rows[start].Dimension {
			end++
		}
		for j := 1; j < nSteps; j++ {
			if PipelineSteps()[j] == StepDeclinedAward {
				continue // fewer declines is not adverse
			}
			best := 0.0
			for _, r := range rows[start:end] {
				if rt := r.Cells[j].Rate; rt != nil && *rt > best {
					best = *rt
				}
			}
			if best == 0 {
				continue
			}
			for i := start; i < end; i++ {
				c := &rows[i].Cells[j]
				if c.Rate == nil {
					continue
				}
				v := *c.Rate / best
				c.Ratio = &v
				c.BelowFourFifths = v < FourFifths
			}
		}
		start = end
	}
}
