package main

import (
	"context"
	"testing"

	"github.com/beststarts/workforce/scholarship"
)

func TestRule(t *testing.T) {
	app := func(months int, hired bool) scholarship.Application {
		return scholarship.Application{ID: "a", Applicant: scholarship.Applicant{MonthsEmployed: months, Hired: hired}}
	}
	tests := []struct {
		name   string
		months int
		app    scholarship.Application
		want   string // reason code, or "" for none
	}{
		{"new hire", 6, app(0, false), CodeTenureShort},
		{"five months", 6, app(5, false), CodeTenureShort},
		{"exactly six", 6, app(6, false), ""},
		{"years", 6, app(40, false), ""},
		{"hired, not started", 6, app(0, true), CodeTenureShort},
		{"twelve required", 12, app(8, false), CodeTenureShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := rule(tt.months).Check(context.Background(), []scholarship.Application{tt.app})
			if err != nil || len(res) != 1 {
				t.Fatalf("Check = %v, %v", res, err)
			}
			got := ""
			if len(res[0]) > 0 {
				got = res[0][0].Code
				if res[0][0].Outcome != scholarship.Ineligible || res[0][0].Rule != "agency_six_months" || res[0][0].Validate() != nil {
					t.Errorf("reason = %+v", res[0][0])
				}
			}
			if got != tt.want {
				t.Errorf("reason code = %q; want %q", got, tt.want)
			}
		})
	}
}
