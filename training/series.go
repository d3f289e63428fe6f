package training

import (
	"fmt"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// The length bounds of a reflective consultation session, in minutes: the
// program's groups meet monthly for 60 to 90 minutes.
const (
	SeriesMinMinutes = 60
	SeriesMaxMinutes = 90
	// MaxSeriesMonths is the longest series, two program years.
	MaxSeriesMonths = 24
)

// Series is a monthly series of sessions of one offering at a weekly
// meeting slot: the Week-th Slot.Day of each month from From, for Months
// months, at Slot's time in Location. A session that falls on a holiday
// moves to the same day of the next week when that is still in the month;
// otherwise the month has no session.
type Series struct {
	// OfferingID is the offering the sessions belong to.
	OfferingID bsk.OfferingID `json:"offering_id"`
	// Slot is the weekly meeting slot, in local time; it lasts
	// [SeriesMinMinutes] to [SeriesMaxMinutes] minutes.
	Slot bsk.Slot `json:"slot"`
	// Week is which of the month's Slot.Days the group meets on, 1 to 4; 0
	// means 1 (the first Tuesday, say).
	Week int `json:"week,omitempty" jsonschema:"minimum=0,maximum=4"`
	// From is any day of the first month; only its year and month count,
	// as written.
	From time.Time `json:"from"`
	// Months is the number of months, 1 to [MaxSeriesMonths].
	Months int `json:"months" jsonschema:"minimum=1,maximum=24"`
	// Location is the slot's time zone; nil means UTC.
	Location *time.Location `json:"-"`
	// Holidays are the days on which no session is held: only each
	// time's year, month and day count, as written (midnight UTC on
	// 2026-11-26 names November 26th wherever the group meets).
	Holidays []time.Time `json:"holidays,omitempty"`
}

// SessionID returns the ID of the offering's session in a month:
// "<offering>-YYYY-MM".
func SessionID(offering bsk.OfferingID, year int, month time.Month) bsk.SessionID {
	return bsk.SessionID(fmt.Sprintf("%s-%04d-%02d", offering, year, int(month)))
}

// Validate reports every problem with s.
func (s Series) Validate() error {
	var p bsk.Problems
	if msg := bsk.IDProblem(string(s.OfferingID)); msg != "" {
		p.Add("offering_id", "%s", msg)
	} else if len(s.OfferingID)+len("-2006-01") > bsk.MaxIDLength {
		p.Add("offering_id", "is longer than %d bytes, too long to name its sessions", bsk.MaxIDLength-len("-2006-01"))
	}
	p.Merge("slot", s.Slot.Validate())
	if m := s.Slot.Minutes(); s.Slot.End > s.Slot.Start && (m < SeriesMinMinutes || m > SeriesMaxMinutes) {
		p.Add("slot", "lasts %d minutes; a session lasts %d to %d", m, SeriesMinMinutes, SeriesMaxMinutes)
	}
	if s.Week < 0 || s.Week > 4 {
		p.Add("week", "%d is outside 0 to 4", s.Week)
	}
	if s.From.IsZero() {
		p.Add("from", "is required")
	}
	if s.Months < 1 || s.Months > MaxSeriesMonths {
		p.Add("months", "%d is outside 1 to %d", s.Months, MaxSeriesMonths)
	}
	return p.Err()
}

// Sessions returns the series' sessions in time order, their starts in
// UTC. The same series always gets the same sessions, IDs included (see
// [SessionID]).
//
// Errors: [bsk.Errors] of [bsk.CodeInvalid] naming each field that is
// wrong.
func (s Series) Sessions() ([]bsk.Session, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	type day struct {
		y int
		m time.Month
		d int
	}
	holiday := make(map[day]bool, len(s.Holidays))
	for _, h := range s.Holidays {
		y, m, d := h.Date()
		holiday[day{y, m, d}] = true
	}
	week := max(s.Week, 1)
	weekday := time.Weekday((s.Slot.Day.Index() + 1) % 7)
	fy, fm, _ := s.From.Date()
	out := make([]bsk.Session, 0, s.Months)
	for i := range s.Months {
		first := time.Date(fy, fm+time.Month(i), 1, 0, 0, 0, 0, loc)
		y, m := first.Year(), first.Month()
		d := 1 + (int(weekday)-int(first.Weekday())+7)%7 + 7*(week-1)
		for holiday[day{y, m, d}] {
			d += 7
		}
		if d > daysIn(y, m) {
			continue // the holiday pushed the session out of the month
		}
		start := time.Date(y, m, d, s.Slot.Start/60, s.Slot.Start%60, 0, 0, loc).UTC()
		out = append(out, bsk.Session{ID: SessionID(s.OfferingID, y, m), OfferingID: s.OfferingID, Starts: start, Minutes: s.Slot.Minutes()})
	}
	return out, nil
}

// daysIn is the number of days of a month.
func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }
