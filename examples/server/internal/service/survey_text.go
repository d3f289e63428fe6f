package service

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/survey"
)

// Why a figure is hidden, in words. A published cell's rule is a stable
// code, "<standard>:<reason>" ("wa_doh:suppressed"); readers get the code
// and, beside it, these sentences. A published table's rules are neutral
// (suppressed or top_coded), so the words never say which figure was small
// or which neighbour a cell protects.

// standardNames names each preset standard for readers.
var standardNames = map[string]string{
	"wa_doh":       "the Washington State Department of Health's small-numbers standard",
	"phskc":        "the small-numbers practice of Public Health - Seattle & King County",
	"nchs":         "the National Center for Health Statistics' standard for proportions",
	"unsuppressed": "no disclosure standard",
}

// standardName names a standard for readers; an unknown one by its code.
func standardName(code string) string {
	if n, ok := standardNames[code]; ok {
		return n
	}
	return fmt.Sprintf("the %q standard", code)
}

// cellWhy says why a published cell's figures are hidden or shown as a
// range; "" for a cell whose figures are shown.
func cellWhy(c survey.Cell) string {
	if !c.Suppressed && c.Range == "" {
		return ""
	}
	return ruleWhy(c.Rule)
}

// ruleWhy says in words what a rule code means. Reasons the library adds
// later read as a hidden figure under the code's standard.
func ruleWhy(rule string) string {
	std, reason, _ := strings.Cut(rule, ":")
	name := standardName(std)
	number := func(prefix string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimPrefix(reason, prefix))
		return n, err == nil && strings.HasPrefix(reason, prefix)
	}
	if n, ok := number("pairs_under_"); ok {
		return fmt.Sprintf("Hidden under %s: fewer than %d people answered both surveys, too few to publish without risking identifying someone.", name, n)
	}
	if n, ok := number("count_under_"); ok {
		return fmt.Sprintf("Hidden under %s: fewer than %d people gave one of the answers, so the figures could identify someone.", name, n)
	}
	if n, ok := number("respondents_under_"); ok {
		return fmt.Sprintf("Hidden under %s: fewer than %d people answered, too few to publish without risking identifying someone.", name, n)
	}
	switch reason {
	case survey.RuleTopCoded:
		return fmt.Sprintf("Shown only as a range under %s: few people answered and the exact figure is close to 0%% or 100%%, so it could identify someone.", name)
	case survey.RuleSuppressed:
		return fmt.Sprintf("Hidden under %s: the group is too small, or its figures would let another hidden figure be worked out, so publishing them could identify someone.", name)
	}
	return fmt.Sprintf("Hidden under %s to protect the people who answered.", name)
}

// missingWhy says why a trend cell has no figure; "" for one that has.
func missingWhy(code string) string {
	switch code {
	case "":
		return ""
	case survey.MissingHiddenFrom:
		return "No change is shown: the group's figures are hidden in the earlier release, to protect the people who answered."
	case survey.MissingHiddenTo:
		return "No change is shown: the group's figures are hidden in the later release, to protect the people who answered."
	case survey.MissingHiddenBoth:
		return "No change is shown: the group's figures are hidden in both releases, to protect the people who answered."
	case survey.MissingNoResponses:
		return "No change is shown: nobody in the group answered the item in one of the two cycles."
	case survey.MissingNotInFrom:
		return "No change is shown: nobody in the group answered in the earlier cycle."
	case survey.MissingNotInTo:
		return "No change is shown: nobody in the group answered in the later cycle."
	case survey.MissingNoVariance:
		return "No test of the change is possible: every respondent answered alike in both cycles."
	}
	return "No change is shown for this group."
}
