package survey

import (
	"math"

	"github.com/beststarts/workforce/bsk"
)

// Disclosure is a disclosure-control standard: which cells of a result
// table are hidden, top-coded or flagged, and why. Every estimate the
// package returns has passed through one; the zero Query uses WADOH.
// Figures without disclosure control come only from [Unsuppressed].
type Disclosure struct {
	// Name names the standard in every hidden cell's rule, e.g. "wa_doh".
	Name string `json:"name"`
	// MinN hides a cell answered by 1 to MinN-1 respondents.
	MinN int `json:"min_n,omitempty"`
	// MinCount hides a cell whose count meeting the indicator is 1 to
	// MinCount-1 (and 0 too with HideZero), with the percentage derived
	// from it, when the counts rules apply: CountsAlways, a survey that
	// reached CountsCoverage of the eligible population, or a population
	// of unknown size.
	MinCount int `json:"min_count,omitempty"`
	// HideZero extends MinCount to zero counts.
	HideZero bool `json:"hide_zero,omitempty"`
	// Complement applies MinCount to the respondents not meeting the
	// indicator too: "94% of 137" reveals 129 and 8.
	Complement bool `json:"complement,omitempty"`
	// CountsAlways applies the counts rules whatever the coverage.
	CountsAlways bool `json:"counts_always,omitempty"`
	// CountsCoverage is the share of the eligible population at or above
	// which a survey is treated as counts (0.8 in the WA DOH standard).
	// Below it, a survey's estimates are those of a sample and the counts
	// rules do not apply.
	CountsCoverage float64 `json:"counts_coverage,omitempty"`
	// TopCode: below CountsCoverage, an equal-weight estimate from fewer
	// than MinCount respondents that is under 5% or over 95% is shown
	// only as "0-5%" or "95-100%", without its N (which with the range
	// would pin the count).
	TopCode bool `json:"top_code,omitempty"`
	// MinEffectiveN hides estimates whose effective sample size is below it.
	MinEffectiveN float64 `json:"min_effective_n,omitempty"`
	// MaxCIWidth hides estimates whose 95% interval is at least this wide
	// (a proportion, e.g. 0.30).
	MaxCIWidth float64 `json:"max_ci_width,omitempty"`
	// MaxRelativeCIWidth hides estimates whose interval is wider than 0.05
	// and wider than this multiple of the estimate (e.g. 1.30).
	MaxRelativeCIWidth float64 `json:"max_relative_ci_width,omitempty"`
	// KornGraubard makes Clopper-Pearson the default interval of
	// unweighted data (weighted data default to Korn-Graubard's beta
	// interval); a query's or release's Interval overrides it.
	KornGraubard bool `json:"korn_graubard,omitempty"`
	// CautionRSE flags estimates whose relative standard error is at least
	// this (e.g. 0.30).
	CautionRSE float64 `json:"caution_rse,omitempty"`
	// Secondary hides further cells so that no hidden cell can be
	// recomputed from a row's or column's total and its other cells.
	Secondary bool `json:"secondary,omitempty"`
	// Off publishes every figure as computed. Only [Unsuppressed] sets it.
	Off bool `json:"off,omitempty"`
}

// WADOH is the Washington State Department of Health small-numbers
// standard ("Agency Standards for Reporting Data with Small Numbers"),
// the default:
//
//   - counts: non-zero counts under 10 are hidden with the percentages
//     derived from them, and so are their complements ("94% of 137"
//     reveals 8); a survey that reached 80% or more of the eligible
//     population is treated as counts, and so is one whose population
//     is not given (Query.Population 0);
//   - below 80%, equal-weight estimates from fewer than 10 respondents
//     are top-coded: under 5% shows as "0-5%", over 95% as "95-100%";
//     unequally weighted estimates have no suppression requirement;
//   - secondary suppression, so that no hidden cell can be recomputed
//     by subtraction from its row's or column's total;
//   - the standard's reliability recommendation: a relative standard
//     error of 30% or more sets Caution.
func WADOH() Disclosure {
	return Disclosure{Name: "wa_doh", MinCount: 10, Complement: true, CountsCoverage: 0.8, TopCode: true, CautionRSE: 0.30, Secondary: true}
}

// PHSKC is Public Health - Seattle & King County's practice: a numerator
// of 0 to 9 is hidden, and estimates whose relative standard error is 30%
// or more carry a caution flag; secondary suppression protects hidden cells.
func PHSKC() Disclosure {
	return Disclosure{Name: "phskc", MinCount: 10, HideZero: true, CountsAlways: true, CautionRSE: 0.30, Secondary: true}
}

// NCHS is the National Center for Health Statistics data presentation
// standard for proportions: Korn-Graubard intervals; estimates with an
// effective sample size under 30, an interval 30 points wide or more, or
// an interval wider than 5 points and 130% of the estimate are hidden.
func NCHS() Disclosure {
	return Disclosure{Name: "nchs", MinEffectiveN: 30, MaxCIWidth: 0.30, MaxRelativeCIWidth: 1.30, KornGraubard: true, Secondary: true}
}

// Unsuppressed publishes every figure as computed, for staff entitled to
// them; tables say so in their rule.
func Unsuppressed() Disclosure { return Disclosure{Name: "unsuppressed", Off: true} }

// Presets lists the named standards, by name.
func Presets() map[string]Disclosure {
	return map[string]Disclosure{"wa_doh": WADOH(), "phskc": PHSKC(), "nchs": NCHS(), "unsuppressed": Unsuppressed()}
}

// Validate reports a standard that cannot protect anything: one without a
// name, with negative or out-of-range thresholds, or with no rule at all
// that is not [Unsuppressed] (a zero Disclosure would otherwise publish
// every figure while claiming control). Every function that applies a
// standard calls it; problems name the field, under "disclosure".
func (d Disclosure) Validate() error {
	var pr bsk.Problems
	if d.Name == "" {
		pr.Add("name", "is required: it names the rule in every hidden cell")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"min_n", float64(d.MinN)}, {"min_count", float64(d.MinCount)}, {"min_effective_n", d.MinEffectiveN}, {"max_ci_width", d.MaxCIWidth},
		{"max_relative_ci_width", d.MaxRelativeCIWidth}, {"caution_rse", d.CautionRSE}, {"counts_coverage", d.CountsCoverage}} {
		if f.v < 0 || math.IsNaN(f.v) {
			pr.Add(f.name, "must not be negative")
		}
	}
	if d.CountsCoverage > 1 {
		pr.Add("counts_coverage", "is a share of the population, at most 1")
	}
	if !d.Off && d.MinN <= 0 && d.MinCount <= 0 && d.MinEffectiveN <= 0 && d.MaxCIWidth <= 0 && d.MaxRelativeCIWidth <= 0 {
		pr.Add("", "sets no suppression rule: use a preset, or Unsuppressed to publish figures as computed")
	}
	return pr.Err()
}

// check validates d for use, its problems under "disclosure".
func (d Disclosure) check() error {
	if err := d.Validate(); err != nil {
		var pr bsk.Problems
		pr.Merge("disclosure", err)
		return pr.Err()
	}
	return nil
}

// verdict is what the primary rules decide for one cell.
type verdict struct {
	hide    bool
	rule    string
	rng     string // "0-5%" or "95-100%"
	caution bool
}

// primary applies the cell rules to a cell of n respondents, x meeting the
// indicator, estimate p (a proportion) with interval [lo, hi] and
// effective sample size nEff and standard error se.
func (d Disclosure) primary(n, x int, p, lo, hi, nEff, se float64, counts, weighted bool) verdict {
	if d.Off {
		return verdict{}
	}
	name := d.Name
	if d.MinN > 0 && n > 0 && n < d.MinN {
		return verdict{hide: true, rule: name + ":respondents_under_" + itoa(d.MinN)}
	}
	small := func(c int) bool { return c < d.MinCount && (c > 0 || (d.HideZero && c == 0)) }
	if d.MinCount > 0 && n > 0 {
		if counts || d.CountsAlways {
			if small(x) {
				return verdict{hide: true, rule: name + ":count_under_" + itoa(d.MinCount)}
			}
			if d.Complement && small(n-x) {
				return verdict{hide: true, rule: name + ":complement_under_" + itoa(d.MinCount)}
			}
		} else if d.TopCode && !weighted && n < d.MinCount {
			switch {
			case p < 0.05:
				return verdict{rule: name + ":top_coded", rng: "0-5%"}
			case p > 0.95:
				return verdict{rule: name + ":top_coded", rng: "95-100%"}
			}
		}
	}
	if n > 0 && d.MinEffectiveN > 0 && nEff < d.MinEffectiveN {
		return verdict{hide: true, rule: name + ":effective_n_under_" + ftoa(d.MinEffectiveN)}
	}
	w := hi - lo
	if n > 0 && d.MaxCIWidth > 0 && w >= d.MaxCIWidth {
		return verdict{hide: true, rule: name + ":interval_too_wide"}
	}
	if n > 0 && d.MaxRelativeCIWidth > 0 && w > 0.05 && (p == 0 || w/p > d.MaxRelativeCIWidth) {
		return verdict{hide: true, rule: name + ":relative_interval_too_wide"}
	}
	v := verdict{}
	if d.CautionRSE > 0 && n > 0 {
		if p == 0 || se/p >= d.CautionRSE {
			v.caution = true
		}
	}
	return v
}

func itoa(i int) string { return ftoa(float64(i)) }
