package survey_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/survey"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata (the R peer's need Rscript with the survey package)")

// peerCase is one fixture compared with R.
type peerCase struct {
	name   string
	design string // "weights", "strata" or "binomial", as testdata/r/peer.R takes it
	seed   uint64
}

var peerCases = []peerCase{{"weights", "weights", 41}, {"strata", "strata", 42}, {"binomial", "binomial", 43}}

// weighted reports whether the fixture carries weights and a design;
// "binomial" is unweighted data, checked against R's exact binomial
// forms (prop.test and binom.test) rather than a survey design.
func (c peerCase) weighted() bool { return c.design != "binomial" }

// methods are the interval methods compared, in the order of peer.R's
// two interval column pairs.
func (c peerCase) methods() [2]survey.Interval {
	if c.weighted() {
		return [2]survey.Interval{survey.IntervalBeta, survey.IntervalLogit}
	}
	return [2]survey.Interval{survey.IntervalClopperPearson, survey.IntervalWilson}
}

func peerInstrument(weighted bool) survey.Instrument {
	return survey.Instrument{ID: "peer", Version: "1", Cycle: "2026", Weighted: weighted, Items: []survey.Item{
		{Code: "q_yes", Kind: survey.YesNo, Text: "Did the consultation help?"},
		{Code: "q_lik", Kind: survey.Likert, Text: "I feel more prepared"},
	}}
}

// peerData generates a fixture's responses as CSV: unequal weights,
// answers whose rates differ by gender and income, about one in ten
// unanswered; under "strata", three strata of twelve to fifteen clusters
// (organizations) with population sizes, one stratum sampled with
// replacement (size 0).
func peerData(c peerCase) []byte {
	r := rand.New(rand.NewPCG(c.seed, 7))
	genders := []string{"woman", "woman", "woman", "man", "nonbinary", ""}
	incomes := []string{"under_200_fpl", "200_399_fpl", "400_plus_fpl", ""}
	var b bytes.Buffer
	b.WriteString("respondent_id,weight,gender,income,stratum,cluster,stratum_size,q_yes,q_lik\n")
	row := func(id int, stratum, cluster string, size int, shift float64) {
		g, in := r.IntN(len(genders)), r.IntN(len(incomes))
		w := math.Exp(r.NormFloat64() * 0.6)
		rate := 0.35 + 0.08*float64(g%3) + 0.07*float64(in) + shift
		yes := ""
		if r.Float64() > 0.1 {
			yes = "no"
			if r.Float64() < rate {
				yes = "yes"
			}
		}
		lik := ""
		if r.Float64() > 0.1 {
			lik = strconv.Itoa(1 + min(4, int(5*math.Pow(r.Float64(), 1-rate+0.2))))
		}
		sz := ""
		if stratum != "" {
			sz = strconv.Itoa(size)
		}
		fmt.Fprintf(&b, "r%d,%.6f,%s,%s,%s,%s,%s,%s,%s\n", id, w, genders[g], incomes[in], stratum, cluster, sz, yes, lik)
	}
	if c.design == "weights" {
		for i := range 900 {
			row(i, "", "", 0, 0)
		}
		return b.Bytes()
	}
	if c.design == "binomial" {
		// The same rows without weights or design columns.
		for i := range 700 {
			row(i, "", "", 0, 0)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			panic(err)
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		for _, rec := range recs {
			w.Write([]string{rec[0], rec[2], rec[3], rec[7], rec[8]})
		}
		w.Flush()
		return out.Bytes()
	}
	id := 0
	for h, size := range []int{40, 0, 25} {
		for k := range 12 + h {
			shift := 0.15 * (r.Float64() - 0.5)
			for range 8 + r.IntN(20) {
				row(id, fmt.Sprintf("s%d", h+1), fmt.Sprintf("org%02d", k+1), size, shift)
				id++
			}
		}
	}
	return b.Bytes()
}

// peerRow is one domain's figures from R, as proportions.
type peerRow struct {
	n                                       int
	p, se, betaLo, betaHi, logitLo, logitHi float64
	mean, meanSE                            float64
}

func readPeer(t *testing.T, data []byte) map[[3]string]peerRow {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	out := map[[3]string]peerRow{}
	f := func(s string) float64 {
		if s == "NA" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err, "R output %q", s)
		return v
	}
	for _, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[3])
		require.NoError(t, err)
		out[[3]string{rec[0], rec[1], rec[2]}] = peerRow{n, f(rec[4]), f(rec[5]), f(rec[6]), f(rec[7]), f(rec[8]), f(rec[9]), f(rec[10]), f(rec[11])}
	}
	return out
}

// runPeer runs testdata/r/peer.R on a fixture's data.
func runPeer(t *testing.T, c peerCase, data []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "data.csv"), filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(in, data, 0o600))
	cmd := exec.Command("Rscript", filepath.Join("testdata", "r", "peer.R"), in, out, c.design)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "Rscript: %s", msg)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	return got
}

// comparePeer estimates the fixture with every breakdown of gender and
// income and checks each cell against R's figures to 1e-6: the estimate,
// its SE, the beta and logit intervals and, for the Likert item, the
// mean and its SE; every R domain is a cell and every cell with
// respondents an R domain.
func comparePeer(t *testing.T, c peerCase, s *survey.Set, want map[[3]string]peerRow) {
	t.Helper()
	require.Greater(t, len(want), 40, "R's domains")
	bds := [][]survey.Dimension{{survey.ByGender}, {survey.ByIncome}, {survey.ByGender, survey.ByIncome}}
	methods := c.methods()
	for _, method := range methods {
		rep, err := s.Estimate(survey.Query{Breakdowns: bds, Disclosure: ptr(survey.Unsuppressed()), Interval: method})
		require.NoError(t, err)
		require.Equal(t, method, rep.Interval)
		seen := map[[3]string]bool{}
		for _, tb := range rep.Tables {
			for _, c := range tb.Cells {
				key := [3]string{tb.Item, "", ""}
				for k, dim := range tb.Dimensions {
					key[1+map[survey.Dimension]int{survey.ByGender: 0, survey.ByIncome: 1}[dim]] = c.Group[k]
				}
				w, ok := want[key]
				if *c.N == 0 {
					require.False(t, ok, "%v: R has a domain the cell says is empty", key)
					continue
				}
				require.True(t, ok, "%v: no R domain", key)
				seen[key] = true
				require.Equal(t, w.n, *c.N, "%v: n", key)
				near := func(what string, want, got float64) {
					t.Helper()
					require.False(t, math.IsNaN(want), "%v %s: R gave NA", key, what)
					if math.Abs(want-got) > 1e-6 {
						t.Fatalf("%v %s %s = %.12g; R %.12g", key, method, what, got, want)
					}
				}
				near("estimate", w.p, *c.Percent/100)
				near("SE", w.se, *c.SE/100)
				lo, hi := w.betaLo, w.betaHi
				if method == methods[1] {
					lo, hi = w.logitLo, w.logitHi
				}
				near("low", lo, *c.Low/100)
				near("high", hi, *c.High/100)
				if tb.Item == "q_lik" {
					near("mean", w.mean, *c.Mean)
					near("mean SE", w.meanSE, *c.MeanSE)
				}
			}
		}
		require.Len(t, seen, len(want), "R domains matched by a cell")
	}
}

// TestEstimatesMatchR compares estimates, standard errors and intervals
// with R's survey package: svymean and svyciprop ("beta", "logit") on
// svydesign(ids = ~1, weights = ~weight), and on clusters within strata
// with a finite population correction, overall and by gender crossed
// with income; and unweighted data with R's exact binomial forms:
// sqrt(p(1-p)/n), prop.test without continuity correction (Wilson),
// binom.test (Clopper-Pearson), and the Likert mean with sd/sqrt(n). R's figures are committed under testdata/r (refresh with
// -update); where Rscript is installed, R also runs on the spot.
func TestEstimatesMatchR(t *testing.T) {
	for _, c := range peerCases {
		t.Run(c.name, func(t *testing.T) {
			data := peerData(c)
			dataPath := filepath.Join("testdata", "r", c.name+".csv")
			wantPath := filepath.Join("testdata", "r", c.name+".want.csv")
			if *update {
				require.NoError(t, os.WriteFile(dataPath, data, 0o644))
				require.NoError(t, os.WriteFile(wantPath, runPeer(t, c, data), 0o644))
			}
			committed, err := os.ReadFile(dataPath)
			require.NoError(t, err)
			require.Equal(t, string(committed), string(data), "%s differs from the generated fixture: run go test -run TestEstimatesMatchR -update", dataPath)
			s, _, err := survey.ImportCSV(bytes.NewReader(data), peerInstrument(c.weighted()), survey.ImportOptions{})
			require.NoError(t, err)
			golden, err := os.ReadFile(wantPath)
			require.NoError(t, err)
			comparePeer(t, c, s, readPeer(t, golden))
			t.Run("live", func(t *testing.T) {
				if _, err := exec.LookPath("Rscript"); err != nil {
					t.Skip("Rscript is not installed (apt-get install r-base-core r-cran-survey): compared with the committed R figures only")
				}
				comparePeer(t, c, s, readPeer(t, runPeer(t, c, data)))
			})
		})
	}
}
