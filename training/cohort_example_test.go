package training_test

import (
	"fmt"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

// ExampleNewCohort runs a certificate cohort of two seats: three enrol,
// the third waits and takes the seat of a participant who withdraws; a
// Spanish-speaking participant gets an interpreter at each module; and
// attendance gives each participant's completion.
func ExampleNewCohort() {
	w := smallYear()
	mods := []training.Module{
		{ID: "cert-m1", Title: "Anti-Racist Perspectives on Attachment", Starts: time.Date(2026, 8, 14, 16, 0, 0, 0, time.UTC), Minutes: 420, Clinician: "p-cara", Mentor: "p-eli"},
		{ID: "cert-m2", Title: "Collective Wounding and Healing", Starts: time.Date(2026, 9, 11, 16, 0, 0, 0, time.UTC), Minutes: 420, Clinician: "p-cara", Mentor: "p-eli"},
	}
	c, err := training.NewCohort(certificate(2), mods, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	for i, p := range []bsk.ProviderID{"p-binh", "p-dee", "p-ana"} {
		reg, _ := c.Enrol(enrolment(fmt.Sprintf("r%d", i+1), p, at.Add(time.Duration(i)*time.Hour)))
		fmt.Println(reg.ProviderID, reg.Status)
	}
	notices, _ := c.Withdraw("r2", at.AddDate(0, 1, 0))
	fmt.Printf("%s withdrew: %s promoted from place %d\n", notices[0].FreedBy, notices[0].ProviderID, notices[0].Position)

	plan, _ := c.Interpretation(w, training.InterpretOptions{})
	for _, b := range plan {
		fmt.Printf("%s: %d %s interpreters for %v, book by %s\n", b.SessionID, b.Interpreters, b.Language.Name(), b.Registrants, b.BookBy.Format(time.DateOnly))
	}

	attended := []bsk.Attendance{
		{SessionID: "cert-m1", ProviderID: "p-binh", Hours: 7, Credit: bsk.CreditTraining},
		{SessionID: "cert-m2", ProviderID: "p-binh", Hours: 7, Credit: bsk.CreditTraining},
		{SessionID: "cert-m2", ProviderID: "p-ana", Hours: 7, Credit: bsk.CreditTraining},
	}
	for _, cp := range c.Completion(attended, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) {
		fmt.Printf("%s %s: %s\n", cp.ProviderID, cp.Status, cp.Reason.ReasonText("en"))
	}
	// Output:
	// p-binh registered
	// p-dee registered
	// p-ana waitlisted
	// r2 withdrew: p-ana promoted from place 1
	// cert-m1: 2 Spanish interpreters for [p-ana], book by 2026-07-31
	// cert-m2: 2 Spanish interpreters for [p-ana], book by 2026-08-28
	// p-binh completed: Completed: attended 2 of the 2 modules required.
	// p-dee withdrawn: Withdrew after attending 0 modules.
	// p-ana incomplete: Cannot complete: attended 1 of 2 modules and only 0 remain.
}

// ExampleCohort_Outcomes measures a cohort's change in confidence from
// its participants' answers before and after the program, through
// survey's paired analysis; a respondent who is not a participant is left
// out.
func ExampleCohort_Outcomes() {
	mods := []training.Module{{ID: "cert-m1", Title: "Reflective Practice and Sustainability", Starts: time.Date(2026, 8, 14, 16, 0, 0, 0, time.UTC), Minutes: 420, Clinician: "clin", Mentor: "ment"}}
	c, _ := training.NewCohort(certificate(100), mods, 0)
	in := survey.Instrument{ID: "cert", Version: "1", Cycle: "2026", Items: []survey.Item{{Code: "confident", Kind: survey.YesNo, Text: "I feel confident supporting families' relationships"}}}
	before, _ := survey.NewSet(in)
	after, _ := survey.NewSet(in)
	yes := map[bool]string{true: "yes", false: "no"}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 66 {
		id := fmt.Sprintf("p%02d", i)
		if i < 65 { // p65 answered but never enrolled
			c.Enrol(enrolment("r"+id, bsk.ProviderID(id), at))
		}
		// 20 confident both times, 25 only after, 10 only before, 10 neither.
		was, is := i < 20 || (i >= 45 && i < 55), i < 45
		before.Add(survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"confident": {yes[was]}}})
		after.Add(survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"confident": {yes[is]}}})
	}
	out, err := c.Outcomes(before, after, []string{"confident"}, survey.WADOH())
	if err != nil || out[0].Suppressed {
		fmt.Println(err)
		return
	}
	p := out[0]
	fmt.Printf("%d pairs: %.0f%% before, %.0f%% after, %+.1f points, %s p = %.2g\n", p.Pairs, *p.Before, *p.After, *p.Points, p.Test, *p.PValue)
	// Output:
	// 65 pairs: 46% before, 69% after, +23.1 points, mcnemar p = 0.018
}
