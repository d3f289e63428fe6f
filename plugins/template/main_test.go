//go:build unix

package main

import (
	"context"
	"testing"
	"time"

	"github.com/beststarts/workforce/plugins/plugintest"
	"github.com/beststarts/workforce/scholarship"
)

func applicant(months int) scholarship.Application {
	return scholarship.Application{ID: "a-1", Applicant: scholarship.Applicant{PersonID: "p-1", Name: "Ana", MonthsEmployed: months}}
}

// TestRule tests the rule as a Go value: quick, for every edge.
func TestRule(t *testing.T) {
	for _, tt := range []struct {
		months, worked int
		want           string
	}{{6, 6, ""}, {6, 24, ""}, {6, 5, CodeTenureShort}, {6, 0, CodeTenureShort}, {0, 0, ""}} {
		res, err := rule(tt.months).Check(context.Background(), []scholarship.Application{applicant(tt.worked)})
		if err != nil || len(res) != 1 {
			t.Fatalf("Check = %v, %v", res, err)
		}
		got := ""
		if len(res[0]) > 0 {
			got = res[0][0].Code
		}
		if got != tt.want {
			t.Errorf("months %d, worked %d: code %q; want %q", tt.months, tt.worked, got, tt.want)
		}
	}
}

// TestBinary tests the built binary as the county runs it: through the
// real host, with the catalog's arguments, its texts in every language.
func TestBinary(t *testing.T) {
	h := plugintest.Start(t, plugintest.Build(t, "."), plugintest.Options{Name: Name, Args: []string{"-months", "12"}, CallTimeout: 5 * time.Second})
	plugintest.Run(t, h, "agency_min_tenure", []plugintest.Case{
		{Name: "long enough", Application: applicant(12)},
		{Name: "too short", Application: applicant(3), Codes: []string{CodeTenureShort}, Outcome: scholarship.Ineligible,
			Texts: map[scholarship.Lang][]string{
				scholarship.EnglishText: {"You have worked 3 months at your agency; it nominates staff after 12."},
				scholarship.SpanishText: {"Ha trabajado 3 meses en su agencia; la agencia nomina al personal después de 12."},
				"vi":                    {"You have worked 3 months at your agency; it nominates staff after 12."},
			}},
	})
}
