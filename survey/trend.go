package survey

import (
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// The tests of a trend cell.
const (
	// TestTwoProportion is the two-proportion z test on the cells'
	// design-based standard errors: z = (p2 - p1) / sqrt(SE1^2 + SE2^2),
	// the two cycles' samples independent.
	TestTwoProportion = "two_proportion_z"
	// TestMeanDifference is the z test of a Likert item's difference of
	// means on the means' standard errors, the same way.
	TestMeanDifference = "mean_difference_z"
)

// The reasons a trend cell has no figure.
const (
	// MissingHiddenFrom and MissingHiddenTo say the cell is hidden or
	// top-coded in the earlier or the later release; MissingHiddenBoth
	// in both.
	MissingHiddenFrom = "hidden_in_from"
	MissingHiddenTo   = "hidden_in_to"
	MissingHiddenBoth = "hidden_in_both"
	// MissingNoResponses says nobody in the group answered in one cycle.
	MissingNoResponses = "no_responses"
	// MissingNotInFrom and MissingNotInTo say the group exists in one
	// release only (no respondent of it in the other cycle).
	MissingNotInFrom = "not_in_from"
	MissingNotInTo   = "not_in_to"
	// MissingNoVariance says both standard errors are 0 (every
	// respondent alike in both cycles): no test is defined.
	MissingNoVariance = "no_variance"
)

// Trend is the change of every cell of a report between two cycles of an
// instrument, computed only from what the two releases publish.
type Trend struct {
	// From describes the earlier report: instrument, cycle, disclosure
	// standard and responses.
	From TrendSide `json:"from"`
	// To describes the later report.
	To TrendSide `json:"to"`
	// Compared is the number of cells tested: the family over which the
	// p-values are adjusted (Holm).
	Compared int          `json:"compared"`
	Tables   []TrendTable `json:"tables"`
}

// TrendSide names one of the two reports of a trend.
type TrendSide struct {
	Instrument string `json:"instrument"`
	Cycle      string `json:"cycle"`
	Disclosure string `json:"disclosure"`
	Responses  int    `json:"responses"`
}

// TrendTable is one item's trend under one breakdown (none for the
// program-wide total), its dimensions in the later report's order.
type TrendTable struct {
	Item       string      `json:"item"`
	Text       string      `json:"text"`
	Dimensions []Dimension `json:"dimensions"`
	Cells      []TrendCell `json:"cells"`
}

// TrendCell is one group's change. A cell without a figure has Missing
// set, saying why, and nothing else but its group.
type TrendCell struct {
	// Group has one value per dimension, "" for a margin.
	Group []string `json:"group"`
	// From is the earlier report's published percentage.
	From *float64 `json:"from,omitempty"`
	// To is the later report's published percentage.
	To *float64 `json:"to,omitempty"`
	// Points is To - From, in percentage points.
	Points *float64 `json:"points,omitempty"`
	// MeanFrom and MeanTo are a Likert item's published means;
	// MeanDifference is MeanTo - MeanFrom.
	MeanFrom       *float64 `json:"mean_from,omitempty"`
	MeanTo         *float64 `json:"mean_to,omitempty"`
	MeanDifference *float64 `json:"mean_difference,omitempty"`
	// Test names the test: TestTwoProportion on the percentages, or
	// TestMeanDifference on a Likert item's means. SE is the standard
	// error of the tested difference (percentage points, or scale points
	// for a mean), Z the statistic and PValue its two-sided p-value.
	Test   string   `json:"test,omitempty"`
	SE     *float64 `json:"se,omitempty"`
	Z      *float64 `json:"z,omitempty"`
	PValue *float64 `json:"p_value,omitempty"`
	// AdjustedPValue is PValue adjusted by Holm's method over every cell
	// of the trend tested; Significant says it is below 0.05.
	AdjustedPValue *float64 `json:"adjusted_p_value,omitempty"`
	Significant    bool     `json:"significant"`
	// Missing says why the cell has no figure (see MissingHiddenFrom and
	// the other reasons); empty when it has one.
	Missing string `json:"missing,omitempty"`
}

// CompareReleases gives the trend between two releases: every cell of
// every item and breakdown both publish. Items and breakdowns select (an
// empty list: every item with a table in both; the program-wide totals
// only); a breakdown or item either release does not publish is an
// invalid error naming "from" or "to" and the field ("to.breakdowns[0]").
// The figures are the published ones only, so a cell hidden in either
// release has no trend figure (see [CompareReports]).
func CompareReleases(from, to *Publication, items []string, breakdowns [][]Dimension) (*Trend, error) {
	if from == nil || to == nil || from.Report == nil || to.Report == nil {
		return nil, bsk.Invalidf("", "a trend needs two publications")
	}
	if len(items) == 0 {
		for _, t := range to.Report.Tables {
			if len(t.Dimensions) == 0 && slices.ContainsFunc(from.Report.Tables, func(f Table) bool { return f.Item == t.Item }) {
				items = append(items, t.Item)
			}
		}
		if len(items) == 0 {
			return nil, bsk.Invalidf("items", "the two releases publish no item in common")
		}
	}
	var pr bsk.Problems
	fr, err := from.Select(items, breakdowns)
	if err != nil {
		pr.Merge("from", err)
	}
	tr, err := to.Select(items, breakdowns)
	if err != nil {
		pr.Merge("to", err)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return CompareReports(fr, tr), nil
}

// CompareReports gives the change of every cell of the later report's
// tables that the earlier report has too (the same item and dimensions,
// in any order), cell by cell by group. Only published figures are used:
// a cell hidden or top-coded in either report, a group nobody answered
// for, and a group present in one report only have no figure and say why
// (Missing), so a trend never reveals what disclosure control hid. The
// percentages are tested by the two-proportion z test on the cells'
// design-based standard errors ([Cell.SE]), a Likert item's means by the
// difference of means on [Cell.MeanSE]; the p-values are adjusted by
// Holm's method over every cell tested.
func CompareReports(from, to *Report) *Trend {
	tr := &Trend{Tables: []TrendTable{}}
	if from == nil || to == nil {
		return tr
	}
	tr.From = TrendSide{from.Instrument, from.Cycle, from.Disclosure, from.Responses}
	tr.To = TrendSide{to.Instrument, to.Cycle, to.Disclosure, to.Responses}
	var tested []*TrendCell
	for _, t := range to.Tables {
		k := slices.IndexFunc(from.Tables, func(f Table) bool { return f.Item == t.Item && sameDimensions(f.Dimensions, t.Dimensions) })
		if k < 0 {
			continue
		}
		tr.Tables = append(tr.Tables, trendTable(from.Tables[k], t))
	}
	for n := range tr.Tables {
		for c := range tr.Tables[n].Cells {
			if tr.Tables[n].Cells[c].PValue != nil {
				tested = append(tested, &tr.Tables[n].Cells[c])
			}
		}
	}
	ps := make([]float64, len(tested))
	for k, c := range tested {
		ps[k] = *c.PValue
	}
	for k, adj := range Holm(ps) {
		tested[k].AdjustedPValue = &adj
		tested[k].Significant = adj < 0.05
	}
	tr.Compared = len(tested)
	return tr
}

// trendTable compares one item's table under one breakdown; the earlier
// table's groups are put in the later table's order of dimensions.
func trendTable(from, to Table) TrendTable {
	out := TrendTable{Item: to.Item, Text: to.Text, Dimensions: slices.Clone(to.Dimensions), Cells: []TrendCell{}}
	if out.Dimensions == nil {
		out.Dimensions = []Dimension{}
	}
	perm := make([]int, len(to.Dimensions)) // to's dimension k is from's perm[k]
	for k, d := range to.Dimensions {
		perm[k] = slices.Index(from.Dimensions, d)
	}
	key := func(g []string) string {
		b := []byte{}
		for _, v := range g {
			b = append(b, v...)
			b = append(b, 0)
		}
		return string(b)
	}
	earlier := map[string]int{}
	for c, cell := range from.Cells {
		g := make([]string, len(perm))
		for k, j := range perm {
			if j >= 0 && j < len(cell.Group) {
				g[k] = cell.Group[j]
			}
		}
		earlier[key(g)] = c
	}
	likert := hasMean(from) && hasMean(to)
	seen := map[string]bool{}
	for _, cell := range to.Cells {
		k := key(cell.Group)
		seen[k] = true
		c, ok := earlier[k]
		if !ok {
			out.Cells = append(out.Cells, TrendCell{Group: slices.Clone(cell.Group), Missing: MissingNotInFrom})
			continue
		}
		out.Cells = append(out.Cells, trendCell(from.Cells[c], cell, likert))
	}
	for _, cell := range from.Cells {
		g := make([]string, len(perm))
		for k, j := range perm {
			if j >= 0 && j < len(cell.Group) {
				g[k] = cell.Group[j]
			}
		}
		if !seen[key(g)] {
			out.Cells = append(out.Cells, TrendCell{Group: g, Missing: MissingNotInTo})
		}
	}
	return out
}

// hasMean reports whether a table shows a Likert mean in some cell.
func hasMean(t Table) bool {
	return slices.ContainsFunc(t.Cells, func(c Cell) bool { return c.Mean != nil })
}

// hiddenCell reports whether a published cell hides its figures.
func hiddenCell(c Cell) bool { return c.Suppressed || c.Range != "" }

// trendCell compares one group's published cells.
func trendCell(from, to Cell, likert bool) TrendCell {
	out := TrendCell{Group: slices.Clone(to.Group)}
	hf, ht := hiddenCell(from), hiddenCell(to)
	switch {
	case hf && ht:
		out.Missing = MissingHiddenBoth
		return out
	case hf:
		out.Missing = MissingHiddenFrom
		return out
	case ht:
		out.Missing = MissingHiddenTo
		return out
	case from.Percent == nil || to.Percent == nil || from.SE == nil || to.SE == nil:
		out.Missing = MissingNoResponses
		return out
	}
	f := func(x float64) *float64 { return &x }
	out.From, out.To, out.Points = f(*from.Percent), f(*to.Percent), f(*to.Percent-*from.Percent)
	diff, s1, s2 := *out.Points, *from.SE, *to.SE
	out.Test = TestTwoProportion
	if likert {
		if from.Mean == nil || to.Mean == nil || from.MeanSE == nil || to.MeanSE == nil {
			out = TrendCell{Group: out.Group, Missing: MissingNoResponses}
			return out
		}
		out.MeanFrom, out.MeanTo, out.MeanDifference = f(*from.Mean), f(*to.Mean), f(*to.Mean-*from.Mean)
		diff, s1, s2 = *out.MeanDifference, *from.MeanSE, *to.MeanSE
		out.Test = TestMeanDifference
	}
	z, se, p, ok := DifferenceTest(diff, s1, s2)
	if !ok {
		out.Test, out.Missing = "", MissingNoVariance
		return out
	}
	out.SE, out.Z, out.PValue = f(se), f(z), f(p)
	return out
}

// DifferenceTest is the z test of a difference between two independent
// estimates with standard errors se1 and se2: the difference's standard
// error sqrt(se1^2 + se2^2), z = diff / se and the two-sided normal
// p-value. It reports false when the standard error is 0 or a figure is
// not finite.
func DifferenceTest(diff, se1, se2 float64) (z, se, pValue float64, ok bool) {
	se = math.Hypot(se1, se2)
	if !(se > 0) || math.IsInf(se, 0) || math.IsNaN(diff) || math.IsInf(diff, 0) {
		return 0, 0, 0, false
	}
	z = diff / se
	return z, se, 2 * normalSF(math.Abs(z)), true
}

// Holm adjusts p-values for multiple comparisons by Holm's step-down
// method, as R's p.adjust(p, "holm"): with the m p-values in increasing
// order, the k-th (from 0) becomes the largest of min(1, (m-j) p_j) over
// j up to k. The result is in the input's order.
func Holm(p []float64) []float64 {
	m := len(p)
	order := make([]int, m)
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, m)
	running := 0.0
	for k, i := range order {
		running = math.Max(running, math.Min(1, float64(m-k)*p[i]))
		out[i] = running
	}
	return out
}
