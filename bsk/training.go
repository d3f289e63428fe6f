package bsk

import "time"

// RegistrationID identifies a [Registration].
type RegistrationID string

// RegistrationStatus is where a registration stands.
type RegistrationStatus string

// The registration statuses.
const (
	// RegistrationRegistered holds a seat.
	RegistrationRegistered RegistrationStatus = "registered"
	// RegistrationWaitlisted waits for a seat, in the order registered.
	RegistrationWaitlisted RegistrationStatus = "waitlisted"
	// RegistrationCancelled was withdrawn; it holds no seat and no place
	// on the waitlist.
	RegistrationCancelled RegistrationStatus = "cancelled"
)

var registrationStatuses = []RegistrationStatus{RegistrationRegistered, RegistrationWaitlisted, RegistrationCancelled}

// Valid reports whether s is a known registration status code.
func (s RegistrationStatus) Valid() bool { return validCode(s, registrationStatuses) }

// Enum lists every registration status code.
func (RegistrationStatus) Enum() []string { return codesOf(registrationStatuses) }

// Registration is a provider's place in an offering, or in one session of
// it: registered by the provider, or by their agency for its staff.
type Registration struct {
	// ID identifies the registration.
	ID RegistrationID `json:"id"`
	// OfferingID is the offering registered for.
	OfferingID OfferingID `json:"offering_id"`
	// SessionID is set when the registration is for one session only.
	SessionID SessionID `json:"session_id,omitempty"`
	// ProviderID is who attends.
	ProviderID ProviderID `json:"provider_id"`
	// OrganizationID is set when an agency registered its staff member.
	OrganizationID OrganizationID `json:"organization_id,omitempty"`
	// Status is where the registration stands.
	Status RegistrationStatus `json:"status"`
	// At is when the registration was made (UTC); the waitlist is in this
	// order.
	At time.Time `json:"at"`
	// Interpretation is the language the registrant asks an interpreter
	// for, if any; ASL is "ase".
	Interpretation Language `json:"interpretation,omitempty"`
}

// Validate reports every problem with r.
func (r Registration) Validate() error {
	var p Problems
	checkID(&p, "id", r.ID, true)
	checkID(&p, "offering_id", r.OfferingID, true)
	checkID(&p, "session_id", r.SessionID, false)
	checkID(&p, "provider_id", r.ProviderID, true)
	checkID(&p, "organization_id", r.OrganizationID, false)
	if !r.Status.Valid() {
		p.Add("status", "unknown registration status code %q", r.Status)
	}
	if r.At.IsZero() {
		p.Add("at", "is required")
	}
	if r.Interpretation != "" && !r.Interpretation.Valid() {
		p.Add("interpretation", "unknown language code %q", r.Interpretation)
	}
	return p.Err()
}

// WaitlistNotice records that a waitlisted registration was given a seat,
// so that the provider can be told.
type WaitlistNotice struct {
	// RegistrationID is the registration promoted.
	RegistrationID RegistrationID `json:"registration_id"`
	// OfferingID and SessionID name what the seat is in.
	OfferingID OfferingID `json:"offering_id"`
	SessionID  SessionID  `json:"session_id,omitempty"`
	// ProviderID is who got the seat.
	ProviderID ProviderID `json:"provider_id"`
	// Position is the place the registration held on the waitlist, 1 first.
	Position int `json:"position" jsonschema:"minimum=1"`
	// FreedBy is the registration whose cancellation freed the seat, if
	// one did (a raised capacity frees seats too).
	FreedBy RegistrationID `json:"freed_by,omitempty"`
	// At is when the promotion happened (UTC).
	At time.Time `json:"at"`
}

// Validate reports every problem with n.
func (n WaitlistNotice) Validate() error {
	var p Problems
	checkID(&p, "registration_id", n.RegistrationID, true)
	checkID(&p, "offering_id", n.OfferingID, true)
	checkID(&p, "session_id", n.SessionID, false)
	checkID(&p, "provider_id", n.ProviderID, true)
	if n.Position < 1 {
		p.Add("position", "%d is below 1", n.Position)
	}
	checkID(&p, "freed_by", n.FreedBy, false)
	if n.At.IsZero() {
		p.Add("at", "is required")
	}
	return p.Err()
}

// InterpreterBooking is the interpreters one session needs in one language.
type InterpreterBooking struct {
	// SessionID is the session interpreted.
	SessionID SessionID `json:"session_id"`
	// Language is the language interpreted into; ASL is "ase".
	Language Language `json:"language"`
	// Interpreters is how many interpreters to book, at least 1.
	Interpreters int `json:"interpreters" jsonschema:"minimum=1"`
	// Registrants lists who needs the interpretation, sorted.
	Registrants []ProviderID `json:"registrants"`
	// BookBy is the last day to book (UTC).
	BookBy time.Time `json:"book_by"`
}

// Validate reports every problem with b.
func (b InterpreterBooking) Validate() error {
	var p Problems
	checkID(&p, "session_id", b.SessionID, true)
	if !b.Language.Valid() {
		p.Add("language", "unknown language code %q", b.Language)
	}
	if b.Interpreters < 1 {
		p.Add("interpreters", "%d is below 1", b.Interpreters)
	}
	if len(b.Registrants) == 0 {
		p.Add("registrants", "at least one registrant is required")
	}
	for i, id := range b.Registrants {
		checkID(&p, Index("registrants", i), id, true)
	}
	if b.BookBy.IsZero() {
		p.Add("book_by", "is required")
	}
	return p.Err()
}

// TranscriptLine is one session on a provider's transcript: what was
// attended, when, and the hours and credit it earned.
type TranscriptLine struct {
	// SessionID and OfferingID name the session attended.
	SessionID  SessionID  `json:"session_id"`
	OfferingID OfferingID `json:"offering_id"`
	// Title is the offering's title.
	Title string `json:"title"`
	// Competency is the offering's competency area (its topic), if any.
	Competency string `json:"competency,omitempty"`
	// On is when the session began (UTC).
	On time.Time `json:"on"`
	// Hours are the hours earned, more than 0 and at most 24.
	Hours float64 `json:"hours" jsonschema:"exclusiveMinimum=0,maximum=24"`
	// Credit is the kind of hours earned, the session's [Session.CreditFor].
	Credit Credit `json:"credit"`
}

// Validate reports every problem with l.
func (l TranscriptLine) Validate() error {
	var p Problems
	checkID(&p, "session_id", l.SessionID, true)
	checkID(&p, "offering_id", l.OfferingID, true)
	checkText(&p, "title", l.Title, 300, true)
	checkText(&p, "competency", l.Competency, 300, false)
	if l.On.IsZero() {
		p.Add("on", "is required")
	}
	checkRange(&p, "hours", l.Hours, 0, MaxAttendanceHours)
	if l.Hours == 0 {
		p.Add("hours", "must be more than 0")
	}
	if !l.Credit.Valid() {
		p.Add("credit", "unknown credit code %q", l.Credit)
	}
	return p.Err()
}
