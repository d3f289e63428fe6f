package scholarship_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func codes(rs []scholarship.Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func check(t *testing.T, r scholarship.Rule[scholarship.Application], a scholarship.Application) []scholarship.Reason {
	t.Helper()
	res, err := r.Check(context.Background(), []scholarship.Application{a})
	if err != nil || len(res) != 1 {
		t.Fatalf("Check = %v, %v", res, err)
	}
	return res[0]
}

func TestBuiltinRules(t *testing.T) {
	c, _ := esit().Cycle("2026")
	ifa := c
	ifa.Level = bsk.EndorsementInfantFamilyAssociate
	tests := []struct {
		name   string
		rule   scholarship.Rule[scholarship.Application]
		mutate func(*scholarship.Application)
		want   []string
		worst  scholarship.Outcome
	}{
		{"agency ok", scholarship.KingCountyAgency(), func(*scholarship.Application) {}, nil, scholarship.Eligible},
		{"no employer", scholarship.KingCountyAgency(), func(a *scholarship.Application) { a.Applicant.Employer = nil }, []string{scholarship.CodeNotKingCountyAgency}, scholarship.Ineligible},
		{"employer outside county", scholarship.KingCountyAgency(), func(a *scholarship.Application) { a.Applicant.Employer.Place = bsk.OutsideKingCounty }, []string{scholarship.CodeNotKingCountyAgency}, scholarship.Ineligible},
		{"employer not serving young children", scholarship.KingCountyAgency(), func(a *scholarship.Application) { a.Applicant.Employer.ServesYoungChildren = false }, []string{scholarship.CodeAgencyNotYoungChild}, scholarship.Ineligible},
		{"hired by agency", scholarship.KingCountyAgency(), func(a *scholarship.Application) { a.Applicant.Hired, a.Applicant.MonthsEmployed = true, 0 }, nil, scholarship.Eligible},
		{"qualifying program", scholarship.QualifyingProgram(c), func(*scholarship.Application) {}, nil, scholarship.Eligible},
		{"program not qualifying", scholarship.QualifyingProgram(c), func(a *scholarship.Application) { a.Answers.EnrolledProgram = "mba" }, []string{scholarship.CodeProgramNotQualifying}, scholarship.Ineligible},
		{"degree", scholarship.DegreeOrExperience(), func(a *scholarship.Application) { a.Applicant.YearsExperience = 0 }, nil, scholarship.Eligible},
		{"CDA counts as a degree", scholarship.DegreeOrExperience(), func(a *scholarship.Application) {
			a.Applicant.Education, a.Applicant.YearsExperience = bsk.EducationCDA, 0
		}, nil, scholarship.Eligible},
		{"two years without degree", scholarship.DegreeOrExperience(), func(a *scholarship.Application) {
			a.Applicant.Education, a.Applicant.YearsExperience = bsk.EducationHighSchool, 2
		}, nil, scholarship.Eligible},
		{"neither degree nor two years", scholarship.DegreeOrExperience(), func(a *scholarship.Application) {
			a.Applicant.Education, a.Applicant.YearsExperience = bsk.EducationHighSchool, 1.5
		}, []string{scholarship.CodeDegreeOrExperience}, scholarship.Ineligible},
		{"within caps", scholarship.Caps(c), func(*scholarship.Application) {}, nil, scholarship.Eligible},
		{"above a category cap", scholarship.Caps(c), func(a *scholarship.Application) { a.Requested[scholarship.Tuition] = 12_000_00 }, []string{scholarship.CodeAboveCategoryCap}, scholarship.Eligible},
		{"uncovered category", scholarship.Caps(c), func(a *scholarship.Application) { a.Requested[scholarship.TravelExpenses] = 50_00 }, []string{scholarship.CodeCategoryNotCovered}, scholarship.Eligible},
		{"lifetime cap reached", scholarship.Caps(c), func(a *scholarship.Application) { a.PriorAwards = 36_000_00 }, []string{scholarship.CodeLifetimeCapReached}, scholarship.Ineligible},
		{"lifetime cap limits", scholarship.Caps(c), func(a *scholarship.Application) { a.PriorAwards = 30_000_00 }, []string{scholarship.CodeLifetimeCapNear}, scholarship.Eligible},
		{"documents", scholarship.RequiredDocuments(c), func(*scholarship.Application) {}, nil, scholarship.Eligible},
		{"document missing", scholarship.RequiredDocuments(c), func(a *scholarship.Application) { a.Documents = []string{"resume"} }, []string{scholarship.CodeDocumentMissing}, scholarship.NeedsReview},
		{"employer confirmed", scholarship.EmployerConfirmation(), func(*scholarship.Application) {}, nil, scholarship.Eligible},
		{"employer not confirmed", scholarship.EmployerConfirmation(), func(a *scholarship.Application) { a.Answers.EmployerConfirmed = false }, []string{scholarship.CodeEmployerNotConfirmed}, scholarship.NeedsReview},
		{"employment long enough", scholarship.MinimumEmployment(3, 10), func(*scholarship.Application) {}, nil, scholarship.Eligible},
		{"employment too short and too few hours", scholarship.MinimumEmployment(3, 10), func(a *scholarship.Application) {
			a.Applicant.MonthsEmployed, a.Applicant.HoursPerWeek = 2, 8
		}, []string{scholarship.CodeEmploymentTooShort, scholarship.CodeTooFewHoursPerWeek}, scholarship.Ineligible},
		{"ready for associate", scholarship.ReadyForLevel(ifa), func(a *scholarship.Application) { a.Applicant.TrainingHours = 30 }, nil, scholarship.Eligible},
		{"not enough training for associate", scholarship.ReadyForLevel(ifa), func(a *scholarship.Application) { a.Applicant.TrainingHours = 12 }, []string{"training_hours_short"}, scholarship.Ineligible},
		{"already associate", scholarship.ReadyForLevel(ifa), func(a *scholarship.Application) { a.Applicant.Endorsement = bsk.EndorsementInfantFamilySpecialist }, []string{scholarship.CodeAlreadyHoldsLevel}, scholarship.Ineligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := app("x")
			a.Applicant.Employer = kcAgency()
			tt.mutate(&a)
			got := check(t, tt.rule, a)
			if !slices.Equal(codes(got), tt.want) {
				t.Errorf("codes = %v; want %v", codes(got), tt.want)
			}
			worst := scholarship.Eligible
			for _, r := range got {
				worst = scholarship.Worse(worst, r.Outcome)
				if r.Rule == "" || r.Version == "" {
					t.Errorf("reason %+v lacks its rule and version", r)
				}
				if !scholarship.HasText(r.Code, scholarship.EnglishText) || !scholarship.HasText(r.Code, scholarship.SpanishText) {
					t.Errorf("reason code %q has no English or Spanish text", r.Code)
				}
			}
			if worst != tt.worst {
				t.Errorf("outcome = %s; want %s", worst, tt.worst)
			}
		})
	}
}

func TestRuleSetSurvivesFailingRules(t *testing.T) {
	apps := []scholarship.Application{app("a"), app("b"), app("c")}
	apps[1].Applicant.Employer = nil
	boom := scholarship.RuleFunc[scholarship.Application](func(context.Context, []scholarship.Application) ([][]scholarship.Reason, error) {
		panic("agency rule crashed")
	})
	failing := scholarship.RuleFunc[scholarship.Application](func(context.Context, []scholarship.Application) ([][]scholarship.Reason, error) {
		return nil, errors.New("plug-in exited")
	})
	short := scholarship.RuleFunc[scholarship.Application](func(_ context.Context, b []scholarship.Application) ([][]scholarship.Reason, error) {
		return make([][]scholarship.Reason, len(b)-1), nil
	})
	nocode := scholarship.RuleFunc[scholarship.Application](func(_ context.Context, b []scholarship.Application) ([][]scholarship.Reason, error) {
		out := make([][]scholarship.Reason, len(b))
		out[0] = []scholarship.Reason{{Outcome: scholarship.Ineligible}}
		return out, nil
	})
	var failures []string
	set := scholarship.RuleSet[scholarship.Application]{Rules: []scholarship.Rule[scholarship.Application]{scholarship.KingCountyAgency(), boom, failing, short, nocode},
		OnFailure: func(r scholarship.RuleInfo, err error) { failures = append(failures, r.Name+": "+err.Error()) }}
	got := set.Evaluate(context.Background(), apps)
	if len(failures) != 4 || !strings.Contains(failures[1], "plug-in exited") {
		t.Errorf("OnFailure got %q; want the 4 failures with their text", failures)
	}
	if len(got) != 3 {
		t.Fatalf("got %d verdicts", len(got))
	}
	for i, v := range got {
		failed := 0
		for _, r := range v.Reasons {
			if r.Code == scholarship.CodeRuleFailed {
				failed++
				if r.Params["rule"] == "" || r.Params["code"] != string(bsk.CodeInternal) {
					t.Errorf("rule_failed reason without its rule or code: %+v", r)
				}
				// The failure's text may name other subjects: it goes to
				// OnFailure, never into a reason.
				if _, ok := r.Params["error"]; ok || strings.Contains(r.Text(scholarship.EnglishText), "exited") {
					t.Errorf("rule_failed reason carries the error's text: %+v", r)
				}
			}
		}
		if failed != 4 {
			t.Errorf("application %d: %d rule_failed reasons; want 4 (panic, error, wrong length, no code)", i, failed)
		}
	}
	if got[0].Outcome != scholarship.NeedsReview || got[1].Outcome != scholarship.Ineligible {
		t.Errorf("outcomes = %s, %s; want needs_review, ineligible (the working rule still counts)", got[0].Outcome, got[1].Outcome)
	}
	if codes(got[1].Reasons)[0] != scholarship.CodeNotKingCountyAgency {
		t.Errorf("the working rule's reason is missing: %v", codes(got[1].Reasons))
	}
	info := set.Info()
	if info[0].Name != "king_county_agency" || info[1].Name != "rule[1]" {
		t.Errorf("Info = %+v", info)
	}
}

func TestReasonText(t *testing.T) {
	r := scholarship.Reason{Code: scholarship.CodeAboveCategoryCap, Params: map[string]string{"category": "tuition", "requested": "1200000", "cap": "900000"}}
	if got, want := r.Text(scholarship.EnglishText), "You asked for $12,000.00 for tuition; the most this cycle pays is $9,000.00."; got != want {
		t.Errorf("English = %q; want %q", got, want)
	}
	if got, want := r.Text(scholarship.SpanishText), "Pidió $12,000.00 para la matrícula; lo máximo que paga este ciclo es $9,000.00."; got != want {
		t.Errorf("Spanish = %q; want %q", got, want)
	}
	unknown := scholarship.Reason{Code: "agency_rule_x", Params: map[string]string{"b": "2", "a": "1"}}
	if got := unknown.Text(scholarship.SpanishText); got != "agency_rule_x a=1 b=2" {
		t.Errorf("unknown code renders %q", got)
	}
}

func TestReadiness(t *testing.T) {
	tests := []struct {
		name    string
		q       scholarship.Qualifications
		can     bsk.Endorsement
		next    bsk.Endorsement
		missing []string
	}{
		{"new to the field", scholarship.Qualifications{Education: bsk.EducationHighSchool, Years: 1, TrainingHours: 10}, bsk.EndorsementNone, bsk.EndorsementInfantFamilyAssociate, []string{scholarship.CodeDegreeOrExperience, "training_hours_short"}},
		{"associate ready", scholarship.Qualifications{Education: bsk.EducationAssociate, Years: 0, TrainingHours: 30}, bsk.EndorsementInfantFamilyAssociate, bsk.EndorsementInfantFamilySpecialist, []string{"education_short", "experience_short", "reflective_hours_short"}},
		{"specialist short of reflective hours", scholarship.Qualifications{Education: bsk.EducationBachelor, Years: 3, ReflectiveHours: 20, TrainingHours: 40}, bsk.EndorsementInfantFamilyAssociate, bsk.EndorsementInfantFamilySpecialist, []string{"reflective_hours_short"}},
		{"IMH specialist needs the exam", scholarship.Qualifications{Education: bsk.EducationMaster, Years: 2.5, ReflectiveHours: 60, TrainingHours: 40}, bsk.EndorsementIMHSpecialist, bsk.EndorsementIMHMentorClinical, []string{"experience_short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scholarship.ReadinessOf(bsk.EndorsementNone, tt.q)
			if r.CanApplyFor != tt.can || r.Next != tt.next || !slices.Equal(codes(r.MissingForNext), tt.missing) {
				t.Errorf("readiness = %s, next %s, missing %v; want %s, %s, %v", r.CanApplyFor, r.Next, codes(r.MissingForNext), tt.can, tt.next, tt.missing)
			}
		})
	}
	// From attendance: 24 reflective and 30 training hours make a BA with
	// 2 years a family specialist.
	p := bsk.Provider{ID: "p", Education: bsk.EducationBachelor, YearsExperience: 2}
	var att []bsk.Attendance
	for range 16 {
		att = append(att, bsk.Attendance{ProviderID: "p", Hours: 1.5, Credit: bsk.CreditReflective})
	}
	att = append(att, bsk.Attendance{ProviderID: "p", Hours: 30, Credit: bsk.CreditTraining})
	if r := scholarship.CheckReadiness(p, att); r.CanApplyFor != bsk.EndorsementInfantFamilySpecialist {
		t.Errorf("CheckReadiness = %+v; want infant_family_specialist", r)
	}
	m := scholarship.Missing(bsk.EndorsementIMHSpecialist, scholarship.Qualifications{Education: bsk.EducationMaster, Years: 2, ReflectiveHours: 20, TrainingHours: 30})
	if len(m) != 1 || m[0].Params["missing"] != "30" {
		t.Errorf("Missing = %+v; want 30 reflective hours missing", m)
	}
}

// TestNamesRefuseHiddenCharacters: an applicant's, a program's and a
// pool's name refuse the characters that make a name display differently
// from what it holds, and IDs refuse unsafe characters, each named by its
// field.
func TestNamesRefuseHiddenCharacters(t *testing.T) {
	for _, bad := range []string{"Ana\x00", "Ana\u202eanA", "A\u200bna", "\ufeffAna"} {
		a := app("a1")
		a.Applicant.Name = bad
		if fields := problemFields(a.Validate()); !slices.Contains(fields, "applicant.name") {
			t.Errorf("applicant name %q: problems at %v; want applicant.name", bad, fields)
		}
	}
	a := app("a1")
	a.Applicant.PersonID = "../org-002-p1"
	if fields := problemFields(a.Validate()); !slices.Contains(fields, "applicant.person_id") {
		t.Errorf("person_id with ..: problems at %v; want applicant.person_id", fields)
	}
	prog := esit()
	prog.ID, prog.Name = "esit/../x", "ESIT\u2066"
	prog.Cycles[1].Pools[0].Name = "multi\u200dlingual"
	fields := problemFields(prog.Validate())
	for _, f := range []string{"id", "name", "cycles[1].pools[0].name"} {
		if !slices.Contains(fields, f) {
			t.Errorf("program with a bad ID, name and pool name: problems at %v; want %s", fields, f)
		}
	}
}

// problemFields lists the fields of a validation's problems.
func problemFields(err error) []string {
	var list bsk.Errors
	if !errors.As(err, &list) {
		return nil
	}
	var out []string
	for _, e := range list {
		out = append(out, e.Field)
	}
	return out
}
