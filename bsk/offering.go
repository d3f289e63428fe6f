package bsk

import "time"

// OfferingKind is the kind of support an offering is.
type OfferingKind string

// The offering kinds.
const (
	OfferingTraining               OfferingKind = "training"
	OfferingReflectiveConsultation OfferingKind = "reflective_consultation"
	OfferingCommunityOfPractice    OfferingKind = "community_of_practice"
	OfferingCertificateCohort      OfferingKind = "certificate_cohort"
	OfferingCommunityOfLeaders     OfferingKind = "community_of_leaders"
	OfferingIntergroupDialogue     OfferingKind = "intergroup_dialogue"
	OfferingLargeGroupWorkshop     OfferingKind = "large_group_workshop"
)

var offeringKinds = []OfferingKind{
	OfferingTraining, OfferingReflectiveConsultation, OfferingCommunityOfPractice,
	OfferingCertificateCohort, OfferingCommunityOfLeaders, OfferingIntergroupDialogue,
	OfferingLargeGroupWorkshop,
}

// Valid reports whether k is a known offering kind code.
func (k OfferingKind) Valid() bool { return validCode(k, offeringKinds) }

// Enum lists every offering kind code.
func (OfferingKind) Enum() []string { return codesOf(offeringKinds) }

// Credit returns the kind of hours attendance earns toward endorsement:
// reflective consultation and the mentor-led reflection of a community of
// leaders count as reflective hours, everything else as training hours.
func (k OfferingKind) Credit() Credit {
	switch k {
	case OfferingReflectiveConsultation, OfferingCommunityOfLeaders:
		return CreditReflective
	}
	return CreditTraining
}

// Cadence is how often an offering meets.
type Cadence string

// The cadences.
const (
	CadenceOnce      Cadence = "once"
	CadenceWeekly    Cadence = "weekly"
	CadenceBiweekly  Cadence = "biweekly"
	CadenceMonthly   Cadence = "monthly"
	CadenceQuarterly Cadence = "quarterly"
)

var cadences = []Cadence{CadenceOnce, CadenceWeekly, CadenceBiweekly, CadenceMonthly, CadenceQuarterly}

// Valid reports whether c is a known cadence code.
func (c Cadence) Valid() bool { return validCode(c, cadences) }

// Enum lists every cadence code.
func (Cadence) Enum() []string { return codesOf(cadences) }

// Modality is how an offering meets.
type Modality string

// The modalities.
const (
	ModalityVirtual  Modality = "virtual"
	ModalityInPerson Modality = "in_person"
	ModalityHybrid   Modality = "hybrid"
)

var modalities = []Modality{ModalityVirtual, ModalityInPerson, ModalityHybrid}

// Valid reports whether m is a known modality code.
func (m Modality) Valid() bool { return validCode(m, modalities) }

// Enum lists every modality code.
func (Modality) Enum() []string { return codesOf(modalities) }

// Offering is a training, a reflective consultation group, a community of
// practice, a certificate cohort, a community of leaders, an intergroup
// dialogue or a large group workshop.
type Offering struct {
	// ID identifies the offering.
	ID OfferingID `json:"id"`
	// Kind is what kind of offering it is.
	Kind OfferingKind `json:"kind"`
	// Title is the offering's public title.
	Title string `json:"title"`
	// Strategy is the levy strategy that funds it.
	Strategy Strategy `json:"strategy"`
	// Topic is the self-identified topic or content area, if any.
	Topic string `json:"topic,omitempty"`
	// Language is the language the offering is held in.
	Language Language `json:"language"`
	// Interpretation lists the languages interpreters are provided for.
	Interpretation []Language `json:"interpretation,omitempty"`
	// Capacity is the most participants it takes; 0 means no limit.
	Capacity int `json:"capacity" jsonschema:"minimum=0"`
	// Cadence is how often it meets.
	Cadence Cadence `json:"cadence"`
	// Modality is how it meets.
	Modality Modality `json:"modality"`
	// SessionMinutes is the usual length of one session, 1 to 1440.
	SessionMinutes int `json:"session_minutes" jsonschema:"minimum=1,maximum=1440"`
	// Starts is the first day (UTC).
	Starts time.Time `json:"starts,omitzero"`
	// Ends is the last day (UTC), not before Starts.
	Ends time.Time `json:"ends,omitzero"`
	// Leaders lists the consultants, trainers, mentors or facilitators.
	Leaders []ProviderID `json:"leaders,omitempty"`
	// OrganizationID is set for an offering run for one organization, such as
	// most reflective consultation groups.
	OrganizationID OrganizationID `json:"organization_id,omitempty"`
}

// Validate reports every problem with o.
func (o Offering) Validate() error {
	var p Problems
	checkID(&p, "id", o.ID, true)
	if !o.Kind.Valid() {
		p.Add("kind", "unknown offering kind code %q", o.Kind)
	}
	checkText(&p, "title", o.Title, 300, true)
	if !o.Strategy.Valid() {
		p.Add("strategy", "unknown strategy code %q", o.Strategy)
	}
	checkText(&p, "topic", o.Topic, 300, false)
	if !o.Language.Valid() {
		p.Add("language", "unknown language code %q", o.Language)
	}
	checkCodes(&p, "interpretation", o.Interpretation, Language.Valid, "language")
	for i, l := range o.Interpretation {
		if l == o.Language {
			p.Add(Index("interpretation", i), "interpretation into %q, the offering's own language", l)
		}
	}
	if o.Capacity < 0 {
		p.Add("capacity", "%d is negative", o.Capacity)
	}
	if !o.Cadence.Valid() {
		p.Add("cadence", "unknown cadence code %q", o.Cadence)
	}
	if !o.Modality.Valid() {
		p.Add("modality", "unknown modality code %q", o.Modality)
	}
	if o.SessionMinutes < 1 || o.SessionMinutes > MinutesPerDay {
		p.Add("session_minutes", "%d is outside 1 to %d", o.SessionMinutes, MinutesPerDay)
	}
	if !o.Starts.IsZero() && !o.Ends.IsZero() && o.Ends.Before(o.Starts) {
		p.Add("ends", "is before starts")
	}
	for i, id := range o.Leaders {
		checkID(&p, Index("leaders", i), id, true)
	}
	checkID(&p, "organization_id", o.OrganizationID, false)
	return p.Err()
}

// Session is one meeting of an offering.
type Session struct {
	// ID identifies the session.
	ID SessionID `json:"id"`
	// OfferingID is the offering it belongs to.
	OfferingID OfferingID `json:"offering_id"`
	// Starts is when it begins (UTC).
	Starts time.Time `json:"starts"`
	// Minutes is how long it lasts, 1 to 1440.
	Minutes int `json:"minutes" jsonschema:"minimum=1,maximum=1440"`
	// Credit is the kind of hours attending this session earns, when it
	// differs from its offering kind's [OfferingKind.Credit]: a community
	// of leaders' quarterly training earns training hours while its
	// mentorship sessions earn reflective ones, and a certificate cohort's
	// afternoon reflection groups earn reflective hours while its modules
	// earn training ones. Empty means the offering kind's credit (see
	// [Session.CreditFor]).
	Credit Credit `json:"credit,omitempty"`
}

// CreditFor returns the kind of hours the session earns, given its
// offering's kind: the session's own Credit when set, otherwise the kind's
// [OfferingKind.Credit].
func (s Session) CreditFor(kind OfferingKind) Credit {
	if s.Credit != "" {
		return s.Credit
	}
	return kind.Credit()
}

// Validate reports every problem with s.
func (s Session) Validate() error {
	var p Problems
	checkID(&p, "id", s.ID, true)
	checkID(&p, "offering_id", s.OfferingID, true)
	if s.Starts.IsZero() {
		p.Add("starts", "is required")
	}
	if s.Minutes < 1 || s.Minutes > MinutesPerDay {
		p.Add("minutes", "%d is outside 1 to %d", s.Minutes, MinutesPerDay)
	}
	if s.Credit != "" && !s.Credit.Valid() {
		p.Add("credit", "unknown credit code %q", s.Credit)
	}
	return p.Err()
}
