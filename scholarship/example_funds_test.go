package scholarship_test

import (
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

// A cycle draws on a language-access fund first, then the general fund.
// When an award from the general fund is declined, the first applicant
// waiting is promoted into it.
func ExampleFundPlan() {
	cand := func(id string, l bsk.Language) scholarship.Candidate {
		a := app(id)
		a.Applicant.Languages = []bsk.Language{l}
		a.Requested = map[scholarship.Category]scholarship.Cents{scholarship.Tuition: 4_000_00}
		return scholarship.Candidate{Application: a, Verdict: scholarship.Verdict{Outcome: scholarship.Eligible}}
	}
	p := scholarship.FundPlan{
		Cycle: esit().Cycles[1],
		Funds: []scholarship.Fund{
			{Name: "language-access", Tier: 1, Budget: 4_000_00, Languages: []bsk.Language{bsk.Spanish, bsk.Somali}},
			{Name: "general", Tier: 2, Budget: 8_000_00},
		},
		Ranked: []scholarship.Candidate{cand("a1", bsk.Somali), cand("a2", bsk.English), cand("a3", bsk.Spanish), cand("a4", bsk.English)},
	}
	fa, err := p.Allocate()
	if err != nil {
		fmt.Println(err)
		return
	}
	if fa, err = p.Decline(fa, "a2"); err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range fa.Steps {
		fmt.Println(st.Seq, st.ApplicationID, st.Kind, st.Fund, st.Amount)
	}
	for _, b := range fa.Funds {
		fmt.Println(b.Name, "awarded", b.Awarded, "left", b.Left)
	}
	fmt.Println(fa.Steps[len(fa.Steps)-1].Text(scholarship.SpanishText))
	// Output:
	// 1 a1 awarded language-access $4,000.00
	// 2 a2 awarded general $4,000.00
	// 3 a3 awarded general $4,000.00
	// 4 a4 waitlisted  $0.00
	// 5 a2 declined general $4,000.00
	// 6 a4 promoted general $4,000.00
	// language-access awarded $4,000.00 left $0.00
	// general awarded $8,000.00 left $0.00
	// Alguien rechazó o devolvió una beca: ahora se le otorga una beca de $4,000.00 del fondo general.
}
