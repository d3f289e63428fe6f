package scholarship_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
)

func TestProgressOf(t *testing.T) {
	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	monthly := func(kind scholarship.HoursKind, hours float64, n int, from time.Time) []scholarship.DatedHours {
		var out []scholarship.DatedHours
		for i := range n {
			out = append(out, scholarship.DatedHours{Kind: kind, Hours: hours, On: from.AddDate(0, i, 0)})
		}
		return out
	}
	years := func(y float64) []scholarship.Period {
		return []scholarship.Period{{Start: asOf.AddDate(-int(y), 0, 0)}}
	}
	type level struct {
		Level   bsk.Endorsement
		Missing []string
	}
	tests := []struct {
		name    string
		rec     scholarship.EndorsementRecord
		highest bsk.Endorsement
		next    []level
	}{
		{"new home visitor: a degree or two years, and 30 training hours",
			scholarship.EndorsementRecord{Education: bsk.EducationHighSchool, Work: years(1), Hours: monthly("training", 4, 3, asOf.AddDate(0, -3, 0))},
			bsk.EndorsementNone,
			[]level{{bsk.EndorsementInfantFamilyAssociate, []string{"degree_or_two_years_required", "training_hours_short"}}}},
		{"BA with reflective hours too old for the window",
			scholarship.EndorsementRecord{Education: bsk.EducationBachelor, DegreeOn: asOf.AddDate(-5, 0, 0), Work: years(5),
				Hours: append(monthly("training", 4, 10, asOf.AddDate(-1, 0, 0)), monthly("reflective", 1.5, 20, asOf.AddDate(-4, 0, 0))...)},
			bsk.EndorsementInfantFamilyAssociate,
			[]level{{bsk.EndorsementInfantFamilySpecialist, []string{"reflective_hours_short"}}}},
		{"IMH specialist: next are the three mentor tracks",
			scholarship.EndorsementRecord{Education: bsk.EducationMaster, DegreeOn: asOf.AddDate(-2, -6, 0), Work: years(6),
				Hours: append(monthly("training", 4, 10, asOf.AddDate(-1, 0, 0)), monthly("reflective", 2.5, 22, asOf.AddDate(-2, 1, 0))...)},
			bsk.EndorsementIMHSpecialist,
			[]level{
				{bsk.EndorsementIMHMentorClinical, []string{"experience_short", "exam_required"}},
				{bsk.EndorsementIMHMentorPolicy, []string{"experience_short", "exam_required"}},
				{bsk.EndorsementIMHMentorResearchFaculty, []string{"experience_short", "exam_required"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scholarship.ProgressOf(tt.rec, asOf, scholarship.ProgressOptions{})
			if p.Highest != tt.highest {
				t.Errorf("Highest = %s; want %s", p.Highest, tt.highest)
			}
			var got []level
			for _, n := range p.Next {
				got = append(got, level{n.Level, codes(n.Missing)})
			}
			if diff := cmp.Diff(tt.next, got); diff != "" {
				t.Errorf("Next (-want +got):\n%s", diff)
			}
		})
	}
	// A program that asks the policy track for 24 reflective hours says so
	// in the options, and only that track changes.
	rec := tests[2].rec
	rec.DegreeOn = asOf.AddDate(-4, 0, 0)
	rec.Hours = append(rec.Hours[:10:10], monthly("reflective", 1, 12, asOf.AddDate(-1, 0, 0))...)
	levels := append([]scholarship.LevelRequirement(nil), scholarship.Levels...)
	for i := range levels {
		if levels[i].Level == bsk.EndorsementIMHMentorPolicy {
			levels[i].ReflectiveHours, levels[i].ReflectiveYears = 24, 2
		}
	}
	p := scholarship.ProgressOf(rec, asOf, scholarship.ProgressOptions{Levels: levels})
	if p.Highest != bsk.EndorsementIMHMentorResearchFaculty || len(p.Next) != 0 {
		t.Errorf("configured: Highest = %s, next %v; want the research/faculty track (policy now asks 24 reflective hours, 12 given)", p.Highest, p.Next)
	}
	if d := scholarship.ProgressOf(rec, asOf, scholarship.ProgressOptions{}); d.Highest != bsk.EndorsementIMHMentorPolicy {
		t.Errorf("default: Highest = %s; want the policy track", d.Highest)
	}
}

func TestProgressRenewal(t *testing.T) {
	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	rec := scholarship.EndorsementRecord{Education: bsk.EducationAssociate, Current: bsk.EndorsementInfantFamilyAssociate,
		EndorsedOn: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		Hours: []scholarship.DatedHours{{Kind: "training", Hours: 30, On: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Kind: "training", Hours: 4, On: time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC)}}}
	p := scholarship.ProgressOf(rec, asOf, scholarship.ProgressOptions{})
	if p.Renewal == nil || p.Renewal.TrainingHours != 4 || len(p.Renewal.Steps) != 1 || p.Renewal.Steps[0].Params["missing"] != "11.00" {
		t.Fatalf("Renewal = %+v; want 4 hours since 2026-03-01 and 11 missing", p.Renewal)
	}
}

func TestMissingEveryMentorTrack(t *testing.T) {
	q := scholarship.Qualifications{Education: bsk.EducationMaster, Years: 4, TrainingHours: 30}
	for _, l := range []bsk.Endorsement{bsk.EndorsementIMHMentorPolicy, bsk.EndorsementIMHMentorResearchFaculty} {
		if got := codes(scholarship.Missing(l, q)); !cmp.Equal(got, []string{"exam_required"}) {
			t.Errorf("Missing(%s) = %v; want only the exam (no reflective hours on this track)", l, got)
		}
	}
	if got := codes(scholarship.Missing(bsk.EndorsementIMHMentorClinical, q)); !cmp.Equal(got, []string{"reflective_hours_short"}) {
		t.Errorf("Missing(clinical) = %v; want reflective hours", got)
	}
	// The ladder still stops at the clinical track.
	r := scholarship.ReadinessOf(bsk.EndorsementNone, scholarship.Qualifications{Education: bsk.EducationMaster, Years: 4, ReflectiveHours: 60, TrainingHours: 30})
	if r.CanApplyFor != bsk.EndorsementIMHMentorClinical || r.Next != "" {
		t.Errorf("ReadinessOf = %+v; want the clinical track and nothing next", r)
	}
}

func TestRecordOf(t *testing.T) {
	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	p := bsk.Provider{ID: "p", Education: bsk.EducationMaster, YearsExperience: 2.5, Endorsement: bsk.EndorsementInfantFamilySpecialist}
	hours := []scholarship.DatedHours{{Kind: "reflective", Hours: 50, On: asOf.AddDate(0, -1, 0)}, {Kind: "training", Hours: 30, On: asOf.AddDate(0, -2, 0)}}
	got := scholarship.ProgressOf(scholarship.RecordOf(p, hours, asOf), asOf, scholarship.ProgressOptions{})
	if got.Highest != bsk.EndorsementIMHSpecialist || got.Current != bsk.EndorsementInfantFamilySpecialist {
		t.Errorf("ProgressOf(RecordOf) = %s (current %s); want the IMH specialist level, IFS held", got.Highest, got.Current)
	}
	if diff := cmp.Diff([]string{"exam_required"}, codes(got.HighestSteps)); diff != "" {
		t.Errorf("HighestSteps (-want +got):\n%s", diff)
	}
}

// TestReadyForLevelReadsProgressOf checks that the endorsement-support
// rule and a provider's progress are one computation: for an applicant
// whose hours are not whole numbers, the amount the rule says is missing
// is the amount ProgressOf says is missing, on the same record.
func TestReadyForLevelReadsProgressOf(t *testing.T) {
	c, _ := esit().Cycle("2026")
	c.Level = bsk.EndorsementInfantFamilySpecialist
	a := app("ifs")
	a.Applicant.Education, a.Applicant.YearsExperience = bsk.EducationBachelor, 3
	a.Applicant.ReflectiveHours, a.Applicant.TrainingHours = 20.2, 31
	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	p := scholarship.ProgressOf(scholarship.RecordOf(bsk.Provider{Education: bsk.EducationBachelor, YearsExperience: 3}, []scholarship.DatedHours{
		{Kind: scholarship.ReflectiveHoursKind, Hours: 20.2, On: asOf}, {Kind: scholarship.TrainingHoursKind, Hours: 31, On: asOf},
	}, asOf), asOf, scholarship.ProgressOptions{})
	if p.Highest != bsk.EndorsementInfantFamilyAssociate || len(p.Next) != 1 || len(p.Next[0].Missing) != 1 {
		t.Fatalf("ProgressOf = %+v; want the associate level met and one step to the specialist", p)
	}
	want := p.Next[0].Missing[0]
	got := check(t, scholarship.ReadyForLevel(c), a)
	if len(got) != 1 || got[0].Code != want.Code {
		t.Fatalf("ReadyForLevel reasons %+v; want one %s", got, want.Code)
	}
	for _, k := range []string{"required", "missing"} {
		g, err1 := strconv.ParseFloat(got[0].Params[k], 64)
		w, err2 := strconv.ParseFloat(want.Params[k], 64)
		if err1 != nil || err2 != nil || g != w {
			t.Errorf("ReadyForLevel %s = %q; ProgressOf says %q", k, got[0].Params[k], want.Params[k])
		}
	}
	// The rule's texts keep their shape: whole amounts without decimals.
	if got[0].Params["required"] != "24" || got[0].Params["missing"] != "3.8" {
		t.Errorf("ReadyForLevel params %v; want required 24, missing 3.8", got[0].Params)
	}
}
