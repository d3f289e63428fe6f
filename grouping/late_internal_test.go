package grouping

import (
	"slices"
	"testing"
)

func TestLateAcceptance(t *testing.T) {
	l := newLateAcceptance(3, 10)
	for round, c := range []struct {
		obj, cur float64
		want     bool
		why      string
	}{
		{9, 10, false, "worse than the current 10 and the start's 10"},
		{12, 10, true, "an improvement"},
		{14, 12, true, "an improvement"},
		{11, 14, true, "worse than the current 14, but not than round 0's current 10"},
		{11, 11, true, "equal to the current"},
		{13, 11, true, "an improvement"},
		{10.5, 13, false, "worse than the current 13 and than round 3's 11"},
		{12.5, 13, true, "worse than the current 13, but not than round 4's 12 (round 1's 12 kept over round 4's 11)"},
	} {
		if got := l.accept(c.obj, c.cur, round); got != c.want {
			t.Fatalf("round %d: accept(%v, current %v) = %v: %s", round, c.obj, c.cur, got, c.why)
		}
	}
	// What is remembered only rises: each place holds the highest current
	// objective seen there.
	if want := []float64{13, 12.5, 14}; !slices.Equal(l.hist, want) {
		t.Fatalf("remembered %v, want %v", l.hist, want)
	}
}

func TestLateWindow(t *testing.T) {
	for _, c := range []struct{ units, want int }{
		{0, acceptWindow}, {60, acceptWindow}, {680, acceptWindow}, {1980, 17}, {9980, 3}, {100_000, 2},
	} {
		if got := lateWindow(c.units); got != c.want {
			t.Errorf("lateWindow(%d) = %d, want %d", c.units, got, c.want)
		}
	}
}
