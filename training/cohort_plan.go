package training

import (
	"context"
	"fmt"
	"slices"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/survey"
)

// Interpretation returns the interpreters to book for the cohort's
// modules, one booking per module and language, from the languages of the
// participants holding a seat (the waitlisted are planned once promoted):
// [Catalog.PlanInterpretation] over the cohort's offering and modules.
// w gives the organizations and providers on file; its offerings,
// sessions and attendance are not read. Errors: those of [NewCatalog] for
// w, and a participant not in w ([bsk.CodeNotFound]).
func (c *Cohort) Interpretation(w bsk.Workforce, opts InterpretOptions) ([]bsk.InterpreterBooking, error) {
	off := c.offering
	// Who leads and whose offering it is do not change who needs an
	// interpreter; the catalog need not know them.
	off.Leaders, off.OrganizationID = nil, ""
	w.Offerings, w.Sessions, w.Attendance = []bsk.Offering{off}, c.Sessions(), nil
	cat, err := NewCatalog(w)
	if err != nil {
		return nil, err
	}
	return cat.PlanInterpretation(c.Participants(), opts)
}

// ReflectionOptions adjust [Cohort.ReflectionGroups]. The zero value gives
// the program's groups.
type ReflectionOptions struct {
	// Size bounds each group's participants; zero means 6-8.
	Size grouping.Bounds `json:"size,omitzero"`
	// LeaderCapacity is the most groups one mentor leads; 0 means enough
	// for the groups to be led when split evenly among the mentors.
	LeaderCapacity int `json:"leader_capacity,omitempty"`
	// Organization is the organization policy; empty means
	// [grouping.OrgMix], the mentorship preset's.
	Organization grouping.OrgPolicy `json:"organization,omitempty"`
	// Solve configures the search (time limit, seed, iterations).
	Solve grouping.Options `json:"-"`
}

// reflectionSlot is the afternoon of a module day. Every participant and
// mentor is at the day-long session, so availability does not narrow the
// groups: the slot is the same for everyone.
var reflectionSlot = bsk.Slot{Day: bsk.Friday, Start: 13 * 60, End: 16 * 60}

// ReflectionProblem builds the grouping problem of the cohort's afternoon
// reflection groups with the mentorship preset's small-group form
// ([grouping.Mentorship] with a leader capacity): the participants
// holding a seat form groups of 6-8 that share a language with each other
// and with their mentor, mixing organizations, and each group is led by
// one of the modules' mentors ([Cohort.Mentors]), never one from a
// member's own organization. people must hold the participants and the
// mentors. Errors: a participant or mentor not in people
// ([bsk.CodeNotFound], naming "registrations[i]" or
// "modules[i].mentor"); no participant ([bsk.CodeInvalid]); the preset's.
func (c *Cohort) ReflectionProblem(people []bsk.Provider, o ReflectionOptions) (*grouping.Problem, error) {
	byID := make(map[bsk.ProviderID]int, len(people))
	for i, pv := range people {
		byID[pv.ID] = i
	}
	var p bsk.Problems
	var participants, mentors []bsk.Provider
	for i, reg := range c.roster.Registrations() {
		if reg.Status != bsk.RegistrationRegistered {
			continue
		}
		k, ok := byID[reg.ProviderID]
		if !ok {
			p.AddCode(bsk.CodeNotFound, bsk.JoinField(bsk.Index("registrations", i), "provider_id"), "unknown provider %q", reg.ProviderID)
			continue
		}
		pv := people[k]
		pv.Availability = []bsk.Slot{reflectionSlot}
		participants = append(participants, pv)
	}
	for i, m := range c.modules {
		k, ok := byID[m.Mentor]
		if !ok {
			p.AddCode(bsk.CodeNotFound, bsk.JoinField(bsk.Index("modules", i), "mentor"), "module %q: unknown mentor %q", m.ID, m.Mentor)
			continue
		}
		if !slices.ContainsFunc(mentors, func(x bsk.Provider) bool { return x.ID == m.Mentor }) {
			pv := people[k]
			pv.Availability = []bsk.Slot{reflectionSlot}
			mentors = append(mentors, pv)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if len(participants) == 0 {
		return nil, bsk.Invalidf("registrations", "the cohort has no participant to group")
	}
	size := o.Size
	if size == (grouping.Bounds{}) {
		size = grouping.Bounds{Min: 6, Max: 8}
	}
	capacity := o.LeaderCapacity
	if capacity == 0 {
		most := len(participants)
		if size.Min > 0 {
			most = (len(participants) + size.Min - 1) / size.Min
		}
		capacity = max(1, (most+len(mentors)-1)/len(mentors))
	}
	return grouping.Mentorship(participants, mentors, grouping.PresetOptions{Size: size, LeaderCapacity: capacity,
		Organization: o.Organization, Slots: []bsk.Slot{reflectionSlot}})
}

// ReflectionGroups forms the cohort's afternoon reflection groups
// ([Cohort.ReflectionProblem]) and solves them ([grouping.Solve]): the
// solution's Groups hold provider IDs, its Leaders each group's mentor,
// its Unplaced and Unled the participants and groups left out, with
// their reasons.
func (c *Cohort) ReflectionGroups(ctx context.Context, people []bsk.Provider, o ReflectionOptions) (*grouping.Solution, error) {
	p, err := c.ReflectionProblem(people, o)
	if err != nil {
		return nil, err
	}
	return grouping.Solve(ctx, p, o.Solve)
}

// Outcomes measures the cohort's change on each item between a survey
// before and one after the program ([survey.ComparePaired] under d),
// counting only the cohort's participants: the respondents whose ID is
// the provider ID of a registration holding a seat or withdrawn. The
// waitlisted, and anyone else who answered, are left out of both sets.
// Errors: those of [survey.ComparePaired] for an item, with the item
// named.
func (c *Cohort) Outcomes(before, after *survey.Set, items []string, d survey.Disclosure) ([]survey.Paired, error) {
	in := map[string]bool{}
	for _, reg := range c.roster.Registrations() {
		if reg.Status != bsk.RegistrationWaitlisted {
			in[string(reg.ProviderID)] = true
		}
	}
	b, err := participantsOf(before, in)
	if err != nil {
		return nil, err
	}
	a, err := participantsOf(after, in)
	if err != nil {
		return nil, err
	}
	out := make([]survey.Paired, 0, len(items))
	for _, item := range items {
		p, err := survey.ComparePaired(b, a, item, d)
		if err != nil {
			return nil, fmt.Errorf("item %q: %w", item, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// participantsOf returns the responses of s whose respondent is in ids.
func participantsOf(s *survey.Set, ids map[string]bool) (*survey.Set, error) {
	if s == nil {
		return nil, bsk.Invalidf("set", "a survey set is required")
	}
	out, err := survey.NewSet(s.Instrument())
	if err != nil {
		return nil, err
	}
	for i := range s.Len() {
		r := s.Response(i)
		if !ids[r.ID] {
			continue
		}
		if err := out.Add(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
