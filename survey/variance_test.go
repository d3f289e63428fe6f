package survey_test

import (
	"bytes"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// TestIntervalNamesAreChecked refuses an unknown interval method in a
// query and in a release, naming the field.
func TestIntervalNamesAreChecked(t *testing.T) {
	s, _, err := survey.ImportCSV(strings.NewReader(goodCSV), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	_, err = s.Estimate(survey.Query{Interval: "wald"})
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.Contains(t, err.Error(), "interval")
	err = survey.Release{Standard: survey.WADOH(), Interval: "wald"}.Validate(s.Instrument())
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.Contains(t, err.Error(), "interval")
	_, err = s.Publish(survey.Release{Standard: survey.WADOH(), Interval: "wald"})
	require.ErrorIs(t, err, bsk.ErrInvalid)
}

// TestNamedIntervals checks each method by its formula on unweighted data
// (Wilson and Clopper-Pearson on the counts; beta equal to Clopper-Pearson
// without a design) and on weighted data (Wilson and Clopper-Pearson on
// the design-based effective n), and that the report names the method;
// gonum's Beta quantiles are the reference.
func TestNamedIntervals(t *testing.T) {
	data := peerData(peerCases[0])
	weighted, _, err := survey.ImportCSV(bytes.NewReader(data), peerInstrument(true), survey.ImportOptions{})
	require.NoError(t, err)
	in := peerInstrument(true)
	in.Weighted = false
	plain, _, err := survey.ImportCSV(bytes.NewReader(data), in, survey.ImportOptions{})
	require.NoError(t, err)
	z := distuv.UnitNormal.Quantile(0.975)
	cp := func(p, n float64) (float64, float64) {
		lo, hi := 0.0, 1.0
		if x := p * n; x > 0 {
			lo = distuv.Beta{Alpha: x, Beta: n - x + 1}.Quantile(0.025)
		}
		if x := p * n; x < n {
			hi = distuv.Beta{Alpha: x + 1, Beta: n - x}.Quantile(0.975)
		}
		return lo, hi
	}
	wilson := func(p, n float64) (float64, float64) {
		c := (p + z*z/(2*n)) / (1 + z*z/n)
		h := z / (1 + z*z/n) * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
		return c - h, c + h
	}
	for _, s := range []*survey.Set{plain, weighted} {
		isWeighted := s.Instrument().Weighted
		for _, m := range []survey.Interval{survey.IntervalBeta, survey.IntervalWilson, survey.IntervalClopperPearson} {
			rep, err := s.Estimate(survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByGender}}, Disclosure: ptr(survey.Unsuppressed()), Interval: m})
			require.NoError(t, err)
			require.Equal(t, m, rep.Interval)
			for _, tb := range rep.Tables {
				for _, c := range tb.Cells {
					p, n := *c.Percent/100, float64(*c.N)
					if isWeighted {
						se := *c.SE / 100
						n = p * (1 - p) / (se * se)
						require.InDelta(t, n, *c.EffectiveN, 1e-6*n)
					} else {
						require.InDelta(t, math.Sqrt(p*(1-p)/n), *c.SE/100, 1e-12)
						require.Nil(t, c.EffectiveN)
					}
					lo, hi := cp(p, n)
					if m == survey.IntervalWilson {
						lo, hi = wilson(p, n)
					}
					require.InDelta(t, lo, *c.Low/100, 1e-9, "%s %v %v low", m, tb.Item, c.Group)
					require.InDelta(t, hi, *c.High/100, 1e-9, "%s %v %v high", m, tb.Item, c.Group)
				}
			}
		}
	}
	rep, err := plain.Estimate(survey.Query{Disclosure: ptr(survey.Unsuppressed())})
	require.NoError(t, err)
	require.Equal(t, survey.IntervalWilson, rep.Interval, "unweighted default")
	rep, err = plain.Estimate(survey.Query{Disclosure: ptr(survey.NCHS())})
	require.NoError(t, err)
	require.Equal(t, survey.IntervalClopperPearson, rep.Interval, "unweighted default under NCHS")
	rep, err = weighted.Estimate(survey.Query{})
	require.NoError(t, err)
	require.Equal(t, survey.IntervalBeta, rep.Interval, "weighted default")
}

// TestCautionUsesDesignSE checks PHSKC's caution flag against each
// published cell's relative standard error, linearized under clusters
// within strata, and that a release publishes the intervals its method
// names, with the same figures as a query.
func TestCautionUsesDesignSE(t *testing.T) {
	s, _, err := survey.ImportCSV(bytes.NewReader(peerData(peerCases[1])), peerInstrument(true), survey.ImportOptions{})
	require.NoError(t, err)
	bds := [][]survey.Dimension{{survey.ByGender, survey.ByIncome}}
	d := survey.PHSKC()
	d.CautionRSE = 0.12 // low enough that some cells are flagged
	rep, err := s.Estimate(survey.Query{Breakdowns: bds, Disclosure: &d})
	require.NoError(t, err)
	flagged, shown := 0, 0
	for _, tb := range rep.Tables {
		for _, c := range tb.Cells {
			if c.Percent == nil {
				continue
			}
			shown++
			require.NotNil(t, c.RSE)
			require.InDelta(t, *c.SE / *c.Percent, *c.RSE, 1e-12)
			require.Equal(t, *c.RSE >= 0.12, c.Caution, "%v %v: RSE %.3f", tb.Item, c.Group, *c.RSE)
			if c.Caution {
				flagged++
			}
		}
	}
	require.Positive(t, flagged)
	require.Less(t, flagged, shown)

	pub, err := s.Publish(survey.Release{Standard: survey.Unsuppressed(), Breakdowns: bds, Interval: survey.IntervalLogit})
	require.NoError(t, err)
	want, err := s.Estimate(survey.Query{Breakdowns: bds, Disclosure: ptr(survey.Unsuppressed()), Interval: survey.IntervalLogit})
	require.NoError(t, err)
	require.Equal(t, survey.IntervalLogit, pub.Report.Interval)
	require.Equal(t, want.Tables, pub.Report.Tables)
}

// TestDesignProblems refuses a negative stratum size, a stratum whose
// respondents give different sizes, more clusters than the size,
// and hidden characters in a cluster's name.
func TestDesignProblems(t *testing.T) {
	in := peerInstrument(true)
	imp := func(csv string) error {
		s, _, err := survey.ImportCSV(strings.NewReader("respondent_id,weight,stratum,cluster,stratum_size,q_yes\n"+csv), in, survey.ImportOptions{})
		if err == nil {
			_, err = s.Estimate(survey.Query{})
		}
		return err
	}
	require.NoError(t, imp("r1,1,a,c1,2,yes\nr2,1,a,c2,2,no\n"))
	err := imp("r1,1,a,c1,-1,yes\n")
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.Contains(t, err.Error(), "rows[2].stratum_size")
	err = imp("r1,1,a,c1,5,yes\nr2,1,a,c2,6,no\n")
	require.ErrorIs(t, err, bsk.ErrConflict)
	require.Contains(t, err.Error(), "rows[3].stratum_size")
	err = imp("r1,1,a,c1,1,yes\nr2,1,a,c1,1,no\nr3,1,a,c2,1,no\n")
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.Contains(t, err.Error(), `rows[4].stratum_size: stratum "a" has 1 units in its population, all sampled already`)
	err = imp("r1,1,a,c\u202e1,2,yes\n")
	require.ErrorIs(t, err, bsk.ErrInvalid)
	require.Contains(t, err.Error(), "rows[2].cluster")
}

// TestDesignVarianceIsDeterministic estimates clusters within strata with
// one thread and with four: the figures are the same, bit for bit.
func TestDesignVarianceIsDeterministic(t *testing.T) {
	s, _, err := survey.ImportCSV(bytes.NewReader(peerData(peerCases[1])), peerInstrument(true), survey.ImportOptions{})
	require.NoError(t, err)
	q := survey.Query{Breakdowns: [][]survey.Dimension{{survey.ByGender, survey.ByIncome}}, Disclosure: ptr(survey.Unsuppressed())}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one, err := s.Estimate(q)
	require.NoError(t, err)
	runtime.GOMAXPROCS(4)
	four, err := s.Estimate(q)
	require.NoError(t, err)
	require.Equal(t, one, four)
}
