package cel_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins/cel"
	"github.com/beststarts/workforce/scholarship"
)

// BenchmarkCELRule judges 10,000 applications with the CEL twin of the
// minhours plug-in (about a third fail it and get a reason with params)
// and of the priority-languages plug-in (a loop over a list per
// application). The goal is 50 ms per 10,000.
func BenchmarkCELRule(b *testing.B) {
	apps := make([]scholarship.Application, 10_000)
	langs := [][]bsk.Language{{"en"}, {"so", "en"}, {"es"}, {"ti", "am"}}
	for i := range apps {
		apps[i] = scholarship.Application{ID: fmt.Sprintf("app-%05d", i),
			Applicant: scholarship.Applicant{HoursPerWeek: float64(i % 30), MonthsEmployed: i % 12, Languages: langs[i%len(langs)]}}
	}
	for _, name := range []string{"minhours", "prioritylanguages"} {
		b.Run(name, func(b *testing.B) {
			r, err := cel.Compile(example(b, name), cel.Options{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Check(ctx, apps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzCompile compiles any rule text as an eligibility and as a grouping
// rule, and evaluates what compiles: no input may panic or hang, and
// every error is coded.
func FuzzCompile(f *testing.F) {
	for _, name := range []string{"minhours", "sixmonths", "prioritylanguages"} {
		f.Add(string(example(f, name)))
	}
	f.Add(header + "  - when: lists.range(1000).map(i, i).size() > 3\n    outcome: ineligible\n    code: c\n    text: {en: t}\n")
	f.Add("name: r\nversion: 1\nsettings: &a {x: *a}\nchecks: []\n")
	f.Add("[")
	f.Add(string(example(f, "noreports")))
	apps := []scholarship.Application{{}, {Applicant: scholarship.Applicant{HoursPerWeek: 40, Languages: []bsk.Language{"so", "en"}}}}
	problem := &grouping.Problem{Members: []grouping.Member{{ID: "a", Attrs: map[string]string{"supervisor": "b"}}, {ID: "b", Sets: map[string][]string{"languages": {"en"}}}}}
	f.Fuzz(func(t *testing.T, text string) {
		if g, err := cel.CompileGrouping([]byte(text), cel.Options{}); err == nil {
			if _, err := g.Amend(context.Background(), problem); err != nil && bsk.ErrorCode(err) != bsk.CodeInternal {
				t.Fatalf("Amend error %v has code %s; want internal", err, bsk.ErrorCode(err))
			}
		} else if bsk.ErrorCode(err) != bsk.CodeInvalid {
			t.Fatalf("CompileGrouping error %v has code %s; want invalid", err, bsk.ErrorCode(err))
		}
		r, err := cel.Compile([]byte(text), cel.Options{})
		if err != nil {
			if bsk.ErrorCode(err) != bsk.CodeInvalid {
				t.Fatalf("Compile error %v has code %s; want invalid", err, bsk.ErrorCode(err))
			}
			return
		}
		res, err := r.Check(context.Background(), apps)
		if err == nil && len(res) != len(apps) {
			t.Fatalf("Check returned %d results for %d applications", len(res), len(apps))
		}
		for _, rs := range res {
			for _, reason := range rs {
				if err := reason.Validate(); err != nil {
					t.Fatalf("reason %+v: %v", reason, err)
				}
			}
		}
	})
}
