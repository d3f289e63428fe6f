package scholarship

import (
	"slices"
	"strconv"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// HoursKind is a kind of dated hours an endorsement counts.
type HoursKind string

// The kinds of hours.
const (
	// ReflectiveHoursKind are hours of reflective supervision or consultation.
	ReflectiveHoursKind HoursKind = "reflective"
	// TrainingHoursKind are hours of relevant training.
	TrainingHoursKind HoursKind = "training"
)

// DatedHours are hours of one kind earned on a date.
type DatedHours struct {
	Kind  HoursKind `json:"kind"`
	Hours float64   `json:"hours" jsonschema:"minimum=0,maximum=24"`
	On    time.Time `json:"on"`
}

// Period is a stretch of paid work in the field; a zero End means it goes
// on.
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"`
}

// EndorsementRecord is a person's dated record, what [Assess] reads: the
// highest degree and when it was completed, paid work in the field, dated
// reflective and training hours, the exam, and the endorsement held.
type EndorsementRecord struct {
	Education bsk.Education `json:"education"`
	// DegreeOn is when the highest degree was completed; the specialist
	// and mentor levels count years of work after it.
	DegreeOn time.Time `json:"degree_on,omitzero"`
	// Work lists paid work in the field.
	Work []Period `json:"work,omitempty"`
	// Hours are dated reflective and training hours.
	Hours []DatedHours `json:"hours,omitempty"`
	// ExamPassedOn is when the level's exam was passed, if it was.
	ExamPassedOn time.Time `json:"exam_passed_on,omitzero"`
	// Current is the endorsement held, and EndorsedOn when it was granted
	// or last renewed.
	Current    bsk.Endorsement `json:"current,omitempty"`
	EndorsedOn time.Time       `json:"endorsed_on,omitzero"`
}

// LevelRequirement is what one level and track asks for at entry, as the
// WA-AIMH table reads.
type LevelRequirement struct {
	Level bsk.Endorsement `json:"level"`
	// Education is the least education, or "" when experience alone can do.
	Education bsk.Education `json:"education,omitempty"`
	// OrYears lets this many years of work stand in for Education.
	OrYears float64 `json:"or_years,omitempty"`
	// Years of paid work required; counted after DegreeOn when PostDegree.
	Years      float64 `json:"years,omitempty"`
	PostDegree bool    `json:"post_degree,omitempty"`
	// ReflectiveHours are required within the ReflectiveYears before the
	// assessment.
	ReflectiveHours float64 `json:"reflective_hours,omitempty"`
	ReflectiveYears float64 `json:"reflective_years,omitempty"`
	TrainingHours   float64 `json:"training_hours"`
	Exam            bool    `json:"exam,omitempty"`
}

// Levels is the WA-AIMH (Center for Early Relational Health) table, every
// level and mentor track, lowest first: Infant Family Associate (a CDA or
// AA, or 2 years in the field); Infant Family Specialist (a BA or MA, 2
// years of paid work, 24 hours of reflective supervision in the last 2
// years); Infant Mental Health Specialist (an MA or PhD, 2 years after the
// master's, 50 hours, the exam); Infant Mental Health Mentor, clinical (an
// MA, PhD or MD, 3 years after the degree, 50 hours, the exam), policy and
// research/faculty (the same without reflective hours). Every level asks
// 30 training hours at entry and 15 a year to renew, and documents (code
// of ethics, portfolio, three references) not checked here. The
// early-childhood (ages 3-6) variant of each level asks the same.
var Levels = []LevelRequirement{
	{Level: bsk.EndorsementInfantFamilyAssociate, Education: bsk.EducationCDA, OrYears: 2, TrainingHours: 30},
	{Level: bsk.EndorsementInfantFamilySpecialist, Education: bsk.EducationBachelor, Years: 2, ReflectiveHours: 24, ReflectiveYears: 2, TrainingHours: 30},
	{Level: bsk.EndorsementIMHSpecialist, Education: bsk.EducationMaster, Years: 2, PostDegree: true, ReflectiveHours: 50, ReflectiveYears: 2, TrainingHours: 30, Exam: true},
	{Level: bsk.EndorsementIMHMentorClinical, Education: bsk.EducationMaster, Years: 3, PostDegree: true, ReflectiveHours: 50, ReflectiveYears: 2, TrainingHours: 30, Exam: true},
	{Level: bsk.EndorsementIMHMentorPolicy, Education: bsk.EducationMaster, Years: 3, PostDegree: true, TrainingHours: 30, Exam: true},
	{Level: bsk.EndorsementIMHMentorResearchFaculty, Education: bsk.EducationMaster, Years: 3, PostDegree: true, TrainingHours: 30, Exam: true},
}

// RenewalTrainingHours are the training hours each year of an
// endorsement asks to renew.
const RenewalTrainingHours = 15

// The codes of the dated assessment ([Missing] gives the same codes for
// what it checks).
const (
	CodeDegreeDateMissing    = "degree_date_missing"
	CodeRenewalHoursShort    = "renewal_hours_short"
	CodeExperienceShort      = "experience_short"
	CodeReflectiveHoursShort = "reflective_hours_short"
	CodeTrainingHoursShort   = "training_hours_short"
	CodeEducationShort       = "education_short"
	CodeExamRequired         = "exam_required"
)

// LevelStatus is where a person stands for one level and track.
type LevelStatus struct {
	Level bsk.Endorsement `json:"level"`
	// Met is true when the entry requirements are met now (the exam, when
	// the level has one, may still be a step left).
	Met bool `json:"met"`
	// Steps lists what is left, with amounts and, for work, the date it is
	// met if the person keeps working.
	Steps []Reason `json:"steps"`
}

// Renewal is where a held endorsement stands for its yearly renewal.
type Renewal struct {
	// Due is the next anniversary of EndorsedOn.
	Due time.Time `json:"due"`
	// TrainingHours are the training hours since the last anniversary.
	TrainingHours float64 `json:"training_hours"`
	// Steps is empty when the year's hours are met.
	Steps []Reason `json:"steps"`
}

// Assessment is a person's standing for every level and track on a date.
type Assessment struct {
	AsOf    time.Time       `json:"as_of"`
	Current bsk.Endorsement `json:"current"`
	// CanApplyFor lists every level and track whose entry requirements are
	// met now, above the level held.
	CanApplyFor []bsk.Endorsement `json:"can_apply_for"`
	// Levels has every level and track of [Levels], in order.
	Levels []LevelStatus `json:"levels"`
	// Renewal is set when an endorsement is held with its date.
	Renewal *Renewal `json:"renewal,omitempty"`
}

// Assess computes a person's standing on a date from their dated record:
// for each level and track, whether it is met and every step left. Hours
// and work after asOf do not count; reflective hours count within the
// level's window before asOf; post-degree years count work after
// DegreeOn, and a level that needs them without a degree date asks for it.
func Assess(rec EndorsementRecord, asOf time.Time) Assessment {
	cur := rec.Current
	if cur == "" {
		cur = bsk.EndorsementNone
	}
	a := Assessment{AsOf: asOf, Current: cur, CanApplyFor: []bsk.Endorsement{}, Levels: make([]LevelStatus, len(Levels))}
	for i, req := range Levels {
		st := LevelStatus{Level: req.Level, Steps: levelSteps(req, rec, asOf)}
		st.Met = len(blocking(st.Steps)) == 0
		if st.Steps == nil {
			st.Steps = []Reason{}
		}
		a.Levels[i] = st
		if st.Met && req.Level.Rank() > cur.Rank() {
			a.CanApplyFor = append(a.CanApplyFor, req.Level)
		}
	}
	if cur != bsk.EndorsementNone && !rec.EndorsedOn.IsZero() && !asOf.Before(rec.EndorsedOn) {
		a.Renewal = renewal(rec, asOf)
	}
	return a
}

func levelSteps(req LevelRequirement, rec EndorsementRecord, asOf time.Time) []Reason {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	lvl := string(req.Level)
	var out []Reason
	eduOK := rec.Education.AtLeast(req.Education)
	years := workYears(rec.Work, time.Time{}, asOf)
	if req.OrYears > 0 {
		if !eduOK && years < req.OrYears {
			out = append(out, Reason{Code: CodeDegreeOrExperience, Field: "education", Outcome: Ineligible,
				Params: map[string]string{"level": lvl, "education": string(req.Education), "years": f(req.OrYears)}})
		}
	} else if !eduOK {
		out = append(out, Reason{Code: CodeEducationShort, Field: "education", Outcome: Ineligible,
			Params: map[string]string{"level": lvl, "required": string(req.Education), "have": string(rec.Education)}})
	}
	// Years after a degree not yet earned start with it: only the
	// education is a step then.
	if req.Years > 0 && (eduOK || !req.PostDegree) {
		from := time.Time{}
		switch {
		case req.PostDegree && rec.DegreeOn.IsZero():
			out = append(out, Reason{Code: CodeDegreeDateMissing, Field: "degree_on", Outcome: NeedsReview, Params: map[string]string{"level": lvl}})
		case req.PostDegree:
			from = rec.DegreeOn
		}
		if !req.PostDegree || !rec.DegreeOn.IsZero() {
			have := workYears(rec.Work, from, asOf)
			if have < req.Years {
				missing := req.Years - have
				out = append(out, Reason{Code: CodeExperienceShort, Field: "work", Outcome: Ineligible,
					Params: map[string]string{"level": lvl, "required": f(req.Years), "missing": f(missing),
						"met_on": asOf.Add(time.Duration(missing * float64(yearDur))).Format(time.DateOnly)}})
			}
		}
	}
	if req.ReflectiveHours > 0 {
		from := asOf.Add(-time.Duration(req.ReflectiveYears * float64(yearDur)))
		have := datedHours(rec.Hours, ReflectiveHoursKind, from, asOf)
		if have < req.ReflectiveHours {
			out = append(out, Reason{Code: CodeReflectiveHoursShort, Field: "hours", Outcome: Ineligible,
				Params: map[string]string{"level": lvl, "required": f(req.ReflectiveHours), "missing": f(req.ReflectiveHours - have),
					"since": from.Format(time.DateOnly)}})
		}
	}
	if have := datedHours(rec.Hours, TrainingHoursKind, time.Time{}, asOf); have < req.TrainingHours {
		out = append(out, Reason{Code: CodeTrainingHoursShort, Field: "hours", Outcome: Ineligible,
			Params: map[string]string{"level": lvl, "required": f(req.TrainingHours), "missing": f(req.TrainingHours - have)}})
	}
	if req.Exam && (rec.ExamPassedOn.IsZero() || rec.ExamPassedOn.After(asOf)) {
		out = append(out, Reason{Code: CodeExamRequired, Field: "exam_passed_on", Outcome: Eligible, Params: map[string]string{"level": lvl}})
	}
	return out
}

// yearDur is a year of 365.25 days.
const yearDur = time.Duration(365.25 * 24 * float64(time.Hour))

// workYears counts the years of paid work between from (or the start of
// each period) and to, counting overlapping periods once.
func workYears(work []Period, from, to time.Time) float64 {
	type span struct{ s, e time.Time }
	var spans []span
	for _, p := range work {
		s, e := p.Start, p.End
		if e.IsZero() || e.After(to) {
			e = to
		}
		if s.Before(from) {
			s = from
		}
		if e.After(s) {
			spans = append(spans, span{s, e})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.s.Compare(b.s) })
	var total time.Duration
	var end time.Time
	for _, sp := range spans {
		if sp.s.Before(end) {
			sp.s = end
		}
		if sp.e.After(sp.s) {
			total += sp.e.Sub(sp.s)
			end = sp.e
		}
	}
	return float64(total) / float64(yearDur)
}

// datedHours sums hours of a kind on dates after from (all when zero) and
// not after to.
func datedHours(hours []DatedHours, kind HoursKind, from, to time.Time) float64 {
	var sum float64
	for _, h := range hours {
		if h.Kind == kind && !h.On.After(to) && (from.IsZero() || h.On.After(from)) {
			sum += h.Hours
		}
	}
	return sum
}

// renewal is the year's standing: training hours since the last
// anniversary of EndorsedOn against [RenewalTrainingHours].
func renewal(rec EndorsementRecord, asOf time.Time) *Renewal {
	last := rec.EndorsedOn
	for !last.AddDate(1, 0, 0).After(asOf) {
		last = last.AddDate(1, 0, 0)
	}
	var have float64
	for _, h := range rec.Hours {
		if h.Kind == TrainingHoursKind && !h.On.Before(last) && !h.On.After(asOf) {
			have += h.Hours
		}
	}
	r := &Renewal{Due: last.AddDate(1, 0, 0), TrainingHours: have, Steps: []Reason{}}
	if have < RenewalTrainingHours {
		r.Steps = append(r.Steps, Reason{Code: CodeRenewalHoursShort, Field: "hours", Outcome: Ineligible,
			Params: map[string]string{"level": string(rec.Current), "required": strconv.Itoa(RenewalTrainingHours),
				"missing": strconv.FormatFloat(RenewalTrainingHours-have, 'f', 2, 64), "due": r.Due.Format(time.DateOnly)}})
	}
	return r
}
