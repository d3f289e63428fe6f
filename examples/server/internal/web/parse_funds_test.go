package web

import (
	"testing"

	"github.com/beststarts/workforce/scholarship"
)

func TestParseDollars(t *testing.T) {
	for _, c := range []struct {
		in   string
		want scholarship.Cents
		ok   bool
	}{
		{"9,500", 9_500_00, true},
		{"$19,000.00", 19_000_00, true},
		{" 12.5 ", 12_50, true},
		{"0.07", 7, true},
		{"0", 0, true},
		{"", 0, false},
		{"lots", 0, false},
		{"-5", 0, false},
		{"1.234", 0, false},
		{"1.", 0, false},
		{".5", 0, false},
		{"1.-5", 0, false},
		{"1.+5", 0, false},
		{"9999999999999", 0, false},
	} {
		got, ok := parseDollars(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseDollars(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzParseDollars: no input panics, an amount read is never negative,
// and what dollarsPlain writes reads back the same.
func FuzzParseDollars(f *testing.F) {
	for _, s := range []string{"9,500", "$19,000.00", "0.07", "1.", "-1", "1e9"} {
		f.Add(s, int64(123456))
	}
	f.Fuzz(func(t *testing.T, s string, c int64) {
		if v, ok := parseDollars(s); ok && v < 0 {
			t.Errorf("parseDollars(%q) = %d", s, v)
		}
		if c < 0 || c > 999_999_999_999_99 {
			return
		}
		if v, ok := parseDollars(dollarsPlain(scholarship.Cents(c))); !ok || v != scholarship.Cents(c) {
			t.Errorf("parseDollars(dollarsPlain(%d)) = %d, %v", c, v, ok)
		}
	})
}
