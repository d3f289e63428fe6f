package bsk

// Credit is the kind of hours that attendance earns toward IMH endorsement.
type Credit string

// The credit kinds.
const (
	// CreditTraining counts toward the training hours every level requires.
	CreditTraining Credit = "training"
	// CreditReflective counts toward reflective supervision/consultation hours.
	CreditReflective Credit = "reflective"
)

var credits = []Credit{CreditTraining, CreditReflective}

// Valid reports whether c is a known credit code.
func (c Credit) Valid() bool { return validCode(c, credits) }

// Enum lists every credit code.
func (Credit) Enum() []string { return codesOf(credits) }

// MaxAttendanceHours bounds the hours one attendance record may carry.
const MaxAttendanceHours = 24

// Attendance records that a provider attended a session, and for how long.
type Attendance struct {
	// SessionID is the session attended.
	SessionID SessionID `json:"session_id"`
	// ProviderID is who attended.
	ProviderID ProviderID `json:"provider_id"`
	// Hours is the time attended, more than 0 and at most 24.
	Hours float64 `json:"hours" jsonschema:"exclusiveMinimum=0,maximum=24"`
	// Credit is the kind of hours earned, normally the session's [Session.CreditFor].
	Credit Credit `json:"credit"`
}

// Validate reports every problem with a.
func (a Attendance) Validate() error {
	var p Problems
	checkID(&p, "session_id", a.SessionID, true)
	checkID(&p, "provider_id", a.ProviderID, true)
	checkRange(&p, "hours", a.Hours, 0, MaxAttendanceHours)
	if a.Hours == 0 {
		p.Add("hours", "must be more than 0")
	}
	if !a.Credit.Valid() {
		p.Add("credit", "unknown credit code %q", a.Credit)
	}
	return p.Err()
}

// Hours sums attendance by credit kind for one provider.
func Hours(records []Attendance, who ProviderID) map[Credit]float64 {
	out := map[Credit]float64{}
	for _, a := range records {
		if a.ProviderID == who {
			out[a.Credit] += a.Hours
		}
	}
	return out
}
