package survey_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/beststarts/workforce/survey"
)

// wilsonRef is the textbook Wilson score interval.
func wilsonRef(x, n float64) (float64, float64) {
	z := distuv.UnitNormal.Quantile(0.975)
	p := x / n
	c := (p + z*z/(2*n)) / (1 + z*z/n)
	h := z / (1 + z*z/n) * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return c - h, c + h
}

func TestWilsonMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 2000 {
		n := float64(1 + r.IntN(2000))
		x := float64(r.IntN(int(n) + 1))
		lo, hi := survey.Wilson(x, n)
		rlo, rhi := wilsonRef(x, n)
		if math.Abs(lo-math.Max(0, rlo)) > 1e-9 || math.Abs(hi-math.Min(1, rhi)) > 1e-9 {
			t.Fatalf("Wilson(%v, %v) = [%v, %v]; reference [%v, %v]", x, n, lo, hi, rlo, rhi)
		}
		if p := x / n; lo > p || hi < p || lo < 0 || hi > 1 {
			t.Fatalf("Wilson(%v, %v) = [%v, %v] does not contain %v within [0, 1]", x, n, lo, hi, p)
		}
	}
}

func TestKornGraubardMatchesBetaQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for range 500 {
		nEff := 1 + r.Float64()*3000
		p := r.Float64()
		switch r.IntN(5) {
		case 0:
			p = 0
		case 1:
			p = 1
		}
		lo, hi := survey.KornGraubard(p, nEff)
		x := p * nEff
		rlo, rhi := 0.0, 1.0
		if x > 0 {
			rlo = distuv.Beta{Alpha: x, Beta: nEff - x + 1}.Quantile(0.025)
		}
		if x < nEff {
			rhi = distuv.Beta{Alpha: x + 1, Beta: nEff - x}.Quantile(0.975)
		}
		if math.Abs(lo-math.Min(rlo, p)) > 1e-9 || math.Abs(hi-math.Max(rhi, p)) > 1e-9 {
			t.Fatalf("KornGraubard(%v, %v) = [%v, %v]; gonum [%v, %v]", p, nEff, lo, hi, rlo, rhi)
		}
		if lo > p || hi < p || lo < 0 || hi > 1 {
			t.Fatalf("KornGraubard(%v, %v) = [%v, %v] does not contain p within [0, 1]", p, nEff, lo, hi)
		}
	}
}

func TestRegIncBetaMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for range 2000 {
		a, b, x := 0.1+r.Float64()*500, 0.1+r.Float64()*500, r.Float64()
		got := survey.RegIncBeta(x, a, b)
		want := distuv.Beta{Alpha: a, Beta: b}.CDF(x)
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("I_%v(%v, %v) = %v; gonum %v", x, a, b, got, want)
		}
	}
}

func TestTwoProportionTest(t *testing.T) {
	// 94% of 137 (2020) against 87% of 110 (2021).
	z, p := survey.TwoProportionTest(129.0/137, 137, 96.0/110, 110)
	pool := (129.0 + 96) / 247
	wantZ := (96.0/110 - 129.0/137) / math.Sqrt(pool*(1-pool)*(1.0/137+1.0/110))
	if math.Abs(z-wantZ) > 1e-12 {
		t.Errorf("z = %v; want %v", z, wantZ)
	}
	if want := 2 * distuv.UnitNormal.Survival(math.Abs(wantZ)); math.Abs(p-want) > 1e-12 {
		t.Errorf("p = %v; want %v", p, want)
	}
	if _, p := survey.TwoProportionTest(0.5, 100, 0.5, 100); p != 1 {
		t.Errorf("equal proportions p = %v; want 1", p)
	}
}

// TestBetaQuantileMatchesGonum covers the shapes Korn-Graubard intervals
// meet, from a fraction of a weighted respondent to a million, and the
// tails.
func TestBetaQuantileMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	scales := []float64{1, 10, 1e3, 1e5, 1e6}
	for range 3000 {
		sc := scales[r.IntN(len(scales))]
		a, b := 0.05+r.Float64()*sc, 0.05+r.Float64()*sc
		q := []float64{0.025, 0.975, r.Float64(), 1e-6}[r.IntN(4)]
		got := survey.BetaQuantile(q, a, b)
		want := distuv.Beta{Alpha: a, Beta: b}.Quantile(q)
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("BetaQuantile(%v, %v, %v) = %v; gonum %v", q, a, b, got, want)
		}
		if got < 0 || got > 1 {
			t.Fatalf("BetaQuantile(%v, %v, %v) = %v outside [0, 1]", q, a, b, got)
		}
	}
	if got := survey.BetaQuantile(0, 2, 3); got != 0 {
		t.Errorf("BetaQuantile(0, 2, 3) = %v; want 0", got)
	}
	if got := survey.BetaQuantile(1, 2, 3); got != 1 {
		t.Errorf("BetaQuantile(1, 2, 3) = %v; want 1", got)
	}
}

func TestKornGraubardLargeEffectiveN(t *testing.T) {
	for _, c := range []struct{ p, n float64 }{{0.94, 137}, {0.5, 1e6}, {1e-5, 1e6}, {0.999999, 1e6}, {0, 1e6}, {1, 1e6}, {0.3, 0.7}} {
		lo, hi := survey.KornGraubard(c.p, c.n)
		x := c.p * c.n
		rlo, rhi := 0.0, 1.0
		if x > 0 {
			rlo = distuv.Beta{Alpha: x, Beta: c.n - x + 1}.Quantile(0.025)
		}
		if x < c.n {
			rhi = distuv.Beta{Alpha: x + 1, Beta: c.n - x}.Quantile(0.975)
		}
		rlo, rhi = math.Min(rlo, c.p), math.Max(rhi, c.p)
		if math.Abs(lo-rlo) > 1e-9 || math.Abs(hi-rhi) > 1e-9 {
			t.Errorf("KornGraubard(%v, %v) = [%v, %v]; gonum [%v, %v]", c.p, c.n, lo, hi, rlo, rhi)
		}
	}
}
