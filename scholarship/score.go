package scholarship

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// Criterion scores a batch of applications on one rubric criterion, in one
// call (a plug-in can satisfy it). Score returns points in [0, 1] per
// application, in the batch's order, with a short stable code saying why;
// the rubric multiplies by the criterion's weight.
type Criterion interface {
	Score(ctx context.Context, batch []Application) ([]Points, error)
}

// Points is one criterion's score of one application.
type Points struct {
	// Value is the share of the criterion met, 0 to 1.
	Value float64 `json:"value"`
	// Why is a stable code for the value, e.g. "speaks_priority_language".
	Why string `json:"why,omitempty"`
}

// CriterionFunc adapts a function that scores one application to a
// [Criterion].
type CriterionFunc func(Application) Points

// Score calls f for each application.
func (f CriterionFunc) Score(_ context.Context, batch []Application) ([]Points, error) {
	out := make([]Points, len(batch))
	for i := range batch {
		out[i] = f(batch[i])
	}
	return out, nil
}

// Weighted is a rubric line: a criterion scored automatically, or (with
// Criterion nil) one scored by reviewers on a 0 to Max scale.
type Weighted struct {
	// Name identifies the criterion in score breakdowns and reviews.
	Name string `json:"name"`
	// Weight is the points the criterion is worth.
	Weight float64 `json:"weight"`
	// Criterion scores automatically; nil means reviewers score it.
	Criterion Criterion `json:"-"`
	// Max is the top of the reviewers' scale, for a reviewed criterion.
	Max float64 `json:"max,omitempty"`
	// Demographic marks a criterion that reads the applicant's
	// demographics (such as BIPOC): its line, and any total that includes
	// it, are for readers who may see them ([Score.WithoutDemographics]).
	Demographic bool `json:"demographic,omitempty"`
}

// Rubric is a weighted set of criteria.
type Rubric struct {
	// Lines are the criteria.
	Lines []Weighted `json:"lines"`
	// Normalize rescales each reviewer's points so that a harsh or lenient
	// reviewer does not decide who is funded: a reviewer's points become
	// z-scores over their own reviews of that criterion, mapped back onto
	// the pooled mean and spread of all reviewers.
	Normalize bool `json:"normalize,omitempty"`
}

// Review is one reviewer's points for one application on one criterion.
type Review struct {
	ApplicationID string  `json:"application_id"`
	Reviewer      string  `json:"reviewer"`
	Criterion     string  `json:"criterion"`
	Points        float64 `json:"points"`
}

// Line is one criterion's part of an application's score.
type Line struct {
	Criterion string  `json:"criterion"`
	Value     float64 `json:"value"`
	Weight    float64 `json:"weight"`
	Points    float64 `json:"points"`
	Why       string  `json:"why,omitempty"`
	// Demographic is true when the criterion reads the applicant's
	// demographics (see [Weighted]).
	Demographic bool `json:"demographic,omitempty"`
}

// Score is an application's total with its breakdown.
type Score struct {
	ApplicationID string  `json:"application_id"`
	Total         float64 `json:"total"`
	Lines         []Line  `json:"lines"`
	// Withheld is true when lines were removed for a reader who may not
	// see what they are derived from; Total is then the sum of the lines
	// shown, not the total the application was ranked by.
	Withheld bool `json:"withheld,omitempty"`
}

// WithoutDemographics returns the score as a reader who may not see the
// applicant's demographics may read it: the lines of [Weighted.Demographic]
// criteria are removed and Total is the sum of the lines left, so that no
// removed line can be recovered by subtracting the lines shown from the
// total. A score without such lines is returned unchanged.
func (s Score) WithoutDemographics() Score {
	if !slices.ContainsFunc(s.Lines, func(l Line) bool { return l.Demographic }) {
		return s
	}
	out := Score{ApplicationID: s.ApplicationID, Lines: make([]Line, 0, len(s.Lines)), Withheld: true}
	for _, l := range s.Lines {
		if !l.Demographic {
			out.Lines = append(out.Lines, l)
			out.Total += l.Points
		}
	}
	return out
}

// needWhy is the financial need criterion's Why for each valid answer.
var needWhy = [...]string{"need_0_of_3", "need_1_of_3", "need_2_of_3", "need_3_of_3"}

// PriorityCriteria returns the seeds' priority criteria, each worth weight
// points: speaks a language the county needs (any language besides English
// when the list is empty), BIPOC, serves rural or underserved places, lived
// experience, first generation, financial need. The BIPOC criterion reads
// the applicant's demographics, so it is marked [Weighted.Demographic].
func PriorityCriteria(weight float64, languages []bsk.Language) []Weighted {
	return []Weighted{
		{Name: "language_need", Weight: weight, Criterion: CriterionFunc(func(a Application) Points {
			for _, l := range a.Applicant.Languages {
				if l != bsk.English && (len(languages) == 0 || slices.Contains(languages, l)) {
					return Points{1, "speaks_priority_language"}
				}
			}
			return Points{0, "no_priority_language"}
		})},
		{Name: "bipoc", Weight: weight, Demographic: true, Criterion: CriterionFunc(func(a Application) Points {
			if a.Applicant.Demographics.BIPOC() {
				return Points{1, "bipoc"}
			}
			return Points{0, ""}
		})},
		{Name: "rural_underserved", Weight: weight, Criterion: CriterionFunc(func(a Application) Points {
			if a.Answers.ServesRural || a.Applicant.Place.Rural() {
				return Points{1, "serves_rural_or_underserved"}
			}
			return Points{0, ""}
		})},
		{Name: "lived_experience", Weight: weight, Criterion: CriterionFunc(func(a Application) Points {
			if a.Answers.LivedExperience {
				return Points{1, "lived_experience"}
			}
			return Points{0, ""}
		})},
		{Name: "first_generation", Weight: weight, Criterion: CriterionFunc(func(a Application) Points {
			if a.Answers.FirstGeneration {
				return Points{1, "first_generation"}
			}
			return Points{0, ""}
		})},
		{Name: "financial_need", Weight: weight, Criterion: CriterionFunc(func(a Application) Points {
			need := a.Answers.FinancialNeed
			if need >= 0 && need < len(needWhy) {
				return Points{float64(need) / 3, needWhy[need]}
			}
			return Points{float64(need) / 3, fmt.Sprintf("need_%d_of_3", need)}
		})},
	}
}

// Validate reports unnamed or duplicate lines, bad weights and scales.
func (r Rubric) Validate() error {
	var p bsk.Problems
	seen := map[string]bool{}
	for i, l := range r.Lines {
		f := bsk.Index("lines", i)
		if l.Name == "" {
			p.Add(f+".name", "is required")
		}
		if seen[l.Name] {
			p.Add(f+".name", "duplicate criterion %q", l.Name)
		}
		seen[l.Name] = true
		if !(l.Weight >= 0) || math.IsInf(l.Weight, 0) {
			p.Add(f+".weight", "must be a finite number at least 0")
		}
		if l.Criterion == nil && !(l.Max > 0) {
			p.Add(f+".max", "a reviewed criterion needs a scale maximum above 0")
		}
	}
	return p.Err()
}

// Score scores every application. Automatic criteria are asked once per
// batch; reviewed criteria average the reviewers' points (normalized when
// the rubric says so). A criterion that fails scores 0 for the batch and
// the error is returned with the scores, so the caller decides. Reviews of
// unknown applications or criteria, or with points outside the scale, are
// an invalid-input error.
func (r Rubric) Score(ctx context.Context, apps []Application, reviews []Review) ([]Score, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	// Only reviews name applications by ID.
	var index map[string]int
	if len(reviews) > 0 {
		index = make(map[string]int, len(apps))
		for i, a := range apps {
			index[a.ID] = i
		}
	}
	var p bsk.Problems
	lines := map[string]Weighted{}
	for _, l := range r.Lines {
		lines[l.Name] = l
	}
	for i, rv := range reviews {
		f := bsk.Index("reviews", i)
		l, ok := lines[rv.Criterion]
		switch {
		case !ok || l.Criterion != nil:
			p.Add(f+".criterion", "no reviewed criterion %q", rv.Criterion)
		case !(rv.Points >= 0 && rv.Points <= l.Max):
			p.Add(f+".points", "%v is outside 0 to %v", rv.Points, l.Max)
		}
		if _, ok := index[rv.ApplicationID]; !ok {
			p.AddCode(bsk.CodeNotFound, f+".application_id", "unknown application %q", rv.ApplicationID)
		}
		if strings.TrimSpace(rv.Reviewer) == "" {
			p.Add(f+".reviewer", "is required")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	// Every score's lines share one array, each score a full slice of
	// its own part (an append to one never writes into the next).
	out := make([]Score, len(apps))
	all, n := make([]Line, len(apps)*len(r.Lines)), len(r.Lines)
	for i, a := range apps {
		out[i] = Score{ApplicationID: a.ID, Lines: all[i*n : i*n : (i+1)*n]}
	}
	var failed []error
	for _, l := range r.Lines {
		var vals []Points
		var err error
		if l.Criterion != nil {
			vals, err = safeScore(ctx, l.Criterion, apps)
			if err == nil && len(vals) != len(apps) {
				err = fmt.Errorf("returned %d scores for %d applications", len(vals), len(apps))
			}
			for i := range vals {
				if v := vals[i].Value; !(v >= 0 && v <= 1) {
					err = fmt.Errorf("application %q: value %v outside 0 to 1", apps[i].ID, v)
				}
			}
			if err != nil {
				failed = append(failed, fmt.Errorf("criterion %q: %w", l.Name, err))
				vals = make([]Points, len(apps))
				for i := range vals {
					vals[i].Why = "criterion_failed"
				}
			}
		} else {
			vals = reviewed(l, reviews, index, len(apps), r.Normalize)
		}
		for i, v := range vals {
			pts := v.Value * l.Weight
			out[i].Lines = append(out[i].Lines, Line{Criterion: l.Name, Value: v.Value, Weight: l.Weight, Points: pts, Why: v.Why, Demographic: l.Demographic})
			out[i].Total += pts
		}
	}
	if len(failed) > 0 {
		return out, bsk.Errorf(bsk.CodeInternal, "scoring: %w", joinErrs(failed))
	}
	return out, nil
}

func joinErrs(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

func safeScore(ctx context.Context, c Criterion, apps []Application) (p []Points, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Score(ctx, slices.Clip(apps))
}

// reviewed averages reviewers' points for one criterion, as a share of Max.
func reviewed(l Weighted, reviews []Review, index map[string]int, n int, normalize bool) []Points {
	type stat struct{ sum, sumsq, n float64 }
	per := map[string]*stat{}
	var all stat
	for _, rv := range reviews {
		if rv.Criterion != l.Name {
			continue
		}
		s := per[rv.Reviewer]
		if s == nil {
			s = &stat{}
			per[rv.Reviewer] = s
		}
		for _, t := range []*stat{s, &all} {
			t.sum += rv.Points
			t.sumsq += rv.Points * rv.Points
			t.n++
		}
	}
	sd := func(s stat) float64 {
		if s.n < 2 {
			return 0
		}
		v := (s.sumsq - s.sum*s.sum/s.n) / (s.n - 1)
		return math.Sqrt(max(0, v))
	}
	mean := func(s stat) float64 { return s.sum / max(1, s.n) }
	sums, counts := make([]float64, n), make([]float64, n)
	for _, rv := range reviews {
		if rv.Criterion != l.Name {
			continue
		}
		x := rv.Points
		if normalize {
			s := *per[rv.Reviewer]
			if d := sd(s); d > 0 {
				x = mean(all) + sd(all)*(x-mean(s))/d
			} else {
				x = mean(all) + (x - mean(s))
			}
			x = min(l.Max, max(0, x))
		}
		i := index[rv.ApplicationID]
		sums[i] += x
		counts[i]++
	}
	out := make([]Points, n)
	for i := range out {
		if counts[i] == 0 {
			out[i] = Points{0, "not_reviewed"}
			continue
		}
		out[i] = Points{Value: sums[i] / counts[i] / l.Max, Why: fmt.Sprintf("%d_reviews", int(counts[i]))}
	}
	return out
}

// Rank orders applications by total score, highest first. Ties go to the
// earlier submission, then to the smaller application ID, so the order is
// the same for the same inputs.
func Rank(apps []Application, scores []Score) []int {
	order := make([]int, len(apps))
	for i := range order {
		order[i] = i
	}
	// The last tie-break, the input position, makes the order total, so
	// an unstable sort gives the stable sort's result, faster.
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case scores[a].Total > scores[b].Total:
			return -1
		case scores[a].Total < scores[b].Total:
			return 1
		}
		if c := apps[a].Submitted.Compare(apps[b].Submitted); c != 0 {
			return c
		}
		if c := strings.Compare(apps[a].ID, apps[b].ID); c != 0 {
			return c
		}
		return a - b
	})
	return order
}
