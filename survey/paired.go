package survey

import (
	"math"

	"github.com/beststarts/workforce/bsk"
)

// Paired is the change of one item between two surveys of the same people
// (before and after a certificate, say), matched by respondent ID. Its
// figures are unweighted: each pair counts once. A hidden result keeps its
// pair and unmatched counts only, with the rule that hid it.
type Paired struct {
	Item string `json:"item"`
	// Pairs are the respondents in both sets who answered the item both
	// times.
	Pairs int `json:"pairs"`
	// UnmatchedBefore and UnmatchedAfter count the respondents found in
	// one set only; Incomplete those in both who answered the item once.
	UnmatchedBefore int `json:"unmatched_before"`
	UnmatchedAfter  int `json:"unmatched_after"`
	Incomplete      int `json:"incomplete"`

	// For an item with an indicator: the pairs meeting it both times,
	// before only, after only and neither time.
	Both       *int `json:"both,omitempty"`
	BeforeOnly *int `json:"before_only,omitempty"`
	AfterOnly  *int `json:"after_only,omitempty"`
	Neither    *int `json:"neither,omitempty"`
	// Before and After are the percentages meeting the indicator;
	// Points is After - Before in percentage points, with its 95% Wald
	// interval for paired proportions, Low to High.
	Before *float64 `json:"before,omitempty"`
	After  *float64 `json:"after,omitempty"`
	Points *float64 `json:"points,omitempty"`
	Low    *float64 `json:"low,omitempty"`
	High   *float64 `json:"high,omitempty"`
	// Test is McNemar's test of the change: "mcnemar_exact" (the
	// two-sided binomial test of the discordant pairs, used below 25 of
	// them) or "mcnemar" (chi-square with continuity correction, as R's
	// mcnemar.test); Statistic is the chi-square (absent for the exact
	// test) and PValue the two-sided p-value.
	Test      string   `json:"test,omitempty"`
	Statistic *float64 `json:"statistic,omitempty"`
	PValue    *float64 `json:"p_value,omitempty"`

	// For a Likert or numeric item: the mean of each time, the mean
	// paired difference (after - before) and its 95% t interval with
	// Pairs - 1 degrees of freedom (R's t.test(paired = TRUE)).
	MeanBefore     *float64 `json:"mean_before,omitempty"`
	MeanAfter      *float64 `json:"mean_after,omitempty"`
	MeanDifference *float64 `json:"mean_difference,omitempty"`
	MeanLow        *float64 `json:"mean_low,omitempty"`
	MeanHigh       *float64 `json:"mean_high,omitempty"`
	// MeanPValue is the paired t-test's two-sided p-value.
	MeanPValue *float64 `json:"mean_p_value,omitempty"`

	// Suppressed says the figures are hidden, by Rule.
	Suppressed bool   `json:"suppressed"`
	Rule       string `json:"rule,omitempty"`
}

// ExactMcNemarBelow is the number of discordant pairs below which
// McNemar's test is the exact binomial test.
const ExactMcNemarBelow = 25

// ComparePaired matches the respondents of two sets by ID and measures the
// change of one item, which both instruments have with the same kind. The
// disclosure standard applies to the pairs as to a table: fewer pairs
// than its threshold ([Disclosure.Threshold]) hide every figure; for an
// item with an indicator, a small count (1 to MinCount-1, or 0 with
// HideZero) of any of the four kinds of pair hides every figure too,
// since the percentages, difference and test together give the counts
// back. Errors: not found for an unknown item; invalid for an item of
// another kind, one without indicator or numbers, or a standard without
// a rule.
func ComparePaired(before, after *Set, item string, d Disclosure) (Paired, error) {
	if err := d.check(); err != nil {
		return Paired{}, err
	}
	i, ok := before.itemIdx[item]
	j, ok2 := after.itemIdx[item]
	if !ok || !ok2 {
		return Paired{}, bsk.NotFoundf("item", "unknown item code %q in the before or after set", item)
	}
	it, jt := before.inst.Items[i], after.inst.Items[j]
	if it.Kind != jt.Kind {
		return Paired{}, bsk.Invalidf("item", "item %q is a %s item before and a %s item after", item, it.Kind, jt.Kind)
	}
	binary, numeric := it.HasIndicator(), it.Kind == Likert || it.Kind == Numeric
	if !binary && !numeric {
		return Paired{}, bsk.Invalidf("item", "item %q is a %s item: pairs compare items with an indicator or numbers", item, it.Kind)
	}
	meets := func(s *Set, k int) uint64 {
		var m uint64
		for _, c := range s.inst.Items[k].indicator() {
			m |= 1 << s.optIdx[k][c]
		}
		return m
	}
	// value reads respondent r's answer: whether it meets the indicator,
	// its number (a Likert score or a numeric answer), and whether the
	// item was answered.
	value := func(s *Set, k, r int, m uint64) (bool, float64, bool) {
		c := s.cols[k]
		if s.inst.Items[k].Kind == Numeric {
			x := c.num[r]
			return false, x, !math.IsNaN(x)
		}
		o := c.code[r]
		return o >= 0 && m&(1<<o) != 0, float64(o + 1), o >= 0
	}
	mb, ma := meets(before, i), meets(after, j)
	res := Paired{Item: item}
	var n11, n10, n01, n00 int
	var sumB, sumA, sumD, sumD2 float64
	for r, id := range before.ids {
		ra, ok := after.index[id]
		if !ok {
			res.UnmatchedBefore++
			continue
		}
		yb, xb, okb := value(before, i, r, mb)
		ya, xa, oka := value(after, j, ra, ma)
		if !okb || !oka {
			if okb || oka {
				res.Incomplete++
			}
			continue
		}
		res.Pairs++
		switch {
		case yb && ya:
			n11++
		case yb:
			n10++
		case ya:
			n01++
		default:
			n00++
		}
		sumB += xb
		sumA += xa
		sumD += xa - xb
		sumD2 += (xa - xb) * (xa - xb)
	}
	for _, id := range after.ids {
		if _, ok := before.index[id]; !ok {
			res.UnmatchedAfter++
		}
	}
	if v := d.pairVerdict(res.Pairs, []int{n11, n10, n01, n00}, binary); v != "" {
		res.Suppressed, res.Rule = true, v
		return res, nil
	}
	n := float64(res.Pairs)
	if n == 0 {
		return res, nil
	}
	f := func(x float64) *float64 { return &x }
	k := func(x int) *int { return &x }
	if binary {
		res.Both, res.BeforeOnly, res.AfterOnly, res.Neither = k(n11), k(n10), k(n01), k(n00)
		pb, pa := float64(n11+n10)/n, float64(n11+n01)/n
		diff := pa - pb
		se := math.Sqrt(float64(n10+n01)-float64(n01-n10)*float64(n01-n10)/n) / n
		res.Before, res.After, res.Points = f(100*pb), f(100*pa), f(100*diff)
		res.Low, res.High = f(100*math.Max(-1, diff-z95*se)), f(100*math.Min(1, diff+z95*se))
		disc := n10 + n01
		switch {
		case disc == 0:
			res.Test, res.PValue = "mcnemar_exact", f(1)
		case disc < ExactMcNemarBelow:
			res.Test, res.PValue = "mcnemar_exact", f(binomialTwoSided(min(n10, n01), disc))
		default:
			x := math.Abs(float64(n10-n01)) - 1
			chi := x * x / float64(disc)
			res.Test, res.Statistic, res.PValue = "mcnemar", f(chi), f(math.Erfc(math.Sqrt(chi/2)))
		}
	}
	if numeric {
		md := sumD / n
		res.MeanBefore, res.MeanAfter, res.MeanDifference = f(sumB/n), f(sumA/n), f(md)
		if res.Pairs > 1 {
			sd := math.Sqrt(math.Max(0, (sumD2-n*md*md)/(n-1)))
			h := t975(n-1) * sd / math.Sqrt(n)
			res.MeanLow, res.MeanHigh = f(md-h), f(md+h)
			if sd > 0 {
				tt := md / (sd / math.Sqrt(n))
				df := n - 1
				// Two-sided p of Student's t: I_{df/(df+t^2)}(df/2, 1/2).
				res.MeanPValue = f(RegIncBeta(df/(df+tt*tt), df/2, 0.5))
			}
		}
	}
	return res, nil
}

// pairVerdict applies the standard to paired counts: the rule that hides
// them, or "".
func (d Disclosure) pairVerdict(pairs int, counts []int, binary bool) string {
	if d.Off || pairs == 0 {
		return ""
	}
	if t := d.Threshold(); pairs < t {
		return d.Name + ":pairs_under_" + itoa(t)
	}
	if binary && d.MinCount > 0 {
		for _, c := range counts {
			if c < d.MinCount && (c > 0 || d.HideZero) {
				return d.Name + ":count_under_" + itoa(d.MinCount)
			}
		}
	}
	return ""
}

// binomialTwoSided is the two-sided exact p-value of k or fewer successes
// (k at most n/2) in n trials of probability 1/2: twice the lower tail,
// at most 1.
func binomialTwoSided(k, n int) float64 {
	tail, term := 0.0, math.Pow(0.5, float64(n)) // C(n, 0) / 2^n
	for i := 0; i <= k; i++ {
		tail += term
		term *= float64(n-i) / float64(i+1)
	}
	return math.Min(1, 2*tail)
}
