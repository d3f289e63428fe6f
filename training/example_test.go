package training_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

// The examples read smallYear (helpers_test.go): two agencies and a
// clinic, six providers, an English training of capacity 3 with two
// 4-hour sessions, a Spanish-language training, and a community of
// leaders whose quarterly training earns training hours.

func ExampleRoster() {
	w := smallYear()
	r, _ := training.NewRoster(w.Offerings[0], "") // capacity 3
	at := time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)
	for i, p := range []bsk.ProviderID{"p-ana", "p-binh", "p-cara", "p-dee", "p-eli"} {
		g, _ := r.Register(bsk.Registration{ID: bsk.RegistrationID(fmt.Sprint("r", i+1)), OfferingID: "tr-attach", ProviderID: p, At: at.Add(time.Duration(i) * time.Minute)})
		fmt.Println(g.ProviderID, g.Status)
	}
	notices, _ := r.Cancel("r2", at.Add(time.Hour))
	for _, n := range notices {
		fmt.Printf("%s promoted from place %d (seat freed by %s)\n", n.ProviderID, n.Position, n.FreedBy)
	}
	fmt.Println(len(r.Registered()), "registered,", len(r.Waitlist()), "waiting")
	// Output:
	// p-ana registered
	// p-binh registered
	// p-cara registered
	// p-dee waitlisted
	// p-eli waitlisted
	// p-dee promoted from place 1 (seat freed by r2)
	// 3 registered, 1 waiting
}

// The Community of Leaders was open only to BIPOC leaders of levy grantees
// in the first levy, and to every agency serving young children from 2022.
func ExampleAudience() {
	c, _ := training.NewCatalog(smallYear())
	col, _ := c.Offering("col")
	rules := scholarship.RuleSet[training.Applicant]{Rules: []scholarship.Rule[training.Applicant]{
		training.Audience("community_of_leaders_audience",
			training.AudiencePeriod{From: date(2016, 1, 1), Until: date(2022, 1, 1), BIPOCOnly: true, GranteesOnly: true},
			training.AudiencePeriod{From: date(2022, 1, 1), YoungChildAgencies: true}),
	}}
	for _, on := range []time.Time{date(2019, 9, 1), date(2023, 9, 1)} {
		r, _ := training.NewRoster(col, "")
		g := bsk.Registration{ID: "r1", OfferingID: "col", ProviderID: "p-cara", At: on}
		a, _ := c.ApplicantFor(g)
		_, v, err := r.Admit(context.Background(), rules, a, g)
		var refusal *training.Refusal
		if errors.As(err, &refusal) {
			fmt.Println(on.Year(), v.Outcome, v.Reasons[0].Code, v.Reasons[0].Params)
			continue
		}
		fmt.Println(on.Year(), v.Outcome)
	}
	// Output:
	// 2019 ineligible bipoc_participants_only map[from:2016-01-01 until:2022-01-01]
	// 2023 eligible
}

func ExampleCatalog_PlanInterpretation() {
	c, _ := training.NewCatalog(smallYear())
	at := date(2025, 12, 1)
	regs := []bsk.Registration{
		{ID: "r1", OfferingID: "tr-attach", ProviderID: "p-ana", Status: bsk.RegistrationRegistered, At: at},
		{ID: "r2", OfferingID: "tr-attach", SessionID: "tr-attach-2", ProviderID: "p-dee", Status: bsk.RegistrationRegistered, At: at, Interpretation: bsk.ASL},
		{ID: "r3", OfferingID: "tr-es", ProviderID: "p-ana", Status: bsk.RegistrationRegistered, At: at},
	}
	plan, _ := c.PlanInterpretation(regs, training.InterpretOptions{DeadlineDays: 21})
	for _, b := range plan {
		fmt.Println(b.SessionID, b.Language.Name(), b.Interpreters, b.Registrants, "book by", b.BookBy.Format(time.DateOnly))
	}
	regs[0].Status = bsk.RegistrationCancelled
	next, _ := c.PlanInterpretation(regs, training.InterpretOptions{DeadlineDays: 21})
	for _, ch := range training.Changes(plan, next) {
		fmt.Println(ch.Kind, ch.SessionID, ch.Language.Name())
	}
	// Output:
	// tr-attach-1 Spanish 2 [p-ana] book by 2025-12-25
	// tr-attach-2 American Sign Language 2 [p-dee] book by 2026-01-29
	// tr-attach-2 Spanish 2 [p-ana] book by 2026-01-29
	// cancel tr-attach-1 Spanish
	// cancel tr-attach-2 Spanish
}

func ExampleCatalog_ImportZoom() {
	w := smallYear()
	c, _ := training.NewCatalog(w)
	dir, _ := training.NewDirectory(w.Providers, map[bsk.ProviderID][]string{"p-ana": {"ana@kentfamily.org"}})
	report := `Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)
Ana Ruiz,ana@kentfamily.org,01/15/2026 09:00:00 AM,01/15/2026 10:30:00 AM,90
Ana Ruiz,ana@kentfamily.org,01/15/2026 10:40:00 AM,01/15/2026 01:00:00 PM,140
Binh Tran (he/him),,01/15/2026 09:02:00 AM,01/15/2026 01:00:00 PM,238
Guest 4,,01/15/2026 09:10:00 AM,01/15/2026 09:40:00 AM,30
`
	res, err := c.ImportZoom(strings.NewReader(report), "tr-attach-1", dir, training.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Attendance {
		fmt.Printf("%s %.2f h %s\n", a.ProviderID, a.Hours, a.Credit)
	}
	for _, u := range res.Unmatched {
		fmt.Printf("review row %d: %q (%s)\n", u.Row, u.Name, u.Code)
	}
	_, err = c.ImportZoom(strings.NewReader(strings.Replace(report, "10:30:00 AM", "08:30:00 AM", 1)), "tr-attach-1", dir, training.ImportOptions{})
	fmt.Println(err)
	// Output:
	// p-ana 3.83 h training
	// p-binh 3.97 h training
	// review row 5: "Guest 4" (no_match)
	// rows[2].leave_time: 01/15/2026 08:30:00 AM is before the join time 01/15/2026 09:00:00 AM
}

func ExampleCatalog_ImportCSV() {
	c, _ := training.NewCatalog(smallYear())
	_, err := c.ImportCSV(strings.NewReader("session_id,provider_id,hours\ncol-m1,p-ana,1.5\ncol-m1,p-zed,1.5\n"), training.ImportOptions{})
	fmt.Println(bsk.ErrorCode(err), err)
	// Output:
	// not_found rows[3].provider_id: unknown provider "p-zed"
}

func ExampleCatalog_Transcript() {
	c, _ := training.NewCatalog(smallYear())
	att := []bsk.Attendance{
		{SessionID: "col-q1", ProviderID: "p-ana", Hours: 3, Credit: bsk.CreditTraining},
		{SessionID: "col-m1", ProviderID: "p-ana", Hours: 1.5, Credit: bsk.CreditReflective},
		{SessionID: "tr-attach-1", ProviderID: "p-ana", Hours: 4, Credit: bsk.CreditTraining},
	}
	t, _ := c.Transcript(att, "p-ana")
	for _, l := range t.Lines {
		fmt.Println(l.On.Format(time.DateOnly), l.Title, l.Hours, l.Credit)
	}
	fmt.Printf("total: %+v\n", t.Total)
	for _, y := range t.ByYear {
		fmt.Printf("%s: %+v\n", y.Key, y.Hours)
	}
	// Output:
	// 2025-12-03 Community of Leaders 3 training
	// 2026-01-07 Community of Leaders 1.5 reflective
	// 2026-01-15 Attachment 4 training
	// total: {Training:7 Reflective:1.5}
	// 2025: {Training:3 Reflective:0}
	// 2026: {Training:4 Reflective:1.5}
}

func ExampleCatalog_Progress() {
	c, _ := training.NewCatalog(smallYear()) // every provider: a BA and 3 years
	var att []bsk.Attendance
	for _, s := range []bsk.SessionID{"tr-attach-1", "tr-attach-2"} {
		att = append(att, bsk.Attendance{SessionID: s, ProviderID: "p-binh", Hours: 4, Credit: bsk.CreditTraining})
	}
	prior := map[bsk.ProviderID][]scholarship.DatedHours{"p-binh": {
		{Kind: scholarship.TrainingHoursKind, Hours: 24, On: date(2025, 6, 1)},
		{Kind: scholarship.ReflectiveHoursKind, Hours: 20, On: date(2025, 9, 1)},
	}}
	all, _ := c.Progress(context.Background(), att, prior, date(2026, 3, 1), scholarship.ProgressOptions{})
	for _, p := range all {
		if p.ProviderID != "p-binh" {
			continue
		}
		fmt.Println("highest:", p.Highest)
		for _, n := range p.Next {
			for _, m := range n.Missing {
				fmt.Println(n.Level, m.Code, m.Params["missing"])
			}
		}
	}
	// Output:
	// highest: infant_family_associate
	// infant_family_specialist reflective_hours_short 4.00
}

func ExampleCatalog_Reach() {
	w, att := reachYear() // three monthly trainings: 40, 50 and 30 attendees
	c, _ := training.NewCatalog(w)
	r, _ := c.Reach(att, training.ReachOptions{Disclosure: survey.WADOH()})
	for _, m := range r.ReturnRate {
		if m.Rate != nil {
			fmt.Printf("%s: %.0f%% came back the next month\n", m.Month, 100**m.Rate)
		}
	}
	for _, s := range r.Shares {
		if s.Dimension == training.ShareRural {
			for i, g := range s.Table.Rows {
				fmt.Println(g, *s.Table.Counts[i][0], "of", *s.Table.Totals[0])
			}
		}
	}
	// Output:
	// 2026-01: 75% came back the next month
	// 2026-02: 50% came back the next month
	// not_rural 45 of 60
	// rural 15 of 60
}
