package main

import (
	"context"
	"testing"

	"github.com/beststarts/workforce/scholarship"
)

func TestRule(t *testing.T) {
	tests := []struct {
		name         string
		hours, works float64
		want         string
	}{
		{"full time", 20, 40, ""},
		{"exactly", 20, 20, ""},
		{"short", 20, 19.5, CodeHoursShort},
		{"unknown hours", 20, 0, CodeHoursShort},
		{"lower bar", 10, 12, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := scholarship.Application{ID: "a", Applicant: scholarship.Applicant{HoursPerWeek: tt.works}}
			res, err := rule(tt.hours).Check(context.Background(), []scholarship.Application{app})
			if err != nil || len(res) != 1 {
				t.Fatalf("Check = %v, %v", res, err)
			}
			got := ""
			if len(res[0]) > 0 {
				got = res[0][0].Code
				if res[0][0].Outcome != scholarship.Ineligible || res[0][0].Validate() != nil {
					t.Errorf("reason = %+v", res[0][0])
				}
			}
			if got != tt.want {
				t.Errorf("reason code = %q; want %q", got, tt.want)
			}
		})
	}
}
