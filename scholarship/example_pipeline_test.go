package scholarship_test

import (
	"fmt"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
)

// Where in a cycle do applicants from each kind of agency fall away? 60
// clinic staff and 40 from child care: child care staff pass eligibility
// at three quarters of the clinics' rate, and eligible clinic staff are
// awarded at 0.6 of child care's, both flagged under the four-fifths
// rule. Under the WA DOH standard, child care's 3 declines are hidden,
// and so are the clinics' 12 (else the total would give child care's
// away).
func ExamplePipeline() {
	var entries []scholarship.PipelineEntry
	add := func(n int, kind bsk.OrganizationKind, eligible, awarded, declined, completed int) {
		for i := range n {
			a := app(fmt.Sprintf("%s-%02d", kind, i))
			a.Applicant.Employer = &bsk.Organization{ID: "o", Name: "O", Kind: kind, Place: "kent", ServesYoungChildren: true}
			e := scholarship.PipelineEntry{Application: a, Eligible: i < eligible, Reviewed: i < eligible, AboveLine: i < eligible}
			e.Awarded = i < awarded
			e.Declined = i < declined
			e.Completed = i >= declined && i < declined+completed
			entries = append(entries, e)
		}
	}
	add(60, bsk.OrgClinic, 50, 30, 12, 18)
	add(40, bsk.OrgChildCare, 25, 25, 3, 12)
	tab, err := scholarship.Pipeline(entries, survey.WADOH())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range tab.Rows {
		if r.Dimension != "agency_kind" {
			continue
		}
		var cells []string
		for j, c := range r.Cells {
			s := string(tab.Steps[j]) + " "
			switch {
			case c.Count == nil:
				s += "hidden"
			case c.Ratio != nil:
				s += fmt.Sprintf("%d (%.2f of the best)", *c.Count, *c.Ratio)
			default:
				s += fmt.Sprint(*c.Count)
			}
			if c.BelowFourFifths {
				s += " flagged"
			}
			cells = append(cells, s)
		}
		fmt.Println(r.Group+":", strings.Join(cells, ", "))
	}
	// Output:
	// child_care: applied 40, eligible 25 (0.75 of the best) flagged, reviewed 25 (1.00 of the best), above_line 25 (1.00 of the best), awarded 25 (1.00 of the best), declined hidden, completed 12 (0.80 of the best)
	// clinic: applied 60, eligible 50 (1.00 of the best), reviewed 50 (1.00 of the best), above_line 50 (1.00 of the best), awarded 30 (0.60 of the best) flagged, declined hidden, completed 18 (1.00 of the best)
}
