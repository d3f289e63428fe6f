package grouping

import (
	"fmt"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Attribute names the presets give members built from providers.
const (
	AttrOrganization  = "organization"   // categorical: the provider's organization ID
	AttrRole          = "role"           // categorical: bsk.Role
	AttrRegion        = "region"         // categorical: region of the provider's place
	AttrGender        = "gender"         // categorical: bsk.Gender
	AttrAgeBand       = "age_band"       // categorical: bsk.AgeBand
	AttrLanguages     = "languages"      // set: bsk.Language codes
	AttrSlots         = "slots"          // set: meeting slot codes such as "tue-0900"
	AttrDisciplines   = "disciplines"    // set: bsk.Discipline
	AttrServiceLevels = "service_levels" // set: bsk.ServiceLevel
	AttrRace          = "race"           // set: bsk.RaceEthnicity
	AttrYears         = "years"          // numeric: years of experience
)

// Preset names a starting problem that encodes the seeds' policies.
type Preset string

// The presets.
const (
	// ReflectiveConsultationPreset: groups of 6-8 who share a language and a
	// meeting time, mostly from one organization, supervisors apart from
	// direct-service staff by default, never with their own supervisor.
	ReflectiveConsultationPreset Preset = "reflective_consultation"
	// IntergroupDialoguePreset: 6 groups of agency leaders deliberately mixed
	// across race, gender, age, region and organization, with nobody the
	// only one of their identity in a group.
	IntergroupDialoguePreset Preset = "intergroup_dialogue"
	// TrainingBreakoutsPreset: breakout rooms of 4-6 whose members share a
	// language (interpretation), mixing organizations and roles.
	TrainingBreakoutsPreset Preset = "training_breakouts"
	// MentorshipPreset: one group per mentor, each mentor pinned to their
	// group, sharing a language and a meeting time with the group; with a
	// leader capacity, small groups of 6-8 led by the mentors, several
	// each, as the BIPOC Community of Leaders meets.
	MentorshipPreset Preset = "mentorship"
)

var presets = []Preset{ReflectiveConsultationPreset, IntergroupDialoguePreset, TrainingBreakoutsPreset, MentorshipPreset}

// Valid reports whether p is a known preset.
func (p Preset) Valid() bool { return slices.Contains(presets, p) }

// Enum lists every preset code.
func (Preset) Enum() []string {
	out := make([]string, len(presets))
	for i, p := range presets {
		out[i] = string(p)
	}
	return out
}

// RolePolicy says whether supervisors and direct-service staff share a
// reflective consultation group.
type RolePolicy string

// The role policies.
const (
	// RolesSeparate keeps supervisors, directors and direct-service staff in
	// separate groups (the default).
	RolesSeparate RolePolicy = "separate"
	// RolesTogether lets them meet together; a provider is still never in
	// a group with the person they report to.
	RolesTogether RolePolicy = "together"
)

// OrgPolicy says how strongly groups keep to one organization.
type OrgPolicy string

// The organization policies.
const (
	// OrgPrefer rewards members of the same organization meeting together
	// (a soft criterion; the default).
	OrgPrefer OrgPolicy = "prefer"
	// OrgRequire makes one organization per group a hard constraint.
	OrgRequire OrgPolicy = "require"
	// OrgMix rewards mixing organizations.
	OrgMix OrgPolicy = "mix"
)

// PresetOptions adjust a preset. The zero value gives the preset's
// defaults; every field overrides one of them.
type PresetOptions struct {
	// Groups is the number of groups; 0 derives it from the size bounds
	// (the members over the middle size, so 97 groups for 680 providers
	// in groups of 6-8, within what the bounds allow; the fewest groups
	// that hold everyone when there is no minimum), or 6 for dialogue and
	// one per mentor for mentorship.
	Groups int `json:"groups,omitempty"`
	// Size bounds each group; zero means the preset's bounds: 6-8 for
	// reflective consultation, 4-6 for breakouts, an even split for
	// dialogue and mentorship.
	Size Bounds `json:"size,omitzero"`
	// Slots are the candidate weekly meeting times; a member can meet in a
	// slot that lies inside one of their availability windows. Empty means
	// DefaultMeetingSlots(90).
	Slots []bsk.Slot `json:"slots,omitempty"`
	// Roles is the reflective consultation role policy; empty means
	// RolesSeparate.
	Roles RolePolicy `json:"roles,omitempty"`
	// Organization is the organization policy; empty means the preset's:
	// OrgPrefer for reflective consultation, OrgMix otherwise.
	Organization OrgPolicy `json:"organization,omitempty"`
	// Language, when set, is a language every member of every group must
	// speak (an interpreted session's working language is not this: use
	// the share-a-language constraint the presets already add).
	Language bsk.Language `json:"language,omitempty"`
	// LeaderCapacity is the most groups each reflective consultant leads;
	// 0 means 5 (20 consultants for about 100 groups). For mentorship it
	// turns on small-group mentorship: groups of Size (6-8 by default)
	// led by the mentors, each at most LeaderCapacity groups (82
	// participants and 3 mentors make 12 groups, 4 each); 0 keeps one
	// group per mentor.
	LeaderCapacity int `json:"leader_capacity,omitempty"`
	// AllowUnderfilled sets [Problem.AllowUnderfilled]: groups below
	// their minimum are kept (and listed in [Solution.Underfilled])
	// instead of their members being placed elsewhere or left out. The
	// mentorship preset with one group per mentor always allows them.
	AllowUnderfilled bool `json:"allow_underfilled,omitempty"`
	// AllowFewerGroups sets [Problem.AllowFewerGroups]: the search may
	// close groups it has formed, so fewer, fuller groups form (on
	// county-shaped reflective consultation problems about 85 where about
	// 95 form without it, the objective about 3.4% higher, about 3 more
	// people in 700 left out).
	AllowFewerGroups bool `json:"allow_fewer_groups,omitempty"`
}

// DefaultLeaderCapacity is the most groups a consultant leads unless
// PresetOptions.LeaderCapacity says otherwise.
const DefaultLeaderCapacity = 5

// LeadingOf makes leaders of providers (consultants, mentors): each leads
// at most capacity groups (0 means [DefaultLeaderCapacity]), speaks a
// language every member of their groups speaks, can meet in one of slots
// (empty means DefaultMeetingSlots(90)) that every member can, and works
// at none of the members' organizations.
func LeadingOf(leaders []bsk.Provider, slots []bsk.Slot, capacity int) *Leading {
	if capacity <= 0 {
		capacity = DefaultLeaderCapacity
	}
	if len(slots) == 0 {
		slots = DefaultMeetingSlots(90)
	}
	l := &Leading{Share: []string{AttrLanguages, AttrSlots}, Conflict: []string{AttrOrganization}}
	for _, pv := range leaders {
		m := MemberOf(pv, slots, false)
		l.Leaders = append(l.Leaders, Leader{ID: string(pv.ID), Capacity: capacity,
			Attrs: map[string]string{AttrOrganization: m.Attrs[AttrOrganization]},
			Sets:  map[string][]string{AttrLanguages: m.Sets[AttrLanguages], AttrSlots: m.Sets[AttrSlots]}})
	}
	return l
}

// DefaultMeetingSlots lists weekday meeting times of the given length in
// minutes, starting on the hour from 08:00 to 18:00.
func DefaultMeetingSlots(minutes int) []bsk.Slot {
	var out []bsk.Slot
	for _, d := range []bsk.Day{bsk.Monday, bsk.Tuesday, bsk.Wednesday, bsk.Thursday, bsk.Friday} {
		for h := 8; h <= 18; h++ {
			if end := h*60 + minutes; end <= 1440 {
				out = append(out, bsk.Slot{Day: d, Start: h * 60, End: end})
			}
		}
	}
	return out
}

// SlotCode is the stable code of a meeting slot in members' AttrSlots,
// such as "tue-0900".
func SlotCode(s bsk.Slot) string {
	return fmt.Sprintf("%s-%02d%02d", s.Day, s.Start/60, s.Start%60)
}

// MemberOf describes a provider as a grouping member: organization, role,
// languages, disciplines, service levels, years of experience, and the
// meeting slots (of slots) inside their availability. With demographics
// it adds race, gender, age band and region, which only a dialogue preset
// should use: they are private equity data.
func MemberOf(p bsk.Provider, slots []bsk.Slot, demographics bool) Member {
	m := Member{
		ID:    MemberID(p.ID),
		Attrs: map[string]string{AttrOrganization: string(p.OrganizationID), AttrRole: string(p.Role)},
		Sets:  map[string][]string{},
		Nums:  map[string]float64{AttrYears: p.YearsExperience},
	}
	m.Sets[AttrLanguages] = strs(p.Languages)
	m.Sets[AttrDisciplines] = strs(p.Disciplines)
	m.Sets[AttrServiceLevels] = strs(p.ServiceLevels)
	var free []string
	for _, s := range slots {
		for _, w := range p.Availability {
			if w.Contains(s) {
				free = append(free, SlotCode(s))
				break
			}
		}
	}
	m.Sets[AttrSlots] = free
	if demographics {
		d := p.Demographics
		m.Sets[AttrRace] = strs(d.Race)
		if d.Gender != "" {
			m.Attrs[AttrGender] = string(d.Gender)
		}
		if d.AgeBand != "" {
			m.Attrs[AttrAgeBand] = string(d.AgeBand)
		}
		if r := d.Place.Region(); r != "" {
			m.Attrs[AttrRegion] = string(r)
		}
	}
	return m
}

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// NewProblem builds the problem of a preset from providers (and, for
// mentorship, the mentors). It is the one entry point for callers that
// take the preset's name as data; the per-preset functions are the same.
// Like every preset builder, it returns a panic (a bug) as a
// [bsk.CodeInternal] error.
func NewProblem(preset Preset, providers, mentors []bsk.Provider, o PresetOptions) (_ *Problem, err error) {
	defer catch(&err, func() string { return "grouping: building the preset problem" })
	switch preset {
	case ReflectiveConsultationPreset:
		// Consultants given apart lead too, after any among providers.
		p, err := ReflectiveConsultation(providers, o)
		if err != nil || len(mentors) == 0 {
			return p, err
		}
		if p.Leading == nil {
			p.Leading = LeadingOf(nil, o.Slots, o.LeaderCapacity)
		}
		more := LeadingOf(mentors, o.Slots, o.LeaderCapacity)
		for _, l := range more.Leaders {
			if !slices.ContainsFunc(p.Leading.Leaders, func(k Leader) bool { return k.ID == l.ID }) {
				p.Leading.Leaders = append(p.Leading.Leaders, l)
			}
		}
		return p, nil
	case IntergroupDialoguePreset:
		return IntergroupDialogue(providers, o)
	case TrainingBreakoutsPreset:
		return TrainingBreakouts(providers, o)
	case MentorshipPreset:
		return Mentorship(providers, mentors, o)
	}
	return nil, bsk.Invalidf("preset", "unknown preset %q (one of %v)", preset, Preset("").Enum())
}

// ReflectiveConsultation builds reflective consultation groups from
// providers, following the seeds: groups of 6-8 that share a language and
// a monthly meeting time, almost always from one organization, with
// direct-service and supervisory staff apart by default. Providers who
// lead groups (consultants, trainers, mentors, facilitators) are excluded
// with the reason "leads_groups"; the consultants among them become the
// problem's [Leading] (see [LeadingOf]; o.LeaderCapacity groups each), so
// that only groups a consultant can lead are formed and each solution
// names every group's consultant.
func ReflectiveConsultation(providers []bsk.Provider, o PresetOptions) (_ *Problem, err error) {
	defer catch(&err, func() string { return "grouping: building the reflective consultation problem" })
	if o.Size == (Bounds{}) {
		o.Size = Bounds{Min: 6, Max: 8}
	}
	if o.Roles == "" {
		o.Roles = RolesSeparate
	}
	if o.Organization == "" {
		o.Organization = OrgPrefer
	}
	if o.Roles != RolesSeparate && o.Roles != RolesTogether {
		return nil, bsk.Invalidf("roles", "unknown role policy %q (separate or together)", o.Roles)
	}
	if o.LeaderCapacity < 0 {
		return nil, bsk.Invalidf("leader_capacity", "must be at least 0")
	}
	p, err := base(providers, o, false)
	if err != nil {
		return nil, err
	}
	var consultants []bsk.Provider
	for _, pv := range providers {
		if pv.Role == bsk.RoleConsultant {
			consultants = append(consultants, pv)
		}
	}
	if len(consultants) > 0 {
		p.Leading = LeadingOf(consultants, o.Slots, o.LeaderCapacity)
	}
	for _, pv := range providers {
		if pv.Role.Leads() {
			p.Exclude = append(p.Exclude, Exclusion{Member: MemberID(pv.ID), Reason: Reason{Code: "leads_groups", Params: map[string]string{"role": string(pv.Role)}}})
		}
	}
	p.Constraints = append(p.Constraints, Constraint{Kind: Share, Attr: AttrSlots})
	if o.Roles == RolesSeparate {
		p.Constraints = append(p.Constraints, Constraint{Kind: Separate, Attr: AttrRole,
			Values: []string{string(bsk.RoleDirectService), string(bsk.RoleSupervisor), string(bsk.RoleDirector)}})
	}
	p.CannotLink = reportingPairs(providers)
	if err := orgPolicy(p, o.Organization, 10); err != nil {
		return nil, err
	}
	p.Criteria = append(p.Criteria,
		Criterion{Name: "similar service levels", Kind: Similar, Attr: AttrServiceLevels, Weight: 1},
		Criterion{Name: "mixed disciplines", Kind: Diverse, Attr: AttrDisciplines, Weight: 0.5},
	)
	return p, sizeGroups(p, o)
}

// IntergroupDialogue builds intergroup dialogue groups of agency leaders,
// deliberately mixed: diverse on race and ethnicity, gender, age band,
// region and organization, and nobody the only one of their race or
// ethnicity in a group where it can be avoided. It uses the providers'
// private demographics, so its problem and solution belong only to those
// entitled to see them. Six groups by default, sizes split evenly.
func IntergroupDialogue(providers []bsk.Provider, o PresetOptions) (_ *Problem, err error) {
	defer catch(&err, func() string { return "grouping: building the intergroup dialogue problem" })
	if o.Groups == 0 {
		o.Groups = 6
	}
	if o.Organization == "" {
		o.Organization = OrgMix
	}
	p, err := base(providers, o, true)
	if err != nil {
		return nil, err
	}
	if err := orgPolicy(p, o.Organization, 2); err != nil {
		return nil, err
	}
	p.Criteria = append(p.Criteria,
		Criterion{Name: "mixed race and ethnicity", Kind: Diverse, Attr: AttrRace, Weight: 3},
		Criterion{Name: "nobody isolated by race or ethnicity", Kind: Isolation, Attr: AttrRace, Weight: 20},
		Criterion{Name: "mixed gender", Kind: Diverse, Attr: AttrGender, Weight: 1},
		Criterion{Name: "mixed age", Kind: Diverse, Attr: AttrAgeBand, Weight: 1},
		Criterion{Name: "mixed region", Kind: Diverse, Attr: AttrRegion, Weight: 1},
	)
	return p, sizeGroups(p, o)
}

// TrainingBreakouts builds a training's breakout rooms: 4-6 people who
// share a language, so that interpreted attendees meet with their
// interpreter's language, mixing organizations and roles.
func TrainingBreakouts(attendees []bsk.Provider, o PresetOptions) (_ *Problem, err error) {
	defer catch(&err, func() string { return "grouping: building the training breakouts problem" })
	if o.Size == (Bounds{}) {
		o.Size = Bounds{Min: 4, Max: 6}
	}
	if o.Organization == "" {
		o.Organization = OrgMix
	}
	p, err := base(attendees, o, false)
	if err != nil {
		return nil, err
	}
	if err := orgPolicy(p, o.Organization, 2); err != nil {
		return nil, err
	}
	p.Criteria = append(p.Criteria, Criterion{Name: "mixed roles", Kind: Diverse, Attr: AttrRole, Weight: 1})
	return p, sizeGroups(p, o)
}

// Mentorship builds one group per mentor: each mentor is a member pinned
// to their own group, and every group shares a language and a meeting time
// with its mentor; organizations mix. Group sizes count the mentor. A
// mentor's group stays whatever its size (the problem allows underfilled
// groups): the mentor meets whoever can join.
//
// With o.LeaderCapacity above 0 it builds small-group mentorship instead,
// as the seeds run it (82 participants, 3 mentors, monthly small groups):
// the participants form groups of o.Size (6-8 by default; o.Groups, or
// as many as the sizes suggest), and the mentors are the problem's
// [Leading] ([LeadingOf]), each leading at most o.LeaderCapacity groups,
// sharing a language and a meeting time with every member and never
// mentoring their own organization's staff. Sizes are hard and count only
// the participants; [Solution.Leaders] names each group's mentor.
func Mentorship(participants, mentors []bsk.Provider, o PresetOptions) (_ *Problem, err error) {
	defer catch(&err, func() string { return "grouping: building the mentorship problem" })
	if len(mentors) == 0 {
		return nil, bsk.Invalidf("mentors", "at least one mentor is required")
	}
	if o.LeaderCapacity < 0 {
		return nil, bsk.Invalidf("leader_capacity", "must be at least 0")
	}
	if o.LeaderCapacity > 0 {
		return smallMentorship(participants, mentors, o)
	}
	if o.Groups != 0 && o.Groups != len(mentors) {
		return nil, bsk.Invalidf("groups", "mentorship has one group per mentor (%d), not %d", len(mentors), o.Groups)
	}
	o.Groups = len(mentors)
	if o.Organization == "" {
		o.Organization = OrgMix
	}
	all := append(slices.Clone(mentors), participants...)
	p, err := base(all, o, false)
	if err != nil {
		return nil, err
	}
	for g := range mentors {
		pin := g
		p.Members[g].Pin = &pin
	}
	p.AllowUnderfilled = true
	p.Constraints = append(p.Constraints, Constraint{Kind: Share, Attr: AttrSlots})
	if err := orgPolicy(p, o.Organization, 2); err != nil {
		return nil, err
	}
	return p, sizeGroups(p, o)
}

// smallMentorship builds small groups of participants led by the mentors,
// o.LeaderCapacity groups each at most.
func smallMentorship(participants, mentors []bsk.Provider, o PresetOptions) (*Problem, error) {
	if o.Size == (Bounds{}) {
		o.Size = Bounds{Min: 6, Max: 8}
	}
	if o.Organization == "" {
		o.Organization = OrgMix
	}
	p, err := base(participants, o, false)
	if err != nil {
		return nil, err
	}
	p.Leading = LeadingOf(mentors, o.Slots, o.LeaderCapacity)
	p.Constraints = append(p.Constraints, Constraint{Kind: Share, Attr: AttrSlots})
	if err := orgPolicy(p, o.Organization, 2); err != nil {
		return nil, err
	}
	return p, sizeGroups(p, o)
}

// base makes the members and the hard language rules every preset shares.
func base(providers []bsk.Provider, o PresetOptions, demographics bool) (*Problem, error) {
	if len(providers) == 0 {
		return nil, bsk.Invalidf("providers", "at least one provider is required")
	}
	var pr bsk.Problems
	for i, s := range o.Slots {
		pr.Merge(bsk.Index("slots", i), s.Validate())
	}
	if o.Language != "" && !o.Language.Valid() {
		pr.Add("language", "unknown language code %q", o.Language)
	}
	if o.Groups < 0 {
		pr.Add("groups", "must be at least 0")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	slots := o.Slots
	if len(slots) == 0 {
		slots = DefaultMeetingSlots(90)
	}
	p := &Problem{Groups: o.Groups, Size: o.Size, AllowUnderfilled: o.AllowUnderfilled, AllowFewerGroups: o.AllowFewerGroups}
	for _, pv := range providers {
		p.Members = append(p.Members, MemberOf(pv, slots, demographics))
	}
	p.Constraints = []Constraint{{Kind: Share, Attr: AttrLanguages}}
	if o.Language != "" {
		for i := range p.Members {
			if !slices.Contains(p.Members[i].Sets[AttrLanguages], string(o.Language)) {
				p.Exclude = append(p.Exclude, Exclusion{Member: p.Members[i].ID, Reason: Reason{Code: "does_not_speak", Params: map[string]string{"language": string(o.Language)}}})
			}
		}
	}
	return p, nil
}

func orgPolicy(p *Problem, policy OrgPolicy, weight float64) error {
	switch policy {
	case OrgPrefer:
		p.Criteria = append(p.Criteria, Criterion{Name: "same organization", Kind: Similar, Attr: AttrOrganization, Weight: weight})
	case OrgRequire:
		p.Constraints = append(p.Constraints, Constraint{Kind: Same, Attr: AttrOrganization})
	case OrgMix:
		p.Criteria = append(p.Criteria, Criterion{Name: "mixed organizations", Kind: Diverse, Attr: AttrOrganization, Weight: weight})
	default:
		return bsk.Invalidf("organization", "unknown organization policy %q (prefer, require or mix)", policy)
	}
	return nil
}

// reportingPairs keeps every provider apart from the person they report to.
func reportingPairs(providers []bsk.Provider) []Pair {
	in := map[bsk.ProviderID]bool{}
	for _, p := range providers {
		in[p.ID] = true
	}
	var out []Pair
	for _, p := range providers {
		if p.ReportsTo != "" && in[p.ReportsTo] && !p.Role.Leads() {
			out = append(out, Pair{A: MemberID(p.ID), B: MemberID(p.ReportsTo)})
		}
	}
	return out
}

// sizeGroups fills in the group count and bounds the preset leaves open,
// and reports bounds no grouping can meet: more members than the groups
// hold, or fewer than their minimums need unless groups may stay below
// them.
func sizeGroups(p *Problem, o PresetOptions) error {
	if b := p.Size; b != (Bounds{}) && (b.Min < 0 || b.Max < 1 || b.Max < b.Min) {
		return bsk.Invalidf("size", "bounds [%d, %d] are not 0 <= min <= max, max >= 1", b.Min, b.Max)
	}
	n := len(p.Members) - len(p.Exclude)
	if n <= 0 {
		return bsk.Invalidf("providers", "no provider can be grouped: all %d are excluded", len(p.Members))
	}
	if p.Groups == 0 {
		if p.Size.Max < 1 {
			return bsk.Invalidf("size", "a maximum size of at least 1 is required")
		}
		// The member count over the middle size (680 providers in groups
		// of 6-8 make 97 groups, as in the program), within the counts the
		// bounds allow: groups with room to spare can meet the hard
		// constraints, where the fewest groups that hold everyone must
		// all be full and leave out whoever does not fit. Without a
		// minimum, the fewest groups.
		p.Groups = (n + p.Size.Max - 1) / p.Size.Max
		if p.Size.Min > 0 {
			mid := float64(p.Size.Min+p.Size.Max) / 2
			p.Groups = max(p.Groups, min(n/p.Size.Min, int(math.Round(float64(n)/mid))))
		}
	}
	if p.Size == (Bounds{}) {
		p.Size = Bounds{Min: n / p.Groups, Max: (n + p.Groups - 1) / p.Groups}
		if p.Groups > n {
			return bsk.Invalidf("groups", "%d groups for %d members", p.Groups, n)
		}
	}
	if n > p.Groups*p.Size.Max {
		return bsk.Invalidf("size", "%d members cannot form %d groups of %d to %d", n, p.Groups, p.Size.Min, p.Size.Max)
	}
	if n < p.Groups*p.Size.Min && !p.AllowUnderfilled {
		return bsk.Invalidf("size", "%d members cannot form %d groups of %d to %d (allow_underfilled keeps groups below the minimum)", n, p.Groups, p.Size.Min, p.Size.Max)
	}
	return nil
}
