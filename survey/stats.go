package survey

import "math"

// z95 is the standard normal quantile of 0.975.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval of x successes in n trials,
// as proportions. It stays within [0, 1], contains x/n, and behaves at 0%,
// 100% and small n. n must be positive.
func Wilson(x, n float64) (lo, hi float64) {
	p := x / n
	z2 := z95 * z95
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z95 * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / den
	lo, hi = math.Max(0, center-half), math.Min(1, center+half)
	// Rounding can leave an end a hair past the estimate at 0 or 1.
	return math.Min(lo, p), math.Max(hi, p)
}

// KornGraubard returns the 95% Korn-Graubard interval of a proportion p
// estimated from weighted data with effective sample size nEff (Kish):
// the Clopper-Pearson interval of p*nEff "successes" in nEff trials. With
// equal weights it is the exact Clopper-Pearson interval.
func KornGraubard(p, nEff float64) (lo, hi float64) {
	x := p * nEff
	// The Wilson interval is close: Newton's method starts there.
	wlo, whi := Wilson(x, nEff)
	if x > 0 {
		lo = betaQuantile(0.025, x, nEff-x+1, wlo)
	}
	hi = 1
	if x < nEff {
		hi = betaQuantile(0.975, x+1, nEff-x, whi)
	}
	return math.Min(lo, p), math.Max(hi, p)
}

// EffectiveN is Kish's effective sample size (sum w)^2 / sum w^2.
func EffectiveN(sumW, sumW2 float64) float64 {
	if sumW2 == 0 {
		return 0
	}
	return sumW * sumW / sumW2
}

// BetaQuantile returns x with I_x(a, b) = q: the inverse of the
// regularized incomplete beta function (the quantile of a Beta(a, b)
// distribution), by Newton's method on [RegIncBeta] with the Beta density
// as derivative, safeguarded by bisection so that it always converges. q
// outside (0, 1) gives 0 or 1; a and b must be positive.
func BetaQuantile(q, a, b float64) float64 { return betaQuantile(q, a, b, a/(a+b)) }

// betaQuantile is BetaQuantile from a first guess x in (0, 1).
func betaQuantile(q, a, b, x float64) float64 {
	if !(x > 0 && x < 1) {
		x = a / (a + b)
	}
	if q <= 0 || math.IsNaN(q) {
		return 0
	}
	if q >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	lbeta := la + lb - lab
	lo, hi := 0.0, 1.0
	for range 400 {
		f := RegIncBeta(x, a, b) - q
		if f == 0 {
			return x
		}
		if f < 0 {
			lo = x
		} else {
			hi = x
		}
		pdf := math.Exp((a-1)*math.Log(x) + (b-1)*math.Log1p(-x) - lbeta)
		next := x - f/pdf
		if pdf == 0 || math.IsInf(pdf, 0) || math.IsNaN(next) || next <= lo || next >= hi {
			next = lo + (hi-lo)/2 // bisection keeps the bracket shrinking
		} else if math.Abs(next-x) <= 1e-15*x {
			return next
		}
		if next == x || hi-lo <= 1e-16*hi {
			return next
		}
		x = next
	}
	return x
}

// RegIncBeta is the regularized incomplete beta function I_x(a, b), by
// its continued fraction (Lentz's method).
func RegIncBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(x, a, b) / a
	}
	return 1 - front*betaCF(1-x, b, a)/b
}

func betaCF(x, a, b float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 10000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return h
}

// normalSF is the standard normal survival function P(Z > z).
func normalSF(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// TwoProportionTest compares p1 from effective sample n1 with p2 from n2
// by the pooled two-proportion z-test and returns z and the two-sided
// p-value.
func TwoProportionTest(p1, n1, p2, n2 float64) (z, pValue float64) {
	pool := (p1*n1 + p2*n2) / (n1 + n2)
	se := math.Sqrt(pool * (1 - pool) * (1/n1 + 1/n2))
	if se == 0 {
		if p1 == p2 {
			return 0, 1
		}
		return math.Copysign(math.Inf(1), p2-p1), 0
	}
	z = (p2 - p1) / se
	return z, 2 * normalSF(math.Abs(z))
}
