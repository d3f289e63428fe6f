package scholarship_test

import (
	"fmt"

	"github.com/beststarts/workforce/scholarship"
)

// A recipient reports credits each term, completes, and leaves the county
// halfway through a 12-month service commitment: the ledger prorates
// what is owed back.
func ExampleCompletion() {
	c := esit().Cycles[1] // a 12-month commitment
	l := scholarship.NewLedger(c, scholarship.Allocation{Awards: []scholarship.Award{{ApplicationID: "a1", Amount: 9_000_00}}})
	if _, err := l.Append(scholarship.Entry{ApplicationID: "a1", Kind: scholarship.Disbursement, Amount: 9_000_00, At: day}); err != nil {
		fmt.Println(err)
		return
	}
	track := scholarship.NewCompletion(l)
	for i, credits := range []int{15, 30, 45} {
		p := scholarship.CourseProgress{ApplicationID: "a1", CreditsEarned: credits, CreditsRequired: 45, At: day.AddDate(0, 3*(i+1), 0)}
		if _, err := track.Record(p); err != nil {
			fmt.Println(err)
			return
		}
	}
	if _, err := track.Complete("a1", day.AddDate(0, 9, 0)); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := l.Append(scholarship.Entry{ApplicationID: "a1", Kind: scholarship.LeftCounty, At: day.AddDate(0, 15, 0)}); err != nil {
		fmt.Println(err)
		return
	}
	st, _ := track.Status("a1", day.AddDate(0, 16, 0))
	fmt.Println(st.Code, st.CreditsEarned, "of", st.CreditsRequired)
	fmt.Println(st.Repayment.Code, st.Repayment.UnmetMonths, st.Repayment.Owed)
	// Output:
	// completed 45 of 45
	// left_before_commitment_met 6 $4,500.00
}
