package survey_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// groupsRef lists the groups a response belongs to in one dimension,
// computed from the response itself, independently of the package.
func groupsRef(r survey.Response, dim survey.Dimension, mode survey.RaceMode) []string {
	or := func(v string) []string {
		if v == "" {
			return []string{survey.NotReported}
		}
		return []string{v}
	}
	d := r.Demographics
	switch dim {
	case survey.ByRace:
		if len(d.Race) == 0 {
			return []string{survey.NotReported}
		}
		if mode == survey.AloneOrInCombination {
			var out []string
			for _, rc := range d.Race {
				out = append(out, string(rc))
			}
			return out
		}
		var named []string
		for _, rc := range d.Race {
			if rc != bsk.RaceDeclined {
				named = append(named, string(rc))
			}
		}
		switch len(named) {
		case 0:
			return []string{string(bsk.RaceDeclined)}
		case 1:
			return named
		}
		return []string{"multiple"}
	case survey.ByGender:
		return or(string(d.Gender))
	case survey.ByAgeBand:
		return or(string(d.AgeBand))
	case survey.ByPlace:
		return or(string(d.Place))
	case survey.ByRegion:
		return or(string(d.Place.Region()))
	case survey.ByIncome:
		return or(string(d.Income))
	case survey.ByRole:
		return or(string(r.Role))
	case survey.ByOrganizationKind:
		return or(string(r.OrganizationKind))
	case survey.BySession:
		return or(r.Session)
	}
	panic("unknown dimension " + dim)
}

// TestEstimateMatchesReference recomputes every cell of crossed tables,
// margins included, by brute force over the responses: N, count, percent
// (weighted when the survey is), the Likert mean, and the 95% interval
// (Wilson by its formula; Korn-Graubard from gonum's Beta quantiles on
// the design-based effective sample size p(1-p)/Var(p) for weighted
// data, on n otherwise) and the standard errors (linearized: N/(N-1)
// sum w^2 (y-p)^2 / (sum w)^2 over the cell, N every respondent; or
// binomial), to 1e-9.
func TestEstimateMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	breakdowns := [][]survey.Dimension{{survey.ByRace}, {survey.ByPlace, survey.ByGender}, {survey.ByRace, survey.ByIncome, survey.ByGender}, {survey.ByRegion, survey.ByRace}}
	z := distuv.UnitNormal.Quantile(0.975)
	for trial := range 12 {
		weighted := trial%2 == 1
		s := randomSet(t, r, 20+r.IntN(150), weighted)
		resps := make([]survey.Response, s.Len())
		for i := range resps {
			resps[i] = s.Response(i)
		}
		for _, mode := range []survey.RaceMode{survey.AloneOrInCombination, survey.MultipleRaces} {
			for _, kg := range []bool{false, true} {
				d := survey.Unsuppressed()
				d.KornGraubard = kg
				rep, err := s.Estimate(survey.Query{Breakdowns: breakdowns, Race: mode, Disclosure: &d})
				require.NoError(t, err)
				require.Len(t, rep.Tables, 2*(1+len(breakdowns)))
				for _, tb := range rep.Tables {
					item, _ := s.Instrument().Item(tb.Item)
					for _, c := range tb.Cells {
						var n, x int
						var sw, sw2, swy, sl float64
						type obs struct{ w, y, l float64 }
						var cellObs []obs
						for _, resp := range resps {
							in := true
							for k, dim := range tb.Dimensions {
								if c.Group[k] != "" && !slices.Contains(groupsRef(resp, dim, mode), c.Group[k]) {
									in = false
									break
								}
							}
							a, ok := resp.Answers[tb.Item]
							if !in || !ok {
								continue
							}
							w := 1.0
							if weighted {
								w = resp.Weight
							}
							y := 0.0
							if a[0] == "yes" || (item.Kind == survey.Likert && (a[0] == "4" || a[0] == "5")) {
								y = 1
								x++
							}
							n++
							sw, sw2, swy = sw+w, sw2+w*w, swy+w*y
							if item.Kind == survey.Likert {
								sl += w * float64(a[0][0]-'0')
								cellObs = append(cellObs, obs{w, y, float64(a[0][0] - '0')})
							} else {
								cellObs = append(cellObs, obs{w, y, 0})
							}
						}
						require.Equal(t, n, *c.N, "%s %v %v: N", tb.Item, tb.Dimensions, c.Group)
						if n == 0 {
							require.Nil(t, c.Percent)
							continue
						}
						require.Equal(t, x, *c.Count, "%s %v %v: count", tb.Item, tb.Dimensions, c.Group)
						p := swy / sw
						require.InDelta(t, 100*p, *c.Percent, 1e-9)
						var dp, dm float64
						for _, o := range cellObs {
							dp += o.w * o.w * (o.y - p) * (o.y - p)
							dm += o.w * o.w * (o.l - sl/sw) * (o.l - sl/sw)
						}
						all := float64(len(resps))
						varP, varM := all/(all-1)*dp/(sw*sw), all/(all-1)*dm/(sw*sw)
						if !weighted {
							varP, varM = p*(1-p)/float64(n), 0
							if n > 1 {
								varM = dm / float64(n-1) / float64(n)
							}
						}
						require.InDelta(t, 100*math.Sqrt(varP), *c.SE, 1e-9, "%s %v %v: SE", tb.Item, tb.Dimensions, c.Group)
						if item.Kind == survey.Likert {
							require.InDelta(t, math.Sqrt(varM), *c.MeanSE, 1e-9, "%s %v %v: mean SE", tb.Item, tb.Dimensions, c.Group)
						}
						var lo, hi float64
						if weighted || kg {
							ne := float64(n)
							if weighted && varP > 0 {
								ne = p * (1 - p) / varP
							} else if weighted {
								ne = sw * sw / sw2
							}
							lo, hi = 0, 1
							if xe := p * ne; xe > 0 {
								lo = distuv.Beta{Alpha: xe, Beta: ne - xe + 1}.Quantile(0.025)
							}
							if xe := p * ne; xe < ne {
								hi = distuv.Beta{Alpha: xe + 1, Beta: ne - xe}.Quantile(0.975)
							}
							if weighted {
								require.InDelta(t, ne, *c.EffectiveN, 1e-9)
							}
						} else {
							nf := float64(n)
							center := (p + z*z/(2*nf)) / (1 + z*z/nf)
							half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
							lo, hi = math.Max(0, center-half), math.Min(1, center+half)
						}
						lo, hi = math.Min(lo, p), math.Max(hi, p)
						require.InDelta(t, 100*lo, *c.Low, 1e-9, "%s %v %v: low", tb.Item, tb.Dimensions, c.Group)
						require.InDelta(t, 100*hi, *c.High, 1e-9, "%s %v %v: high", tb.Item, tb.Dimensions, c.Group)
						require.True(t, *c.Low <= *c.Percent && *c.Percent <= *c.High && *c.Low >= 0 && *c.High <= 100)
						if item.Kind == survey.Likert {
							require.InDelta(t, sl/sw, *c.Mean, 1e-9)
						}
					}
				}
			}
		}
	}
}
