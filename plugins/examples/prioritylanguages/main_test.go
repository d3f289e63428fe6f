package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func TestRule(t *testing.T) {
	priority, err := parseLanguages("so,am,ti")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		speaks []bsk.Language
		want   string // "language@field" per reason
	}{
		{nil, ""},
		{[]bsk.Language{bsk.English, bsk.Spanish}, ""},
		{[]bsk.Language{bsk.English, bsk.Tigrinya}, "ti@applicant.languages[1]"},
		{[]bsk.Language{bsk.Tigrinya, bsk.Amharic, bsk.Somali}, "so@applicant.languages[2] am@applicant.languages[1] ti@applicant.languages[0]"},
	}
	for _, tt := range tests {
		a := scholarship.Application{ID: "a", Applicant: scholarship.Applicant{Languages: tt.speaks}}
		res, err := rule(priority).Check(context.Background(), []scholarship.Application{a})
		if err != nil || len(res) != 1 {
			t.Fatalf("Check = %v, %v", res, err)
		}
		var got []string
		for _, r := range res[0] {
			if r.Code != CodePriorityLanguage || r.Outcome != scholarship.Eligible {
				t.Errorf("reason %+v; want an informational %s", r, CodePriorityLanguage)
			}
			got = append(got, r.Params["language"]+"@"+r.Field)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("speaks %v: %q; want %q", tt.speaks, strings.Join(got, " "), tt.want)
		}
	}
}

func TestParseLanguages(t *testing.T) {
	got, err := parseLanguages(" so, am,so ")
	if err != nil || len(got) != 2 || got[0] != bsk.Somali || got[1] != bsk.Amharic {
		t.Errorf("parseLanguages = %v, %v", got, err)
	}
	if _, err := parseLanguages("so,klingon"); !errors.Is(err, bsk.ErrInvalid) {
		t.Errorf("parseLanguages(klingon) = %v; want invalid", err)
	}
}

func TestCriterion(t *testing.T) {
	priority := []bsk.Language{bsk.Somali, bsk.Amharic, bsk.Tigrinya}
	apps := []scholarship.Application{
		{ID: "a", Applicant: scholarship.Applicant{Languages: []bsk.Language{bsk.English}}},
		{ID: "b", Applicant: scholarship.Applicant{Languages: []bsk.Language{bsk.English, bsk.Amharic}}},
		{ID: "c"},
	}
	got, err := criterion(priority).Score(context.Background(), apps)
	want := []scholarship.Points{{}, {Value: 1, Why: CodeSpeaksPriority}, {}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("Score = %v, %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Score(%s) = %+v; want %+v", apps[i].ID, got[i], want[i])
		}
	}
}
