package scholarship

import (
	"strconv"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Qualifications are what endorsement levels ask for.
type Qualifications struct {
	// Education is the highest education completed.
	Education bsk.Education `json:"education"`
	// Years is paid years in the field (for the specialist and mentor levels,
	// read as years after the qualifying degree).
	Years float64 `json:"years"`
	// ReflectiveHours are hours of reflective supervision or consultation.
	ReflectiveHours float64 `json:"reflective_hours"`
	// TrainingHours are hours of relevant training.
	TrainingHours float64 `json:"training_hours"`
	// ExamPassed is true once the level's exam is passed.
	ExamPassed bool `json:"exam_passed,omitempty"`
}

// Requirement is what one endorsement level asks for at entry.
type Requirement struct {
	Level bsk.Endorsement `json:"level"`
	// Education is the least education, or "" when experience alone can do.
	Education bsk.Education `json:"education,omitempty"`
	// OrYears lets this many years of experience stand in for Education.
	OrYears float64 `json:"or_years,omitempty"`
	// Years of experience required in addition to Education.
	Years           float64 `json:"years,omitempty"`
	ReflectiveHours float64 `json:"reflective_hours,omitempty"`
	TrainingHours   float64 `json:"training_hours"`
	Exam            bool    `json:"exam,omitempty"`
}

// Requirements lists the WA-AIMH (Center for Early Relational Health)
// endorsement requirements at entry, lowest level first, every mentor track
// included (clinical, then policy and research/faculty, which ask no
// reflective hours in the published table, as [Levels] reads it). Every
// level also asks for a signed code of ethics, a portfolio and three
// references, which are documents, not checked here.
var Requirements = []Requirement{
	{Level: bsk.EndorsementInfantFamilyAssociate, Education: bsk.EducationCDA, OrYears: 2, TrainingHours: 30},
	{Level: bsk.EndorsementInfantFamilySpecialist, Education: bsk.EducationBachelor, Years: 2, ReflectiveHours: 24, TrainingHours: 30},
	{Level: bsk.EndorsementIMHSpecialist, Education: bsk.EducationMaster, Years: 2, ReflectiveHours: 50, TrainingHours: 30, Exam: true},
	{Level: bsk.EndorsementIMHMentorClinical, Education: bsk.EducationMaster, Years: 3, ReflectiveHours: 50, TrainingHours: 30, Exam: true},
	{Level: bsk.EndorsementIMHMentorPolicy, Education: bsk.EducationMaster, Years: 3, TrainingHours: 30, Exam: true},
	{Level: bsk.EndorsementIMHMentorResearchFaculty, Education: bsk.EducationMaster, Years: 3, TrainingHours: 30, Exam: true},
}

// Missing lists what q lacks for level, as reasons with the amounts
// missing; an empty list means q meets the level (the exam, where one is
// required, is reported as the last step unless passed).
//
// It is the computation [ProgressOf] makes, on the record [RecordOf]
// reads from the same qualifications: the years as one period of work
// ending on the day of the computation (after the degree, for a
// bachelor's or higher), every hour earned by then. The reasons keep the
// shape they have always had here: amounts without trailing zeros ("2",
// "1.5"), the fields of [Qualifications] ("years", "reflective_hours",
// "training_hours", "exam_passed"), no dates, and the exam only once
// nothing else is missing.
func Missing(level bsk.Endorsement, q Qualifications) []Reason {
	req, ok := levelRequirement(Levels, level)
	if !ok {
		return []Reason{{Code: "unknown_level", Outcome: NeedsReview, Params: map[string]string{"level": string(level)}}}
	}
	// Every amount is relative to the day of the computation, which
	// therefore does not matter: a fixed one keeps the result pure.
	asOf := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := RecordOf(bsk.Provider{Education: q.Education, YearsExperience: q.Years}, []DatedHours{
		{Kind: ReflectiveHoursKind, Hours: q.ReflectiveHours, On: asOf},
		{Kind: TrainingHoursKind, Hours: q.TrainingHours, On: asOf},
	}, asOf)
	if q.ExamPassed {
		rec.ExamPassedOn = asOf
	}
	var out []Reason
	exam := -1
	for _, r := range stepsOf(req, rec, asOf) {
		r.Field = qualificationField(r)
		delete(r.Params, "since")
		delete(r.Params, "met_on")
		for _, k := range []string{"required", "missing", "years"} {
			if v, ok := r.Params[k]; ok {
				r.Params[k] = trimAmount(v)
			}
		}
		if r.Code == CodeExamRequired {
			exam = len(out)
		}
		out = append(out, r)
	}
	if exam >= 0 && len(out) > 1 {
		out = append(out[:exam], out[exam+1:]...)
	}
	return out
}

// qualificationField names the [Qualifications] field a step of the dated
// computation is about.
func qualificationField(r Reason) string {
	switch r.Code {
	case CodeExperienceShort:
		return "years"
	case CodeReflectiveHoursShort:
		return "reflective_hours"
	case CodeTrainingHoursShort:
		return "training_hours"
	case CodeExamRequired:
		return "exam_passed"
	}
	return r.Field
}

// trimAmount writes an amount of the dated computation ("2.00", "1.50")
// without trailing zeros ("2", "1.5").
func trimAmount(v string) string {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// Readiness says which endorsement level a provider can apply for now and
// exactly what is missing for the next one.
type Readiness struct {
	// Current is the level held.
	Current bsk.Endorsement `json:"current"`
	// CanApplyFor is the highest level whose entry requirements are met now
	// (its exam, if any, still to take), or "none".
	CanApplyFor bsk.Endorsement `json:"can_apply_for"`
	// Next is the level after CanApplyFor, or "" at the top.
	Next bsk.Endorsement `json:"next,omitempty"`
	// MissingForNext lists what is missing for Next.
	MissingForNext []Reason `json:"missing_for_next,omitempty"`
}

// CheckReadiness computes a provider's [Readiness] from their record and
// attendance (reflective and training hours, see [bsk.Hours]).
func CheckReadiness(p bsk.Provider, attendance []bsk.Attendance) Readiness {
	h := bsk.Hours(attendance, p.ID)
	q := Qualifications{Education: p.Education, Years: p.YearsExperience, ReflectiveHours: h[bsk.CreditReflective], TrainingHours: h[bsk.CreditTraining]}
	return ReadinessOf(p.Endorsement, q)
}

// ReadinessOf computes [Readiness] from qualifications.
func ReadinessOf(current bsk.Endorsement, q Qualifications) Readiness {
	if current == "" {
		current = bsk.EndorsementNone
	}
	r := Readiness{Current: current, CanApplyFor: bsk.EndorsementNone}
	// The ladder: one level per rank, the clinical track for the mentor
	// rank; the other mentor tracks are reported by [ProgressOf].
	for _, req := range Requirements {
		if req.Level.Rank() <= r.CanApplyFor.Rank() {
			continue
		}
		if len(blocking(Missing(req.Level, q))) == 0 {
			r.CanApplyFor = req.Level
			continue
		}
		r.Next = req.Level
		r.MissingForNext = Missing(req.Level, q)
		return r
	}
	return r
}

func blocking(rs []Reason) []Reason {
	var out []Reason
	for _, r := range rs {
		if r.Outcome != Eligible {
			out = append(out, r)
		}
	}
	return out
}
