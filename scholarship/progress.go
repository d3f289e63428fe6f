package scholarship

import (
	"time"

	"github.com/beststarts/workforce/bsk"
)

// ProgressOptions configure [ProgressOf]. The zero value reads [Levels].
type ProgressOptions struct {
	// Levels are the requirements of every level and track, lowest first;
	// nil means [Levels]. The published table gives no reflective hours
	// for the policy and research/faculty mentor tracks and no window for
	// the reflective hours of the other levels beyond "in 1-2 years":
	// [Levels] asks none of the first and reads the window as 2 years; a
	// program that reads the table otherwise sets its own requirements here.
	Levels []LevelRequirement `json:"levels,omitempty"`
}

// LevelProgress is what one level or track still asks of a person.
type LevelProgress struct {
	// Level is the level or mentor track.
	Level bsk.Endorsement `json:"level"`
	// Missing lists every step left, with amounts (training hours,
	// reflective hours within the window and since when, education or
	// experience, the degree date, the exam); empty when the entry
	// requirements are met.
	Missing []Reason `json:"missing"`
}

// Progress is a person's way toward endorsement on a date: the highest
// level whose entry requirements are met, and for the level or levels
// above it (the three mentor tracks above the IMH specialist), what is
// missing; with the renewal hours of an endorsement held.
type Progress struct {
	// AsOf is the date of the computation.
	AsOf time.Time `json:"as_of"`
	// Current is the endorsement held ("none" when none is).
	Current bsk.Endorsement `json:"current"`
	// Highest is the highest level whose entry requirements are met on
	// AsOf (its exam, if any, may be left: see HighestSteps), or "none".
	// Among tracks of one rank the first met in the options' order wins.
	Highest bsk.Endorsement `json:"highest"`
	// HighestSteps lists what is left at Highest that does not block it:
	// the exam.
	HighestSteps []Reason `json:"highest_steps"`
	// Next lists every level or track one rank above Highest, with what
	// is missing; empty at the top.
	Next []LevelProgress `json:"next"`
	// Renewal is the year's renewal standing (15 training hours a year)
	// when an endorsement is held with its date.
	Renewal *Renewal `json:"renewal,omitempty"`
}

// ProgressOf computes a person's [Progress] on asOf from their dated
// record, with the same steps as [Assess]: hours and work after asOf do
// not count, reflective hours count within the level's window before
// asOf, post-degree years count after the degree date.
func ProgressOf(rec EndorsementRecord, asOf time.Time, opts ProgressOptions) Progress {
	levels := opts.Levels
	if levels == nil {
		levels = Levels
	}
	cur := rec.Current
	if cur == "" {
		cur = bsk.EndorsementNone
	}
	p := Progress{AsOf: asOf, Current: cur, Highest: bsk.EndorsementNone, HighestSteps: []Reason{}, Next: []LevelProgress{}}
	steps := make([][]Reason, len(levels))
	for i, req := range levels {
		steps[i] = stepsOf(req, rec, asOf)
		if len(blocking(steps[i])) == 0 && req.Level.Rank() > p.Highest.Rank() {
			p.Highest = req.Level
			p.HighestSteps = append([]Reason{}, steps[i]...)
		}
	}
	next := p.Highest.Rank() + 1
	for i, req := range levels {
		if req.Level.Rank() == next {
			p.Next = append(p.Next, LevelProgress{Level: req.Level, Missing: append([]Reason{}, steps[i]...)})
		}
	}
	if cur != bsk.EndorsementNone && !rec.EndorsedOn.IsZero() && !asOf.Before(rec.EndorsedOn) {
		p.Renewal = renewal(rec, asOf)
	}
	return p
}

// RecordOf builds the dated record [ProgressOf] reads from a provider and
// their dated hours. A provider's record holds paid years in the field,
// not dates: the work is read as one period of YearsExperience years
// ending on asOf, and, for a bachelor's degree or higher, as work after
// the degree (the reading [Qualifications] gives the same years), so the
// degree date is the start of that period. The endorsement held has no
// date in a provider's record, so no renewal is computed: set EndorsedOn on
// the result to have one.
func RecordOf(p bsk.Provider, hours []DatedHours, asOf time.Time) EndorsementRecord {
	rec := EndorsementRecord{Education: p.Education, Hours: hours, Current: p.Endorsement}
	start := asOf.Add(-time.Duration(p.YearsExperience * float64(yearDur)))
	if p.YearsExperience > 0 {
		rec.Work = []Period{{Start: start, End: asOf}}
	}
	if p.Education.AtLeast(bsk.EducationBachelor) {
		rec.DegreeOn = start
	}
	return rec
}

// stepsOf is what one level or track still asks of a person on asOf:
// every step of [ProgressOf] for it, which [Missing] (and so the
// endorsement-support rule, [ReadyForLevel]) reads as well.
func stepsOf(req LevelRequirement, rec EndorsementRecord, asOf time.Time) []Reason {
	return levelSteps(req, rec, asOf)
}

// levelRequirement finds a level's requirement in levels.
func levelRequirement(levels []LevelRequirement, l bsk.Endorsement) (LevelRequirement, bool) {
	for _, r := range levels {
		if r.Level == l {
			return r, true
		}
	}
	return LevelRequirement{}, false
}
