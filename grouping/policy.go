package grouping

import (
	"context"
	"fmt"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// Selection narrows whom a preset groups, as a coordinator asks for a run.
// The zero value takes everyone the preset would.
type Selection struct {
	// ProviderIDs, when set, are the participants (a training's
	// attendees, say), in this order, instead of everyone the preset
	// would take.
	ProviderIDs []bsk.ProviderID `json:"provider_ids,omitempty"`
	// OrganizationIDs limits the participants to staff of these
	// organizations; empty means every organization.
	OrganizationIDs []bsk.OrganizationID `json:"organization_ids,omitempty"`
	// LeaderIDs, when set, are the leaders, in this order, instead of
	// the providers whose role leads the preset's groups: exactly these
	// providers lead, whatever their role (mentors who are also
	// reflective consultants), and none of them is a participant. Only
	// the presets with leaders (reflective consultation, mentorship)
	// take them.
	LeaderIDs []bsk.ProviderID `json:"leader_ids,omitempty"`
}

// Cohort is whom a preset groups and who leads the groups, chosen from the
// providers on file by [CohortOf]. Its two lists are what [NewProblem]
// takes:
//
//	c, err := grouping.CohortOf(preset, providers, grouping.Selection{})
//	p, err := grouping.NewProblem(preset, c.Participants, c.Leaders, o)
type Cohort struct {
	// Participants are the members of the groups.
	Participants []bsk.Provider `json:"participants"`
	// Leaders lead the groups: the consultants for reflective
	// consultation, the mentors for mentorship, nobody otherwise.
	Leaders []bsk.Provider `json:"leaders"`
}

// CohortOf chooses, from the providers on file, the participants and the
// leaders of a preset's groups. The program's rule, per preset:
//
//   - [ReflectiveConsultationPreset]: every consultant leads; the
//     participants are everyone whose role does not lead groups
//     (direct-service staff, supervisors, directors).
//   - [MentorshipPreset]: every mentor leads; the participants are
//     everyone whose role does not lead groups.
//   - [IntergroupDialoguePreset]: nobody leads; the participants are the
//     agency leaders, directors and supervisors.
//   - [TrainingBreakoutsPreset]: nobody leads; the participants are
//     everyone whose role does not lead groups.
//
// Consultants, trainers, mentors and facilitators lead groups
// ([bsk.Role.Leads]): they are never participants unless named. The
// leaders are taken whatever the selection (a leader never leads staff of
// their own organization anyway). s.OrganizationIDs keeps the participants
// of those organizations only. s.ProviderIDs, when set, are the
// participants instead, whatever their role, in their order: a training's
// attendees.
//
// Errors: a [bsk.CodeInvalid] error for an unknown preset;
// [bsk.Errors] naming "/provider_ids/<i>" for each explicit ID that is
// unknown ([bsk.CodeNotFound]), listed twice ([bsk.CodeConflict]), one of
// the preset's leaders, or of an organization outside s.OrganizationIDs
// ([bsk.CodeInvalid]).
func CohortOf(preset Preset, providers []bsk.Provider, s Selection) (_ *Cohort, err error) {
	defer catch(&err, func() string { return fmt.Sprintf("grouping: choosing the %s cohort", preset) })
	if !preset.Valid() {
		return nil, bsk.Invalidf("preset", "unknown preset %q (one of %v)", preset, preset.Enum())
	}
	byID := make(map[bsk.ProviderID]int, len(providers))
	for i, pv := range providers {
		byID[pv.ID] = i
	}
	c := &Cohort{}
	var pr bsk.Problems
	named := map[bsk.ProviderID]int{}
	if len(s.LeaderIDs) > 0 {
		c.Leaders, named = leadersNamed(preset, providers, byID, s.LeaderIDs, &pr)
	} else {
		for _, pv := range providers {
			if leads(preset, pv.Role) {
				c.Leaders = append(c.Leaders, pv)
			}
		}
	}
	inOrg := func(pv bsk.Provider) bool {
		return len(s.OrganizationIDs) == 0 || slices.Contains(s.OrganizationIDs, pv.OrganizationID)
	}
	if len(s.ProviderIDs) == 0 {
		for _, pv := range providers {
			if _, leader := named[pv.ID]; !leader && participates(preset, pv.Role) && inOrg(pv) {
				c.Participants = append(c.Participants, pv)
			}
		}
		if err := pr.Err(); err != nil {
			return nil, err
		}
		return c, nil
	}
	seen := map[bsk.ProviderID]int{}
	for i, id := range s.ProviderIDs {
		f := fmt.Sprintf("/provider_ids/%d", i)
		k, ok := byID[id]
		if !ok {
			pr.AddCode(bsk.CodeNotFound, f, "no provider %q", id)
			continue
		}
		if j, dup := seen[id]; dup {
			pr.AddCode(bsk.CodeConflict, f, "provider %q is listed twice (also /provider_ids/%d)", id, j)
			continue
		}
		seen[id] = i
		pv := providers[k]
		j, leader := named[id]
		switch {
		case leader:
			pr.Add(f, "provider %q is one of the leaders (/leader_ids/%d)", id, j)
		case leads(preset, pv.Role):
			pr.Add(f, "provider %q is a %s, who leads %s groups", id, pv.Role, preset)
		case !inOrg(pv):
			pr.Add(f, "provider %q works at %q, not one of the organization_ids", id, pv.OrganizationID)
		default:
			c.Participants = append(c.Participants, pv)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// leadersNamed returns the providers of ids, the leaders a coordinator
// names, and the index of each in ids; it adds to pr each ID that is
// unknown or listed twice, or one fault at "/leader_ids" when the preset
// has no leaders.
func leadersNamed(preset Preset, providers []bsk.Provider, byID map[bsk.ProviderID]int, ids []bsk.ProviderID, pr *bsk.Problems) ([]bsk.Provider, map[bsk.ProviderID]int) {
	named := make(map[bsk.ProviderID]int, len(ids))
	if preset != ReflectiveConsultationPreset && preset != MentorshipPreset {
		pr.Add("/leader_ids", "%s groups have no leaders", preset)
		return nil, named
	}
	var out []bsk.Provider
	for i, id := range ids {
		f := fmt.Sprintf("/leader_ids/%d", i)
		k, ok := byID[id]
		if !ok {
			pr.AddCode(bsk.CodeNotFound, f, "no provider %q", id)
			continue
		}
		if j, dup := named[id]; dup {
			pr.AddCode(bsk.CodeConflict, f, "provider %q is listed twice (also /leader_ids/%d)", id, j)
			continue
		}
		named[id] = i
		out = append(out, providers[k])
	}
	return out, named
}

// leads reports whether a provider of role r leads a preset's groups.
func leads(preset Preset, r bsk.Role) bool {
	switch preset {
	case ReflectiveConsultationPreset:
		return r == bsk.RoleConsultant
	case MentorshipPreset:
		return r == bsk.RoleMentor
	}
	return false
}

// participates reports whether a provider of role r takes part in a
// preset's groups when the coordinator names nobody.
func participates(preset Preset, r bsk.Role) bool {
	if r.Leads() {
		return false
	}
	if preset == IntergroupDialoguePreset {
		return r == bsk.RoleDirector || r == bsk.RoleSupervisor
	}
	return true
}

// LeaderContinuity is the score [AssignLeading] gives a group's leader
// from the previous grouping for leading it again: more than the balancing
// cost of any leader's next group up to the fiftieth, so a group keeps its
// consultant rather than spread the load, but never at the cost of leaving
// another group without a leader.
const LeaderContinuity = 50

// AssignLeading gives the groups of a solution of p (sol.Groups, or a
// coordinator's draft) their leaders with the program's policy: the
// leaders and rules of p.Leading (a language and a meeting slot shared
// with every member, never a member's own organization, each leader's
// capacity), and a [LeaderContinuity] score for each group's previous
// leader, previous[g] ("" for none), who is still one of p's leaders.
// Entries of previous beyond the groups are ignored.
//
// The leaders are compared with the members on p's own attributes: a
// problem built by [NewProblem] or a preset gives its leaders the meeting
// slots of the same slot list as its members ([PresetOptions].Slots), so a
// run with its own meeting times is led at those times. With no
// p.Leading, every non-empty group is unassigned with "no_leaders".
//
// It solves exactly, as [AssignLeaders] does, and returns its errors: a
// [bsk.CodeNotFound] error for a group member not in p, and a panic (a
// bug) as a [bsk.CodeInternal] error.
func AssignLeading(ctx context.Context, p *Problem, groups [][]MemberID, previous []string) (_ *LeaderAssignment, err error) {
	defer catch(&err, func() string {
		return fmt.Sprintf("grouping: assigning the leading (%d groups)", len(groups))
	})
	if p == nil {
		return nil, bsk.Invalidf("problem", "is required")
	}
	lp := LeaderProblem{Members: p.Members, Groups: groups}
	if l := p.Leading; l != nil {
		lp.Leaders, lp.Share, lp.Conflict, lp.Balance = l.Leaders, l.Share, l.Conflict, l.Balance
	}
	known := make(map[string]bool, len(lp.Leaders))
	for _, l := range lp.Leaders {
		known[l.ID] = true
	}
	for g, id := range previous {
		if g < len(groups) && known[id] {
			lp.Scores = append(lp.Scores, LeaderScore{Leader: id, Group: g, Score: LeaderContinuity})
		}
	}
	return AssignLeaders(ctx, lp)
}
