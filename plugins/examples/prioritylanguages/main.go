// Command prioritylanguages is the plug-in of an agency that gives
// priority to applicants who speak Somali, Amharic or Tigrinya, the
// languages of the families it serves. It provides an eligibility rule,
// "priority_languages", which never blocks anyone: it gives an
// informational (eligible) reason "priority_language" for each priority
// language an applicant speaks, for reviewers to see; and a rubric
// criterion, "priority_language", worth full points for an applicant who
// speaks any of them.
//
// The county's catalog starts it with optional arguments:
//
//	-languages so,am,ti   the priority languages, as bsk language codes
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// CodePriorityLanguage is the informational reason an applicant speaks a
// priority language; its "language" parameter is the language code.
const CodePriorityLanguage = "priority_language"

// texts are what applicants and reviewers read for the rule's reasons.
var texts = scholarship.Texts{
	CodePriorityLanguage: {
		scholarship.EnglishText: "You speak a language the agency gives priority to (language code {language}).",
		scholarship.SpanishText: "Habla un idioma al que la agencia da prioridad (código de idioma {language}).",
	},
}

// rule notes each priority language an applicant speaks, in the order of
// priority.
func rule(priority []bsk.Language) scholarship.Rule[scholarship.Application] {
	names := make([]string, len(priority))
	for i, l := range priority {
		names[i] = l.Name()
	}
	return scholarship.Each(scholarship.RuleInfo{
		Name:        "priority_languages",
		Version:     "1.0.0",
		Description: "notes applicants who speak " + strings.Join(names, ", "),
	}, func(a scholarship.Application) []scholarship.Reason {
		var out []scholarship.Reason
		for _, l := range priority {
			if i := slices.Index(a.Applicant.Languages, l); i >= 0 {
				out = append(out, scholarship.Reason{
					Code:    CodePriorityLanguage,
					Field:   bsk.Index("applicant.languages", i),
					Outcome: scholarship.Eligible,
					Params:  map[string]string{"language": string(l)},
				})
			}
		}
		return out
	})
}

// CodeSpeaksPriority is the criterion's reason for full points.
const CodeSpeaksPriority = "speaks_priority_language"

// criterion gives full points to an applicant who speaks any priority
// language, for the county's rubric.
func criterion(priority []bsk.Language) scholarship.Criterion {
	return scholarship.CriterionFunc(func(a scholarship.Application) scholarship.Points {
		for _, l := range a.Applicant.Languages {
			if slices.Contains(priority, l) {
				return scholarship.Points{Value: 1, Why: CodeSpeaksPriority}
			}
		}
		return scholarship.Points{}
	})
}

// parseLanguages reads a comma-separated list of language codes.
func parseLanguages(s string) ([]bsk.Language, error) {
	var out []bsk.Language
	for _, code := range strings.Split(s, ",") {
		l := bsk.Language(strings.TrimSpace(code))
		if !l.Valid() {
			return nil, bsk.Invalidf("languages", "unknown language code %q", l)
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

func main() {
	langs := flag.String("languages", "so,am,ti", "priority languages, comma-separated language codes")
	flag.Parse()
	priority, err := parseLanguages(*langs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "prioritylanguages:", err)
		os.Exit(2)
	}
	plugins.Serve(plugins.Plugin{
		Name:    "prioritylanguages",
		Version: "1.0.0",
		Agency:  "Example East African Community Services",
		Handlers: []plugins.Handler{
			plugins.Eligibility(scholarship.RuleInfo{}, rule(priority)).WithTexts(texts),
			plugins.Scoring(scholarship.RuleInfo{Name: "priority_language", Version: "1.0.0",
				Description: "full points for an applicant who speaks a priority language"}, criterion(priority)),
		},
	})
}
