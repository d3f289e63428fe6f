package grouping_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// consultantIDs lists the IDs of a workforce's reflective consultants.
func consultantIDs(w bsk.Workforce) []bsk.ProviderID {
	var out []bsk.ProviderID
	for _, p := range w.Providers {
		if p.Role == bsk.RoleConsultant {
			out = append(out, p.ID)
		}
	}
	return out
}

// canLead reports, straight from the leading rules, whether leader l can
// lead the members ms: a value of every Share attribute that all of them
// hold, and no Conflict attribute value in common with any of them.
func canLead(p *grouping.Problem, l grouping.Leader, ms []grouping.MemberID) bool {
	byID := map[grouping.MemberID]grouping.Member{}
	for _, m := range p.Members {
		byID[m.ID] = m
	}
	for _, attr := range p.Leading.Share {
		if !slices.ContainsFunc(l.Sets[attr], func(v string) bool {
			return !slices.ContainsFunc(ms, func(m grouping.MemberID) bool { return !slices.Contains(byID[m].Sets[attr], v) })
		}) {
			return false
		}
	}
	for _, attr := range p.Leading.Conflict {
		for _, m := range ms {
			if v, ok := l.Attrs[attr]; ok && byID[m].Attrs[attr] == v {
				return false
			}
		}
	}
	return true
}

// checkEveryGroupLed checks that a group is left unled only when no leader
// could take it: every leader able to lead it already leads as many
// groups as their capacity allows.
func checkEveryGroupLed(t *testing.T, p *grouping.Problem, sol *grouping.Solution) {
	t.Helper()
	load := map[string]int{}
	for _, id := range sol.Leaders {
		if id != "" {
			load[id]++
		}
	}
	for _, u := range sol.Unled {
		for _, l := range p.Leading.Leaders {
			if load[l.ID] < l.Capacity && canLead(p, l, sol.Groups[u.Group]) {
				t.Errorf("group %d is unled (%s), but %s leads %d of %d groups and can lead it", u.Group, u.Reason.Code, l.ID, load[l.ID], l.Capacity)
			}
		}
	}
}

// At the seeds' scale: the BIPOC Community of Leaders' 82 participants
// meet in small groups of 6-8 with its 3 mentors, who are reflective
// consultants, each mentoring several groups.
func TestSmallMentorshipSeedsScale(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 4} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := bsktest.Workforce(seed, bsktest.Options{Providers: 82, Organizations: 12, Consultants: 3, NoOfferings: true})
			mentors := consultantIDs(w)
			require.Len(t, mentors, 3)
			c, err := grouping.CohortOf(grouping.MentorshipPreset, w.Providers, grouping.Selection{LeaderIDs: mentors})
			require.NoError(t, err)
			require.Len(t, c.Participants, 82)
			if d := cmp.Diff(mentors, idsOfProviders(c.Leaders)); d != "" {
				t.Fatalf("leaders (-want +got):\n%s", d)
			}
			p, err := grouping.NewProblem(grouping.MentorshipPreset, c.Participants, c.Leaders, grouping.PresetOptions{LeaderCapacity: 4})
			require.NoError(t, err)
			assert.Equal(t, 12, p.Groups, "82 participants in groups of 6-8")
			assert.Equal(t, grouping.Bounds{Min: 6, Max: 8}, p.Size)
			require.NotNil(t, p.Leading)
			for _, m := range p.Members {
				assert.False(t, slices.Contains(mentors, bsk.ProviderID(m.ID)), "mentor %s is a participant", m.ID)
			}
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: uint64(seed), Iterations: 40})
			require.NoError(t, err)
			checkLed(t, p, sol)
			checkEveryGroupLed(t, p, sol)
			led := map[string]int{}
			for g, ms := range sol.Groups {
				if len(ms) == 0 {
					continue
				}
				assert.NotEmpty(t, sol.Leaders[g], "group %d of %d has no mentor", g, len(ms))
				assert.GreaterOrEqual(t, len(ms), 6, "group %d size", g)
				led[sol.Leaders[g]]++
			}
			for id, n := range led {
				assert.LessOrEqual(t, n, 4, "mentor %s leads %d groups", id, n)
			}
			assert.Greater(t, len(led), 1, "the groups are shared among the mentors: %v", led)
			assert.LessOrEqual(t, len(sol.Unplaced), 8, "unplaced of 82: %v", sol.Unplaced)
		})
	}
}

// Over generated workforces of several sizes, small-group mentorship led
// by the consultants keeps every rule, and leaves a group unled only when
// every mentor who could lead it is full.
func TestSmallMentorshipOverWorkforces(t *testing.T) {
	type size struct{ providers, orgs, mentors, capacity int }
	sizes := []size{{40, 6, 2, 3}, {120, 15, 3, 6}, {300, 30, 6, 8}}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, sz := range sizes {
		for _, seed := range []int64{5, 6, 7} {
			t.Run(fmt.Sprintf("%d providers/seed %d", sz.providers, seed), func(t *testing.T) {
				w := bsktest.Workforce(seed, bsktest.Options{Providers: sz.providers, Organizations: sz.orgs, Consultants: sz.mentors, NoOfferings: true})
				c, err := grouping.CohortOf(grouping.MentorshipPreset, w.Providers, grouping.Selection{LeaderIDs: consultantIDs(w)})
				require.NoError(t, err)
				p, err := grouping.NewProblem(grouping.MentorshipPreset, c.Participants, c.Leaders, grouping.PresetOptions{LeaderCapacity: sz.capacity})
				require.NoError(t, err)
				sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: uint64(seed), Iterations: 20})
				require.NoError(t, err)
				checkSolution(t, p, sol)
				checkLed(t, p, sol)
				checkEveryGroupLed(t, p, sol)
			})
		}
	}
}

// With the capacity short of the groups, the groups beyond it are unled
// with a reason, and every mentor is full.
func TestSmallMentorshipCapacityShort(t *testing.T) {
	w := bsktest.Workforce(9, bsktest.Options{Providers: 82, Organizations: 12, Consultants: 3, NoOfferings: true})
	c, err := grouping.CohortOf(grouping.MentorshipPreset, w.Providers, grouping.Selection{LeaderIDs: consultantIDs(w)})
	require.NoError(t, err)
	p, err := grouping.NewProblem(grouping.MentorshipPreset, c.Participants, c.Leaders, grouping.PresetOptions{LeaderCapacity: 2})
	require.NoError(t, err)
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: 9, Iterations: 20})
	require.NoError(t, err)
	checkLed(t, p, sol)
	checkEveryGroupLed(t, p, sol)
	led := 0
	for _, id := range sol.Leaders {
		if id != "" {
			led++
		}
	}
	assert.Equal(t, 6, led, "3 mentors of 2 groups each")
	assert.NotEmpty(t, sol.Unled)
}

// The leaders a coordinator names lead whatever their role, are never
// participants, and replace the preset's leading role.
func TestCohortOfLeaderIDs(t *testing.T) {
	tests := []struct {
		name               string
		preset             grouping.Preset
		sel                grouping.Selection
		participants, lead []string
	}{
		{"consultants mentor", grouping.MentorshipPreset,
			grouping.Selection{LeaderIDs: []bsk.ProviderID{"c-2", "c-1"}},
			[]string{"a-dir", "a-sup", "a-ds", "b-dir", "b-ds"}, []string{"c-2", "c-1"}},
		{"a director mentors", grouping.MentorshipPreset,
			grouping.Selection{LeaderIDs: []bsk.ProviderID{"a-dir"}},
			[]string{"a-sup", "a-ds", "b-dir", "b-ds"}, []string{"a-dir"}},
		{"named consultant leads reflective consultation", grouping.ReflectiveConsultationPreset,
			grouping.Selection{LeaderIDs: []bsk.ProviderID{"m-1"}},
			[]string{"a-dir", "a-sup", "a-ds", "b-dir", "b-ds"}, []string{"m-1"}},
		{"with named participants", grouping.MentorshipPreset,
			grouping.Selection{LeaderIDs: []bsk.ProviderID{"c-1"}, ProviderIDs: []bsk.ProviderID{"b-ds", "a-ds"}},
			[]string{"b-ds", "a-ds"}, []string{"c-1"}},
		{"with organizations", grouping.MentorshipPreset,
			grouping.Selection{LeaderIDs: []bsk.ProviderID{"b-dir"}, OrganizationIDs: []bsk.OrganizationID{"org-b"}},
			[]string{"b-ds"}, []string{"b-dir"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := grouping.CohortOf(tt.preset, policyWorkforce(), tt.sel)
			require.NoError(t, err)
			if d := cmp.Diff(tt.participants, idsOf(c.Participants)); d != "" {
				t.Errorf("participants (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.lead, idsOf(c.Leaders)); d != "" {
				t.Errorf("leaders (-want +got):\n%s", d)
			}
		})
	}
}

func TestCohortOfBadLeaderIDs(t *testing.T) {
	type fault struct {
		Code  bsk.Code
		Field string
	}
	faultsOf := func(err error) []fault {
		t.Helper()
		var list bsk.Errors
		require.ErrorAs(t, err, &list)
		var out []fault
		for _, e := range list {
			out = append(out, fault{e.Code, e.Field})
		}
		return out
	}
	_, err := grouping.CohortOf(grouping.MentorshipPreset, policyWorkforce(), grouping.Selection{
		LeaderIDs:   []bsk.ProviderID{"c-1", "prov-nobody", "c-1", "m-1"},
		ProviderIDs: []bsk.ProviderID{"a-ds", "m-1"},
	})
	want := []fault{
		{bsk.CodeNotFound, "/leader_ids/1"},
		{bsk.CodeConflict, "/leader_ids/2"},
		{bsk.CodeInvalid, "/provider_ids/1"},
	}
	if d := cmp.Diff(want, faultsOf(err)); d != "" {
		t.Errorf("CohortOf faults (-want +got):\n%s", d)
	}
	_, err = grouping.CohortOf(grouping.TrainingBreakoutsPreset, policyWorkforce(), grouping.Selection{LeaderIDs: []bsk.ProviderID{"c-1"}})
	if d := cmp.Diff([]fault{{bsk.CodeInvalid, "/leader_ids"}}, faultsOf(err)); d != "" {
		t.Errorf("CohortOf(training_breakouts) faults (-want +got):\n%s", d)
	}
}

func TestSmallMentorshipBadCapacity(t *testing.T) {
	w := policyWorkforce()
	_, err := grouping.Mentorship(w[:5], w[7:], grouping.PresetOptions{LeaderCapacity: -1})
	if bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("Mentorship(leader_capacity -1) = %v; want an invalid leader_capacity", err)
	}
}

func idsOfProviders(ps []bsk.Provider) []bsk.ProviderID {
	var out []bsk.ProviderID
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}
