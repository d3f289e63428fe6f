package training_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

// certificate is a cohort's offering: English, with the seeds' seven
// interpretation languages.
func certificate(capacity int) bsk.Offering {
	return bsk.Offering{ID: "imh-cert-2026", Kind: bsk.OfferingCertificateCohort, Title: "IECMH Certificate", Strategy: bsk.StrategyIECMH,
		Language: bsk.English, Interpretation: []bsk.Language{bsk.Mandarin, bsk.Cantonese, bsk.Arabic, bsk.Vietnamese, bsk.Spanish, bsk.Dari, bsk.ASL},
		Capacity: capacity, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityInPerson, SessionMinutes: 420}
}

// modules are n monthly day-long modules from August 2026, each taught by
// a clinician and a mentor from the lists, in turn.
func modules(n int, clinicians, mentors []bsk.ProviderID) []training.Module {
	out := make([]training.Module, n)
	for i := range out {
		out[i] = training.Module{ID: bsk.SessionID(fmt.Sprintf("imh-cert-m%02d", i+1)), Title: fmt.Sprintf("Module %d", i+1),
			Starts: time.Date(2026, 8+time.Month(i), 14, 16, 0, 0, 0, time.UTC), Minutes: 420,
			Clinician: clinicians[i%len(clinicians)], Mentor: mentors[i%len(mentors)]}
	}
	return out
}

func enrolment(id string, p bsk.ProviderID, at time.Time) bsk.Registration {
	return bsk.Registration{ID: bsk.RegistrationID(id), OfferingID: "imh-cert-2026", ProviderID: p, At: at}
}

func TestNewCohortValidates(t *testing.T) {
	good := modules(14, []bsk.ProviderID{"clin-1"}, []bsk.ProviderID{"ment-1"})
	if _, err := training.NewCohort(certificate(100), good, 12); err != nil {
		t.Fatalf("NewCohort(14 modules) = %v", err)
	}
	noMentor := slices.Clone(good)
	noMentor[3].Mentor = ""
	noClinician := slices.Clone(good)
	noClinician[5].Clinician = ""
	same := slices.Clone(good)
	same[0].Mentor = same[0].Clinician
	dup := slices.Clone(good)
	dup[2].ID = dup[1].ID
	long := modules(15, []bsk.ProviderID{"clin-1"}, []bsk.ProviderID{"ment-1"})
	many := make([]training.Module, training.MaxCohortModules+1)
	for i := range many {
		many[i] = good[0]
		many[i].ID = bsk.SessionID(fmt.Sprintf("w%03d", i))
		many[i].Starts = good[0].Starts.AddDate(0, 0, 3*i)
	}
	other := certificate(100)
	other.Kind = bsk.OfferingTraining
	for _, c := range []struct {
		name     string
		off      bsk.Offering
		mods     []training.Module
		required int
		field    string
		code     bsk.Code
	}{
		{"module without a mentor", certificate(100), noMentor, 0, "modules[3].mentor", bsk.CodeInvalid},
		{"module without a clinician", certificate(100), noClinician, 0, "modules[5].clinician", bsk.CodeInvalid},
		{"one person both", certificate(100), same, 0, "modules[0].mentor", bsk.CodeInvalid},
		{"module twice", certificate(100), dup, 0, "modules[2].id", bsk.CodeConflict},
		{"fifteen months", certificate(100), long, 0, "modules", bsk.CodeInvalid},
		{"no modules", certificate(100), nil, 0, "modules", bsk.CodeInvalid},
		{"too many modules", certificate(100), many, 0, "modules", bsk.CodeInvalid},
		{"more required than modules", certificate(100), good, 15, "required", bsk.CodeInvalid},
		{"not a certificate", other, good, 0, "offering.kind", bsk.CodeInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := training.NewCohort(c.off, c.mods, c.required)
			var list bsk.Errors
			if !errors.As(err, &list) {
				t.Fatalf("NewCohort = %v; want bsk.Errors", err)
			}
			found := false
			for _, e := range list {
				if e.Field == c.field && e.Code == c.code {
					found = true
				}
			}
			if !found {
				t.Errorf("NewCohort = %v; want a %s problem at %s", err, c.code, c.field)
			}
		})
	}
	// The problem names the module, by ID.
	_, err := training.NewCohort(certificate(100), noMentor, 0)
	if want := `module "imh-cert-m04" has no mentor`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("NewCohort = %v; want it to say %s", err, want)
	}
}

// cohortPeople returns, from a synthetic workforce, n direct-service and
// supervisory staff to enrol, and the consultants (who teach and mentor).
func cohortPeople(t *testing.T, seed int64, n int) (bsk.Workforce, []bsk.Provider, []bsk.Provider) {
	t.Helper()
	w := bsktest.Workforce(seed, bsktest.Options{NoOfferings: true})
	var staff, consultants []bsk.Provider
	for _, p := range w.Providers {
		if p.Role == bsk.RoleConsultant {
			consultants = append(consultants, p)
		} else if !p.Role.Leads() {
			staff = append(staff, p)
		}
	}
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	r.Shuffle(len(staff), func(i, j int) { staff[i], staff[j] = staff[j], staff[i] })
	if len(staff) < n {
		t.Fatalf("seed %d: %d staff, want %d", seed, len(staff), n)
	}
	return w, staff[:n], consultants
}

// TestCohortAtScale enrols 130 providers in a cohort of 100 at several
// seeds, withdraws participants at random, and checks after every step
// that the seats never exceed the capacity, no one waits while a seat is
// free, and the waitlist is promoted in the order enrolled.
func TestCohortAtScale(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			_, staff, cons := cohortPeople(t, seed, 130)
			c, err := training.NewCohort(certificate(0), modules(14, []bsk.ProviderID{cons[0].ID, cons[1].ID}, []bsk.ProviderID{cons[2].ID, cons[3].ID}), 12)
			if err != nil {
				t.Fatal(err)
			}
			if c.Offering().Capacity != training.DefaultCohortCapacity {
				t.Fatalf("capacity = %d; want %d", c.Offering().Capacity, training.DefaultCohortCapacity)
			}
			at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			var order []bsk.ProviderID // enrolment order
			for i, p := range staff {
				got, err := c.Enrol(enrolment(fmt.Sprintf("r%03d", i), p.ID, at.Add(time.Duration(i)*time.Minute)))
				if err != nil {
					t.Fatal(err)
				}
				want := bsk.RegistrationRegistered
				if i >= 100 {
					want = bsk.RegistrationWaitlisted
				}
				if got.Status != want {
					t.Fatalf("enrolment %d = %s; want %s", i, got.Status, want)
				}
				order = append(order, p.ID)
			}
			r := rand.New(rand.NewPCG(uint64(seed), 11))
			waiting := order[100:]
			for step := range 40 {
				seated := c.Participants()
				victim := seated[r.IntN(len(seated))]
				notices, err := c.Withdraw(victim.ID, at.AddDate(0, 0, step+1))
				if err != nil {
					t.Fatal(err)
				}
				if len(waiting) > 0 {
					if len(notices) != 1 || notices[0].ProviderID != waiting[0] || notices[0].FreedBy != victim.ID || notices[0].Position != 1 {
						t.Fatalf("step %d: notices %+v; want %s promoted, freed by %s", step, notices, waiting[0], victim.ID)
					}
					waiting = waiting[1:]
				} else if len(notices) != 0 {
					t.Fatalf("step %d: notices %+v with nobody waiting", step, notices)
				}
				n, w := len(c.Participants()), len(c.Roster().Waitlist())
				if n > 100 || (w > 0 && n < 100) {
					t.Fatalf("step %d: %d seated, %d waiting, capacity 100", step, n, w)
				}
				var ids []bsk.ProviderID
				for _, g := range c.Roster().Waitlist() {
					ids = append(ids, g.ProviderID)
				}
				if diff := cmp.Diff(waiting, ids, cmpEmpty); diff != "" {
					t.Fatalf("step %d: waitlist (-want +got):\n%s", step, diff)
				}
			}
			// Read back from its registrations, the cohort is the same.
			again, err := training.NewCohort(certificate(0), c.Modules(), 12, c.Roster().Registrations()...)
			if err != nil {
				t.Fatalf("reading the cohort back: %v", err)
			}
			if diff := cmp.Diff(c.Participants(), again.Participants()); diff != "" {
				t.Errorf("participants read back (-want +got):\n%s", diff)
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []bsk.ProviderID) bool { return slices.Equal(a, b) })

// TestCohortInterpretation plans a cohort of 100 participants' interpreters:
// each module needs a booking for every language a seated participant
// needs, listing exactly them; the waitlisted need none yet.
func TestCohortInterpretation(t *testing.T) {
	w, staff, cons := cohortPeople(t, 4, 110)
	mods := modules(14, []bsk.ProviderID{cons[0].ID}, []bsk.ProviderID{cons[1].ID})
	c, err := training.NewCohort(certificate(100), mods, 0)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range staff {
		reg := enrolment(fmt.Sprintf("r%03d", i), p.ID, at.Add(time.Duration(i)*time.Minute))
		if i%10 == 0 {
			reg.Interpretation = bsk.ASL
		}
		if _, err := c.Enrol(reg); err != nil {
			t.Fatal(err)
		}
	}
	// Independently: who needs which language, from the participants'
	// records.
	want := map[bsk.Language][]bsk.ProviderID{}
	for i, p := range staff[:100] {
		switch {
		case i%10 == 0:
			want[bsk.ASL] = append(want[bsk.ASL], p.ID)
		case !slices.Contains(p.Languages, bsk.English):
			want[p.Languages[0]] = append(want[p.Languages[0]], p.ID)
		}
	}
	if len(want) < 2 {
		t.Fatalf("the sample needs %d languages; want a test with several", len(want))
	}
	plan, err := c.Interpretation(w, training.InterpretOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != len(mods)*len(want) {
		t.Fatalf("%d bookings; want %d modules x %d languages", len(plan), len(mods), len(want))
	}
	for _, b := range plan {
		who := slices.Clone(want[b.Language])
		slices.Sort(who)
		if diff := cmp.Diff(who, b.Registrants); diff != "" {
			t.Errorf("%s %s registrants (-want +got):\n%s", b.SessionID, b.Language, diff)
		}
		if b.Interpreters != 2 {
			t.Errorf("%s %s: %d interpreters for a day-long module; want a team of 2", b.SessionID, b.Language, b.Interpreters)
		}
		if err := b.Validate(); err != nil {
			t.Error(err)
		}
	}
	for _, p := range staff[100:] {
		for _, b := range plan {
			if slices.Contains(b.Registrants, p.ID) {
				t.Errorf("waitlisted %s is booked an interpreter at %s", p.ID, b.SessionID)
			}
		}
	}
}

// TestCohortCompletion checks every status against attendance written by
// hand: four modules, three required.
func TestCohortCompletion(t *testing.T) {
	mods := modules(4, []bsk.ProviderID{"clin"}, []bsk.ProviderID{"ment"})
	c, err := training.NewCohort(certificate(3), mods, 3)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range []bsk.ProviderID{"p-done", "p-going", "p-behind", "p-waiting", "p-left"} {
		if _, err := c.Enrol(enrolment("r-"+string(p), p, at.Add(time.Duration(i)*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Withdraw("r-p-going", at.AddDate(0, 1, 0)); err != nil { // p-waiting takes the seat
		t.Fatal(err)
	}
	att := func(p bsk.ProviderID, m int) bsk.Attendance {
		return bsk.Attendance{SessionID: mods[m].ID, ProviderID: p, Hours: 7, Credit: bsk.CreditTraining}
	}
	records := []bsk.Attendance{
		att("p-done", 0), att("p-done", 1), att("p-done", 2),
		att("p-going", 0), // withdrew after one module
		att("p-behind", 0),
		att("p-waiting", 1), att("p-waiting", 2),
		{SessionID: "elsewhere", ProviderID: "p-behind", Hours: 7, Credit: bsk.CreditTraining},
	}
	// After the third module (one remains): p-behind attended 1, can reach
	// at most 2 of 3; p-waiting attended 2, may still reach 3.
	asOf := mods[2].Starts.Add(24 * time.Hour)
	got := c.Completion(records, asOf)
	type row struct {
		P        bsk.ProviderID
		S        training.CompletionStatus
		Attended int
		Code     string
	}
	var rows []row
	for _, g := range got {
		rows = append(rows, row{g.ProviderID, g.Status, g.Attended, g.Reason.Code})
		if g.Required != 3 || g.Remaining != 1 {
			t.Errorf("%s: required %d, remaining %d; want 3, 1", g.ProviderID, g.Required, g.Remaining)
		}
	}
	want := []row{
		{"p-done", training.Completed, 3, training.ReasonModulesAttended},
		{"p-going", training.Withdrawn, 1, training.ReasonWithdrew},
		{"p-behind", training.Incomplete, 1, training.ReasonCannotComplete},
		{"p-waiting", training.InProgress, 2, training.ReasonModulesRemaining},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("Completion (-want +got):\n%s", diff)
	}
	if g := got[3]; g.Reason.ReasonText("en") != "In progress: attended 2 of 3 modules; 1 remain." {
		t.Errorf("reason text = %q", g.Reason.ReasonText("en"))
	}
	counts := training.CompletionCounts(got)
	if counts[training.Completed] != 1 || counts[training.Withdrawn] != 1 || counts[training.Incomplete] != 1 || counts[training.InProgress] != 1 {
		t.Errorf("counts = %v", counts)
	}
}

// TestCohortReflectionGroups forms a cohort of 100's reflection groups at
// several seeds and checks the program's rules on the solution: groups of
// 6-8 participants, each led by one of the modules' mentors, who shares a
// language with every member and works at none of their organizations;
// every participant placed once or listed with a reason.
func TestCohortReflectionGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("solves three cohorts of 100")
	}
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w, staff, cons := cohortPeople(t, seed, 100)
			mentors := []bsk.ProviderID{cons[0].ID, cons[1].ID, cons[2].ID, cons[3].ID}
			c, err := training.NewCohort(certificate(100), modules(14, []bsk.ProviderID{cons[5].ID}, mentors), 0)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			for i, p := range staff {
				if _, err := c.Enrol(enrolment(fmt.Sprintf("r%03d", i), p.ID, at)); err != nil {
					t.Fatal(err)
				}
			}
			sol, err := c.ReflectionGroups(context.Background(), w.Providers, training.ReflectionOptions{Solve: grouping.Options{Seed: uint64(seed), Iterations: 20, TimeLimit: 20 * time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			byID := map[bsk.ProviderID]bsk.Provider{}
			for _, p := range w.Providers {
				byID[p.ID] = p
			}
			seen := map[bsk.ProviderID]int{}
			for g, members := range sol.Groups {
				if len(members) == 0 {
					continue
				}
				if len(members) < 6 || len(members) > 8 {
					t.Errorf("group %d has %d participants; want 6 to 8", g, len(members))
				}
				lead := bsk.ProviderID(sol.Leaders[g])
				if lead == "" {
					continue // listed in Unled, checked below
				}
				if !slices.Contains(mentors, lead) {
					t.Errorf("group %d is led by %s, not one of the mentors %v", g, lead, mentors)
				}
				for _, m := range members {
					seen[bsk.ProviderID(m)]++
					p, l := byID[bsk.ProviderID(m)], byID[lead]
					if !slices.ContainsFunc(p.Languages, l.Speaks) {
						t.Errorf("group %d: %s speaks %v, mentor %s %v", g, m, p.Languages, lead, l.Languages)
					}
					if p.OrganizationID == l.OrganizationID {
						t.Errorf("group %d: mentor %s leads staff of their own organization", g, lead)
					}
				}
			}
			for _, u := range sol.Unled {
				for _, m := range sol.Groups[u.Group] {
					seen[bsk.ProviderID(m)]++
				}
				if u.Reason.Code == "" {
					t.Errorf("group %d unled without a reason", u.Group)
				}
			}
			for _, u := range sol.Unplaced {
				seen[bsk.ProviderID(u.Member)]++
				if u.Reason.Code == "" {
					t.Errorf("%s unplaced without a reason", u.Member)
				}
			}
			for _, p := range staff {
				if seen[p.ID] != 1 {
					t.Errorf("%s appears %d times among groups and unplaced; want once", p.ID, seen[p.ID])
				}
			}
			t.Logf("%d groups, %d unplaced, %d unled, leaders %v", len(sol.Groups), len(sol.Unplaced), len(sol.Unled), sol.Leaders)
			if len(sol.Unplaced) > 10 {
				t.Errorf("%d of 100 unplaced: %v", len(sol.Unplaced), sol.Unplaced)
			}
		})
	}
}

// TestCohortOutcomes pairs the cohort's pre and post answers and leaves
// out respondents who are not participants: the waitlisted and others.
func TestCohortOutcomes(t *testing.T) {
	mods := modules(2, []bsk.ProviderID{"clin"}, []bsk.ProviderID{"ment"})
	c, err := training.NewCohort(certificate(40), mods, 0)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 45 { // 40 seated, 5 waiting
		if _, err := c.Enrol(enrolment(fmt.Sprintf("r%02d", i), bsk.ProviderID(fmt.Sprintf("p%02d", i)), at)); err != nil {
			t.Fatal(err)
		}
	}
	in := survey.Instrument{ID: "cert", Version: "1", Cycle: "2026", Items: []survey.Item{{Code: "confident", Kind: survey.Likert, Text: "I feel confident"}}}
	before, _ := survey.NewSet(in)
	after, _ := survey.NewSet(in)
	// Everyone answers 2 before; participants 4 after, the others 1: a
	// figure that counts a non-participant moves the mean.
	for i := range 60 {
		id := fmt.Sprintf("p%02d", i)
		post := "4"
		if i >= 40 {
			post = "1"
		}
		before.Add(survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"confident": {"2"}}})
		after.Add(survey.Response{Respondent: survey.Respondent{ID: id}, Answers: map[string][]string{"confident": {post}}})
	}
	got, err := c.Outcomes(before, after, []string{"confident"}, survey.Unsuppressed())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Pairs != 40 || got[0].MeanDifference == nil || *got[0].MeanDifference != 2 {
		t.Fatalf("Outcomes = %+v; want 40 pairs, a mean change of +2", got)
	}
	if _, err := c.Outcomes(before, after, []string{"nope"}, survey.Unsuppressed()); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("Outcomes(unknown item) = %v; want not_found", err)
	}
}
