package scholarship_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func hours(kind scholarship.HoursKind, h float64, on time.Time) scholarship.DatedHours {
	return scholarship.DatedHours{Kind: kind, Hours: h, On: on}
}

// steps renders each level's steps as code:missing (or code) for a diff.
func steps(a scholarship.Assessment) map[bsk.Endorsement][]string {
	out := map[bsk.Endorsement][]string{}
	for _, l := range a.Levels {
		out[l.Level] = []string{}
		for _, r := range l.Steps {
			s := r.Code
			if m, ok := r.Params["missing"]; ok {
				s += ":" + m
			}
			if d, ok := r.Params["met_on"]; ok {
				s += "@" + d
			}
			out[l.Level] = append(out[l.Level], s)
		}
	}
	return out
}

func TestAssess(t *testing.T) {
	asOf := date(2027, 1, 1)
	const (
		ifa = bsk.EndorsementInfantFamilyAssociate
		ifs = bsk.EndorsementInfantFamilySpecialist
		ims = bsk.EndorsementIMHSpecialist
		mc  = bsk.EndorsementIMHMentorClinical
		mp  = bsk.EndorsementIMHMentorPolicy
		mr  = bsk.EndorsementIMHMentorResearchFaculty
	)
	refl, train := scholarship.ReflectiveHoursKind, scholarship.TrainingHoursKind
	tests := []struct {
		name  string
		rec   scholarship.EndorsementRecord
		steps map[bsk.Endorsement][]string
		can   []bsk.Endorsement
	}{
		{
			// A master's in June 2023 (3.59 years before), work since 2020,
			// 30 reflective hours in the last two years (the 30 of March
			// 2024 are older), 40 training hours: IFA and IFS now, and the
			// mentor policy and research tracks, which ask no reflective
			// hours; 20 more reflective hours and the exam for the rest.
			name: "a master's clinician",
			rec: scholarship.EndorsementRecord{Education: bsk.EducationMaster, DegreeOn: date(2023, 6, 1),
				Work:  []scholarship.Period{{Start: date(2020, 1, 1)}},
				Hours: []scholarship.DatedHours{hours(refl, 30, date(2024, 3, 1)), hours(refl, 30, date(2025, 6, 1)), hours(train, 40, date(2022, 5, 1))}},
			steps: map[bsk.Endorsement][]string{ifa: {}, ifs: {},
				ims: {"reflective_hours_short:20.00", "exam_required"}, mc: {"reflective_hours_short:20.00", "exam_required"},
				mp: {"exam_required"}, mr: {"exam_required"}},
			can: []bsk.Endorsement{ifa, ifs, mp, mr},
		},
		{
			// A year of work with a BA: IFS needs one more year, met on
			// the first of January 2028 if they keep working; the levels
			// after a master's count years from the master's, so only the
			// degree is a step there.
			name: "a new BA",
			rec: scholarship.EndorsementRecord{Education: bsk.EducationBachelor, DegreeOn: date(2025, 6, 1),
				Work:  []scholarship.Period{{Start: date(2026, 1, 1)}},
				Hours: []scholarship.DatedHours{hours(refl, 24, date(2026, 6, 1)), hours(train, 30, date(2026, 2, 1)), hours(train, 5, date(2027, 2, 1))}},
			steps: map[bsk.Endorsement][]string{ifa: {},
				ifs: {"experience_short:1.00@2028-01-01"},
				ims: {"education_short", "reflective_hours_short:26.00", "exam_required"},
				mc:  {"education_short", "reflective_hours_short:26.00", "exam_required"},
				mp:  {"education_short", "exam_required"},
				mr:  {"education_short", "exam_required"}},
			can: []bsk.Endorsement{ifa},
		},
		{
			// Years of work before a late master's do not count after it;
			// work in two overlapping jobs counts once; without a degree
			// date the post-degree levels ask for it.
			name: "no degree date",
			rec: scholarship.EndorsementRecord{Education: bsk.EducationMaster,
				Work:  []scholarship.Period{{Start: date(2015, 1, 1), End: date(2020, 1, 1)}, {Start: date(2016, 1, 1), End: date(2021, 1, 1)}},
				Hours: []scholarship.DatedHours{hours(refl, 60, date(2026, 1, 1)), hours(train, 30, date(2026, 1, 1))}, ExamPassedOn: date(2026, 5, 1)},
			steps: map[bsk.Endorsement][]string{ifa: {}, ifs: {},
				ims: {"degree_date_missing"}, mc: {"degree_date_missing"}, mp: {"degree_date_missing"}, mr: {"degree_date_missing"}},
			can: []bsk.Endorsement{ifa, ifs},
		},
		{
			// Two years of experience stand in for a degree at IFA;
			// hours after the assessment date do not count.
			name: "experience instead of a degree",
			rec: scholarship.EndorsementRecord{Education: bsk.EducationHighSchool, Work: []scholarship.Period{{Start: date(2024, 6, 1)}},
				Hours: []scholarship.DatedHours{hours(train, 29, date(2026, 1, 1)), hours(train, 10, date(2027, 3, 1))}},
			steps: map[bsk.Endorsement][]string{ifa: {"training_hours_short:1.00"},
				ifs: {"education_short", "reflective_hours_short:24.00", "training_hours_short:1.00"},
				ims: {"education_short", "reflective_hours_short:50.00", "training_hours_short:1.00", "exam_required"},
				mc:  {"education_short", "reflective_hours_short:50.00", "training_hours_short:1.00", "exam_required"},
				mp:  {"education_short", "training_hours_short:1.00", "exam_required"},
				mr:  {"education_short", "training_hours_short:1.00", "exam_required"}},
			can: []bsk.Endorsement{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := scholarship.Assess(tt.rec, asOf)
			if diff := cmp.Diff(tt.steps, steps(a)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.can, a.CanApplyFor); diff != "" {
				t.Errorf("CanApplyFor (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssessRenewal(t *testing.T) {
	rec := scholarship.EndorsementRecord{Education: bsk.EducationBachelor, Current: bsk.EndorsementInfantFamilySpecialist, EndorsedOn: date(2025, 3, 15),
		Hours: []scholarship.DatedHours{hours(scholarship.TrainingHoursKind, 20, date(2025, 5, 1)), hours(scholarship.TrainingHoursKind, 10, date(2026, 4, 1))}}
	a := scholarship.Assess(rec, date(2027, 1, 1))
	// The year runs from 15 March 2026: 10 of the 15 hours, 5 to go by 15 March 2027.
	if a.Renewal == nil || !a.Renewal.Due.Equal(date(2027, 3, 15)) || a.Renewal.TrainingHours != 10 ||
		len(a.Renewal.Steps) != 1 || a.Renewal.Steps[0].Params["missing"] != "5.00" {
		t.Fatalf("Renewal = %+v; want due 2027-03-15, 10 hours, 5 missing", a.Renewal)
	}
	if got := a.Renewal.Steps[0].Text(scholarship.EnglishText); got != "To renew Infant Family Specialist by 2027-03-15 you need 15 hours of training this year; 5 more are needed." {
		t.Errorf("text = %q", got)
	}
	for _, l := range a.CanApplyFor {
		if l.Rank() <= bsk.EndorsementInfantFamilySpecialist.Rank() {
			t.Errorf("CanApplyFor lists %s, not above the level held", l)
		}
	}
	rec.Hours = append(rec.Hours, hours(scholarship.TrainingHoursKind, 5, date(2026, 12, 1)))
	if a := scholarship.Assess(rec, date(2027, 1, 1)); len(a.Renewal.Steps) != 0 {
		t.Errorf("with 15 hours: %+v", a.Renewal)
	}
}
