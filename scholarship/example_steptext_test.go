package scholarship_test

import (
	"fmt"

	"github.com/beststarts/workforce/scholarship"
)

// A decision's step in words: the award, or the place on the waitlist.
func ExampleStepText() {
	awarded := scholarship.DecisionRecord{Outcome: scholarship.Eligible, Step: "awarded", Rank: 1,
		Award: &scholarship.Award{Amount: 9_500_00}}
	waiting := scholarship.DecisionRecord{Outcome: scholarship.Eligible, Step: "waitlisted", Rank: 3}
	fmt.Println(scholarship.StepText(awarded, scholarship.EnglishText))
	fmt.Println(scholarship.StepText(awarded, scholarship.SpanishText))
	fmt.Println(scholarship.StepText(waiting, scholarship.EnglishText))
	// Output:
	// You are awarded $9,500.00.
	// Se le otorga una beca de $9,500.00.
	// You are on the waitlist, ranked 3: the budget ran out before your application. If an award is declined, its money goes down the waitlist in rank order.
}
