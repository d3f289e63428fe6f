package grouping_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

func smallWorkforce() bsk.Workforce {
	return bsktest.Workforce(3, bsktest.Options{Organizations: 15, Providers: 300, Consultants: 4, NoOfferings: true})
}

func byID(ps []bsk.Provider) map[grouping.MemberID]bsk.Provider {
	out := map[grouping.MemberID]bsk.Provider{}
	for _, p := range ps {
		out[grouping.MemberID(p.ID)] = p
	}
	return out
}

// shared returns the values every member of a group holds for a set attribute.
func shared(p *grouping.Problem, group []grouping.MemberID, attr string) []string {
	idx := map[grouping.MemberID]grouping.Member{}
	for _, m := range p.Members {
		idx[m.ID] = m
	}
	var common []string
	for i, id := range group {
		vals := idx[id].Sets[attr]
		if i == 0 {
			common = slices.Clone(vals)
			continue
		}
		common = slices.DeleteFunc(common, func(v string) bool { return !slices.Contains(vals, v) })
	}
	return common
}

func TestReflectiveConsultationPreset(t *testing.T) {
	w := smallWorkforce()
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
	require.NoError(t, err)
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 20, Seed: 1})
	require.NoError(t, err)
	checkSolution(t, p, sol)
	people := byID(w.Providers)

	placed := 0
	for g, group := range sol.Groups {
		if len(group) == 0 {
			continue
		}
		placed += len(group)
		assert.LessOrEqual(t, len(group), 8, "group %d", g)
		assert.NotEmpty(t, shared(p, group, grouping.AttrLanguages), "group %d shares no language", g)
		assert.NotEmpty(t, shared(p, group, grouping.AttrSlots), "group %d shares no meeting time", g)
		roles := map[bsk.Role]bool{}
		for _, id := range group {
			pv := people[id]
			roles[pv.Role] = true
			assert.False(t, pv.Role.Leads(), "%s leads groups but is a member", id)
			assert.False(t, slices.Contains(group, grouping.MemberID(pv.ReportsTo)), "%s sits with their supervisor", id)
		}
		assert.Len(t, roles, 1, "group %d mixes roles %v under the separate policy", g, roles)
	}
	leaders := 0
	for _, u := range sol.Unplaced {
		if u.Reason.Code == "leads_groups" {
			leaders++
			assert.True(t, people[u.Member].Role.Leads())
		}
	}
	assert.Equal(t, 4, leaders, "the four consultants are excluded")
	assert.Greater(t, placed, len(w.Providers)*8/10, "most providers are placed")

	// Mostly one organization: the share of same-organization pairs is far
	// above what mixing the placed providers at random gives.
	same, pairs := 0, 0
	orgSize := map[bsk.OrganizationID]int{}
	for _, group := range sol.Groups {
		for a := range group {
			orgSize[people[group[a]].OrganizationID]++
			for b := a + 1; b < len(group); b++ {
				pairs++
				if people[group[a]].OrganizationID == people[group[b]].OrganizationID {
					same++
				}
			}
		}
	}
	random := 0.0
	for _, k := range orgSize {
		random += float64(k*(k-1)) / float64(placed*(placed-1))
	}
	assert.Greater(t, float64(same)/float64(pairs), 5*random, "same-organization pairs %d of %d; at random %.3f", same, pairs, random)
}

func TestReflectiveConsultationRolesTogether(t *testing.T) {
	w := smallWorkforce()
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{Roles: grouping.RolesTogether, Organization: grouping.OrgRequire})
	require.NoError(t, err)
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 10, Seed: 2})
	require.NoError(t, err)
	checkSolution(t, p, sol)
	people := byID(w.Providers)
	for g, group := range sol.Groups {
		orgs := map[bsk.OrganizationID]bool{}
		for _, id := range group {
			orgs[people[id].OrganizationID] = true
			assert.False(t, slices.Contains(group, grouping.MemberID(people[id].ReportsTo)), "%s sits with their supervisor", id)
		}
		assert.LessOrEqual(t, len(orgs), 1, "group %d", g)
	}
}

func TestIntergroupDialoguePreset(t *testing.T) {
	w := smallWorkforce()
	var leaders []bsk.Provider
	for _, p := range w.Providers {
		if p.Role == bsk.RoleDirector || p.Role == bsk.RoleSupervisor {
			leaders = append(leaders, p)
		}
	}
	require.Greater(t, len(leaders), 30)
	p, err := grouping.IntergroupDialogue(leaders, grouping.PresetOptions{Language: "en"})
	require.NoError(t, err)
	assert.Equal(t, 6, p.Groups)
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 30, Seed: 1})
	require.NoError(t, err)
	checkSolution(t, p, sol)
	for g, group := range sol.Groups {
		assert.InDelta(t, float64(len(leaders)-len(p.Exclude))/6, float64(len(group)), 1, "group %d is not an even share", g)
	}
	// Deliberately mixed: better on every criterion than dealing the
	// leaders out in order, the way a spreadsheet would.
	dealt := make([][]grouping.MemberID, p.Groups)
	k := 0
	for _, m := range p.Members {
		if slices.ContainsFunc(p.Exclude, func(e grouping.Exclusion) bool { return e.Member == m.ID }) {
			continue
		}
		dealt[k*p.Groups/(len(p.Members)-len(p.Exclude))] = append(dealt[k*p.Groups/(len(p.Members)-len(p.Exclude))], m.ID)
		k++
	}
	assert.Greater(t, sol.Objective, grouping.Evaluate(p, dealt))
	for _, u := range sol.Unplaced {
		assert.Equal(t, "does_not_speak", u.Reason.Code)
	}
}

func TestTrainingBreakoutsPreset(t *testing.T) {
	w := smallWorkforce()
	attendees := w.Providers[:100]
	p, err := grouping.TrainingBreakouts(attendees, grouping.PresetOptions{})
	require.NoError(t, err)
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 10, Seed: 1})
	require.NoError(t, err)
	checkSolution(t, p, sol)
	for g, group := range sol.Groups {
		if len(group) > 0 {
			assert.NotEmpty(t, shared(p, group, grouping.AttrLanguages), "room %d shares no language", g)
			assert.LessOrEqual(t, len(group), 6)
		}
	}
}

func TestMentorshipPreset(t *testing.T) {
	w := smallWorkforce()
	var mentors, participants []bsk.Provider
	for _, p := range w.Providers {
		switch {
		case p.Role == bsk.RoleConsultant && len(mentors) < 3:
			mentors = append(mentors, p)
		case p.Role == bsk.RoleDirectService && len(participants) < 60:
			participants = append(participants, p)
		}
	}
	require.Len(t, mentors, 3)
	p, err := grouping.Mentorship(participants, mentors, grouping.PresetOptions{})
	require.NoError(t, err)
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 10, Seed: 1})
	require.NoError(t, err)
	checkSolution(t, p, sol)
	for g, m := range mentors {
		assert.Contains(t, sol.Groups[g], grouping.MemberID(m.ID), "mentor %d leads group %d", g, g)
	}
}

func TestPresetBadInput(t *testing.T) {
	w := smallWorkforce()
	tests := []struct {
		name  string
		call  func() (*grouping.Problem, error)
		field string
	}{
		{"unknown preset", func() (*grouping.Problem, error) {
			return grouping.NewProblem("potluck", w.Providers, nil, grouping.PresetOptions{})
		}, "preset"},
		{"no providers", func() (*grouping.Problem, error) {
			return grouping.ReflectiveConsultation(nil, grouping.PresetOptions{})
		}, "providers"},
		{"unknown role policy", func() (*grouping.Problem, error) {
			return grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{Roles: "mixed"})
		}, "roles"},
		{"unknown organization policy", func() (*grouping.Problem, error) {
			return grouping.TrainingBreakouts(w.Providers, grouping.PresetOptions{Organization: "any"})
		}, "organization"},
		{"too few for the groups", func() (*grouping.Problem, error) {
			return grouping.ReflectiveConsultation(w.Providers[:9], grouping.PresetOptions{Groups: 3})
		}, "size"},
		{"size minimum above maximum", func() (*grouping.Problem, error) {
			return grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{Size: grouping.Bounds{Min: 9, Max: 3}})
		}, "size: bounds [9, 3] are not 0 <= min <= max"},
		{"negative size minimum", func() (*grouping.Problem, error) {
			return grouping.TrainingBreakouts(w.Providers, grouping.PresetOptions{Size: grouping.Bounds{Min: -1, Max: 4}})
		}, "size: bounds [-1, 4]"},
		{"bad slot", func() (*grouping.Problem, error) {
			return grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{Slots: []bsk.Slot{{Day: "sun", Start: 600, End: 500}}})
		}, "slots[0]"},
		{"mentorship without mentors", func() (*grouping.Problem, error) {
			return grouping.Mentorship(w.Providers, nil, grouping.PresetOptions{})
		}, "mentors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.call()
			require.Error(t, err)
			assert.True(t, errors.Is(err, bsk.ErrInvalid), "%v", err)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
}

func TestMemberOfSlots(t *testing.T) {
	pv := bsk.Provider{ID: "p1", OrganizationID: "o1", Role: bsk.RoleSupervisor, Languages: []bsk.Language{"en", "so"},
		Availability: []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 12 * 60}}}
	m := grouping.MemberOf(pv, grouping.DefaultMeetingSlots(90), false)
	assert.Equal(t, []string{"tue-0900", "tue-1000"}, m.Sets[grouping.AttrSlots], "90-minute slots inside 09:00-12:00")
	assert.Equal(t, []string{"en", "so"}, m.Sets[grouping.AttrLanguages])
	assert.NotContains(t, m.Sets, grouping.AttrRace, "demographics only when asked for")
}

// TestReflectiveConsultationLarge runs the search that large problems get
// (neighbourhoods of one organization's groups, changes undone from a
// journal, members left out by construction tried again) long enough for
// all of it to run, and checks every invariant and that the search
// improved on its first grouping.
func TestReflectiveConsultationLarge(t *testing.T) {
	w := bsktest.Workforce(5, bsktest.Options{Organizations: 60, Providers: 1000, NoOfferings: true})
	p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
	require.NoError(t, err)
	var first float64
	seen := false
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 600, Seed: 3,
		Progress: func(pr grouping.Progress) {
			if !seen {
				first, seen = pr.Objective, true
			}
		}})
	require.NoError(t, err)
	checkSolution(t, p, sol)
	require.True(t, seen)
	require.Greater(t, sol.Objective, first, "the search improved on construction")
	again, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 600, Seed: 3})
	require.NoError(t, err)
	require.Equal(t, sol.Groups, again.Groups, "the same seed and iterations give the same groups")
}
