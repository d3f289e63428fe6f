package main

import (
	"context"
	"os"
	"strings"

	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/scholarship"
)

// subject is the test application: Fault makes the rule misbehave on it.
type subject struct {
	ID     string `json:"id"`
	Months int    `json:"months"`
	Fault  string `json:"fault,omitempty"`
}

// tenure is an eligibility rule that also misbehaves on request: "panic",
// "nocode", "badoutcome", "exit", "hang".
var tenure = scholarship.RuleFunc[subject](func(ctx context.Context, batch []subject) ([][]scholarship.Reason, error) {
	out := make([][]scholarship.Reason, len(batch))
	for i, s := range batch {
		switch s.Fault {
		case "panic":
			var p *subject
			_ = p.Months // a nil dereference on this one application
		case "nocode":
			out[i] = []scholarship.Reason{{Outcome: scholarship.Ineligible}}
			continue
		case "badoutcome":
			out[i] = []scholarship.Reason{{Code: "x", Outcome: "maybe"}}
			continue
		case "exit":
			os.Exit(4)
		case "hang":
			<-make(chan struct{})
		}
		if s.Months < 6 {
			out[i] = []scholarship.Reason{{Code: "tenure_short", Outcome: scholarship.Ineligible, Field: "months", Params: map[string]string{"months": "6"}}}
		}
	}
	return out, nil
})

// seniority is a criterion that misbehaves on request: an application
// whose ID starts with "panic" panics it, one starting with "range" gets
// points above 1.
var seniority = scholarship.CriterionFunc(func(a scholarship.Application) scholarship.Points {
	switch {
	case strings.HasPrefix(a.ID, "panic"):
		panic("seniority: cannot score " + a.ID)
	case strings.HasPrefix(a.ID, "range"):
		return scholarship.Points{Value: 2}
	}
	return scholarship.Points{Value: min(float64(a.Applicant.MonthsEmployed)/12, 1), Why: "months"}
})

// sloppy is a grouping rule whose amendment names a member not in the
// problem and excludes one without a reason code, for the host's checks.
var sloppy = grouping.RuleFunc(func(_ context.Context, p *grouping.Problem) (grouping.Amendment, error) {
	first := p.Members[0].ID
	return grouping.Amendment{
		CannotLink: []grouping.Pair{{A: first, B: "ghost"}},
		Exclude:    []grouping.Exclusion{{Member: first}},
		PairScores: []grouping.PairScore{{A: first, B: first, Score: 1}},
	}, nil
})

// telltale is an eligibility rule on applications that repeats, in an
// eligible reason, the demographics it was sent: a host that must not
// pass them to plug-ins shows that it does not.
var telltale = scholarship.Each(scholarship.RuleInfo{Name: "telltale", Version: "1.0.0"}, func(a scholarship.Application) []scholarship.Reason {
	d := a.Applicant.Demographics
	races := make([]string, len(d.Race))
	for i, r := range d.Race {
		races[i] = string(r)
	}
	return []scholarship.Reason{{Code: "telltale", Outcome: scholarship.Eligible,
		Params: map[string]string{"race": strings.Join(races, ","), "gender": string(d.Gender), "age_band": string(d.AgeBand), "income": string(d.Income)}}}
})

// stall is an eligibility rule that never answers, ignoring its context
// as a buggy rule would.
var stall = scholarship.RuleFunc[scholarship.Application](func(context.Context, []scholarship.Application) ([][]scholarship.Reason, error) {
	select {}
})

// die is an eligibility rule whose process exits in the middle of every
// call.
var die = scholarship.RuleFunc[scholarship.Application](func(context.Context, []scholarship.Application) ([][]scholarship.Reason, error) {
	os.Exit(5)
	return nil, nil
})

// offtext declares a text for "tenure_short" but gives every application
// the code "tenure_unknown", which it declares no text for.
var offtext = scholarship.Each(scholarship.RuleInfo{Name: "offtext", Version: "1.0.0"}, func(scholarship.Application) []scholarship.Reason {
	return []scholarship.Reason{{Code: "tenure_unknown", Outcome: scholarship.Ineligible}}
})

// fragile panics on the applicant named "panic" and finds nothing against
// anyone else.
var fragile = scholarship.Each(scholarship.RuleInfo{Name: "fragile", Version: "1.0.0"}, func(a scholarship.Application) []scholarship.Reason {
	if a.Applicant.Name == "panic" {
		var m map[string]int
		m["boom"]++
	}
	return nil
})
