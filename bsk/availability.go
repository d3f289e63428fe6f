package bsk

import "fmt"

// Day is a day of the week.
type Day string

// The days, Monday first.
const (
	Monday    Day = "mon"
	Tuesday   Day = "tue"
	Wednesday Day = "wed"
	Thursday  Day = "thu"
	Friday    Day = "fri"
	Saturday  Day = "sat"
	Sunday    Day = "sun"
)

var days = []Day{Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday}

// Valid reports whether d is a known day code.
func (d Day) Valid() bool { return validCode(d, days) }

// Enum lists every day code, Monday first.
func (Day) Enum() []string { return codesOf(days) }

// Index returns 0 for Monday through 6 for Sunday, -1 for an unknown code.
func (d Day) Index() int {
	for i, x := range days {
		if x == d {
			return i
		}
	}
	return -1
}

// MinutesPerDay is the length of a day in minutes; a [Slot] ends at most here.
const MinutesPerDay = 24 * 60

// Slot is a weekly window of time, in local time: a day and the minutes
// since midnight it starts and ends at. A Slot never crosses midnight.
type Slot struct {
	// Day is the day of the week.
	Day Day `json:"day"`
	// Start is the first minute of the window, 0 to 1439.
	Start int `json:"start" jsonschema:"minimum=0,maximum=1439"`
	// End is the minute the window ends at, after Start, at most 1440.
	End int `json:"end" jsonschema:"minimum=1,maximum=1440"`
}

// String renders the slot as "tue 09:00-10:30".
func (s Slot) String() string {
	return fmt.Sprintf("%s %02d:%02d-%02d:%02d", s.Day, s.Start/60, s.Start%60, s.End/60, s.End%60)
}

// Minutes returns the slot's length.
func (s Slot) Minutes() int { return s.End - s.Start }

// Overlap returns the minutes two slots share.
func (s Slot) Overlap(o Slot) int {
	if s.Day != o.Day {
		return 0
	}
	lo, hi := max(s.Start, o.Start), min(s.End, o.End)
	return max(0, hi-lo)
}

// Contains reports whether o lies wholly inside s.
func (s Slot) Contains(o Slot) bool {
	return s.Day == o.Day && s.Start <= o.Start && o.End <= s.End
}

// Validate reports an unknown day and times outside the day or out of order.
func (s Slot) Validate() error {
	var p Problems
	if !s.Day.Valid() {
		p.Add("day", "unknown day code %q", s.Day)
	}
	if s.Start < 0 || s.Start >= MinutesPerDay {
		p.Add("start", "%d is outside the day (0 to %d)", s.Start, MinutesPerDay-1)
	}
	if s.End <= 0 || s.End > MinutesPerDay {
		p.Add("end", "%d is outside the day (1 to %d)", s.End, MinutesPerDay)
	} else if s.End <= s.Start {
		p.Add("end", "%d is not after start %d", s.End, s.Start)
	}
	return p.Err()
}

// Free reports whether a weekly availability (a list of slots) covers the
// whole of want.
func Free(availability []Slot, want Slot) bool {
	for _, s := range availability {
		if s.Contains(want) {
			return true
		}
	}
	return false
}
