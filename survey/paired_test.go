package survey_test

import (
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
)

// pairedSets builds before and after sets of the training instrument:
// respondents p0..p(n-1) answer "again" (yes/no) and "useful" (Likert)
// both times, from the table of transitions given; extra respondents
// appear in one set only, and one answers only before.
func pairedSets(t *testing.T, again [4]int, usefulShift func(i int) (int, int)) (before, after *survey.Set) {
	t.Helper()
	var b, a strings.Builder
	b.WriteString("respondent_id,again,useful\n")
	a.WriteString("respondent_id,again,useful\n")
	i := 0
	for k, count := range again {
		yb, ya := []string{"yes", "yes", "no", "no"}[k], []string{"yes", "no", "yes", "no"}[k]
		for range count {
			ub, ua := usefulShift(i)
			fmt.Fprintf(&b, "p%d,%s,%d\n", i, yb, ub)
			fmt.Fprintf(&a, "p%d,%s,%d\n", i, ya, ua)
			i++
		}
	}
	b.WriteString("only-before-1,yes,4\nonly-before-2,no,2\nhalf,yes,3\n")
	a.WriteString("only-after-1,no,5\nhalf,,\n")
	before, _, err := survey.ImportCSV(strings.NewReader(b.String()), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	after, _, err = survey.ImportCSV(strings.NewReader(a.String()), trainingInstrument(false), survey.ImportOptions{})
	require.NoError(t, err)
	return before, after
}

// TestComparePaired checks McNemar's test (exact and chi-square), the
// paired difference and its interval, and the Likert mean's paired t
// interval against gonum's distributions, and the matching counts.
func TestComparePaired(t *testing.T) {
	shift := func(i int) (int, int) { return 1 + i%4, 1 + (i*7+3)%5 }
	for _, tc := range []struct {
		name  string
		again [4]int // yes-yes, yes-no, no-yes, no-no
		exact bool
	}{
		{"exact", [4]int{40, 3, 15, 30}, true},
		{"chi-square", [4]int{40, 12, 30, 25}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, after := pairedSets(t, tc.again, shift)
			res, err := survey.ComparePaired(before, after, "again", survey.Unsuppressed())
			require.NoError(t, err)
			n11, n10, n01, n00 := tc.again[0], tc.again[1], tc.again[2], tc.again[3]
			n := n11 + n10 + n01 + n00
			require.Equal(t, n, res.Pairs)
			require.Equal(t, 2, res.UnmatchedBefore)
			require.Equal(t, 1, res.UnmatchedAfter)
			require.Equal(t, 1, res.Incomplete)
			require.Equal(t, []int{n11, n10, n01, n00}, []int{*res.Both, *res.BeforeOnly, *res.AfterOnly, *res.Neither})
			nf := float64(n)
			diff := float64(n01-n10) / nf
			require.InDelta(t, 100*diff, *res.Points, 1e-12)
			se := math.Sqrt((float64(n10+n01)/nf - diff*diff) / nf)
			z := distuv.UnitNormal.Quantile(0.975)
			require.InDelta(t, 100*(diff-z*se), *res.Low, 1e-9)
			require.InDelta(t, 100*(diff+z*se), *res.High, 1e-9)
			disc := n10 + n01
			if tc.exact {
				require.Equal(t, "mcnemar_exact", res.Test)
				p := 2 * distuv.Binomial{N: float64(disc), P: 0.5}.CDF(float64(min(n10, n01)))
				require.InDelta(t, math.Min(1, p), *res.PValue, 1e-12)
				require.Nil(t, res.Statistic)
			} else {
				require.Equal(t, "mcnemar", res.Test)
				chi := math.Pow(math.Abs(float64(n10-n01))-1, 2) / float64(disc)
				require.InDelta(t, chi, *res.Statistic, 1e-12)
				require.InDelta(t, distuv.ChiSquared{K: 1}.Survival(chi), *res.PValue, 1e-12)
			}

			res, err = survey.ComparePaired(before, after, "useful", survey.Unsuppressed())
			require.NoError(t, err)
			var d []float64
			var sb, sa float64
			for i := range n {
				ub, ua := shift(i)
				d = append(d, float64(ua-ub))
				sb, sa = sb+float64(ub), sa+float64(ua)
			}
			var md, ss float64
			for _, x := range d {
				md += x / nf
			}
			for _, x := range d {
				ss += (x - md) * (x - md)
			}
			sd := math.Sqrt(ss / (nf - 1))
			tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nf - 1}
			h := tq.Quantile(0.975) * sd / math.Sqrt(nf)
			require.InDelta(t, sb/nf, *res.MeanBefore, 1e-12)
			require.InDelta(t, sa/nf, *res.MeanAfter, 1e-12)
			require.InDelta(t, md, *res.MeanDifference, 1e-12)
			require.InDelta(t, md-h, *res.MeanLow, 1e-9)
			require.InDelta(t, md+h, *res.MeanHigh, 1e-9)
			tt := md / (sd / math.Sqrt(nf))
			require.InDelta(t, 2*tq.Survival(math.Abs(tt)), *res.MeanPValue, 1e-9)

			t.Run("R", func(t *testing.T) {
				if _, err := exec.LookPath("Rscript"); err != nil {
					t.Skip("Rscript is not installed: compared with gonum's distributions only")
				}
				var ub, ua []string
				for i := range n {
					x, y := shift(i)
					ub, ua = append(ub, strconv.Itoa(x)), append(ua, strconv.Itoa(y))
				}
				again, _ := survey.ComparePaired(before, after, "again", survey.Unsuppressed())
				script := fmt.Sprintf(`b <- rep(c(1,1,0,0), c(%d,%d,%d,%d)); a <- rep(c(1,0,1,0), c(%d,%d,%d,%d))
p <- if (%s) binom.test(min(%d,%d), %d)$p.value else mcnemar.test(table(factor(b, 0:1), factor(a, 0:1)))$p.value
tt <- t.test(c(%s), c(%s), paired = TRUE)
cat(sprintf("%%.15g", c(p, tt$conf.int, tt$p.value)), sep = "\n")`, n11, n10, n01, n00, n11, n10, n01, n00,
					strings.ToUpper(strconv.FormatBool(tc.exact)), n10, n01, disc, strings.Join(ua, ","), strings.Join(ub, ","))
				out, err := exec.Command("Rscript", "-e", script).CombinedOutput()
				require.NoError(t, err, "%s", out)
				var r []float64
				for _, f := range strings.Fields(string(out)) {
					x, err := strconv.ParseFloat(f, 64)
					require.NoError(t, err)
					r = append(r, x)
				}
				require.Len(t, r, 4)
				require.InDelta(t, r[0], *again.PValue, 1e-9, "McNemar p")
				require.InDelta(t, r[1], *res.MeanLow, 1e-9, "t interval low")
				require.InDelta(t, r[2], *res.MeanHigh, 1e-9, "t interval high")
				require.InDelta(t, r[3], *res.MeanPValue, 1e-9, "t test p")
			})
		})
	}
}

// TestComparePairedDisclosure hides every figure of a paired comparison
// with a small kind of pair, or too few pairs, under WA DOH; errors name
// the item.
func TestComparePairedDisclosure(t *testing.T) {
	shift := func(i int) (int, int) { return 3, 4 }
	before, after := pairedSets(t, [4]int{40, 3, 15, 30}, shift)
	res, err := survey.ComparePaired(before, after, "again", survey.WADOH())
	require.NoError(t, err)
	require.True(t, res.Suppressed)
	require.Equal(t, "wa_doh:count_under_10", res.Rule)
	require.Nil(t, res.Points)
	require.Nil(t, res.PValue)
	require.Nil(t, res.BeforeOnly)
	require.Equal(t, 88, res.Pairs)

	before, after = pairedSets(t, [4]int{20, 12, 30, 25}, shift)
	res, err = survey.ComparePaired(before, after, "again", survey.WADOH())
	require.NoError(t, err)
	require.False(t, res.Suppressed)
	require.NotNil(t, res.PValue)

	before, after = pairedSets(t, [4]int{3, 0, 2, 1}, shift)
	res, err = survey.ComparePaired(before, after, "useful", survey.WADOH())
	require.NoError(t, err)
	require.True(t, res.Suppressed)
	require.Equal(t, "wa_doh:pairs_under_10", res.Rule)
	require.Nil(t, res.MeanDifference)

	_, err = survey.ComparePaired(before, after, "nope", survey.WADOH())
	require.ErrorIs(t, err, bsk.ErrNotFound)
	_, err = survey.ComparePaired(before, after, "barriers", survey.WADOH())
	require.ErrorIs(t, err, bsk.ErrInvalid)
	_, err = survey.ComparePaired(before, after, "again", survey.Disclosure{})
	require.ErrorIs(t, err, bsk.ErrInvalid)
}
