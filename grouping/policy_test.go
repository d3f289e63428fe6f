package grouping_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// staffed is a provider of an organization with a role, languages and
// weekly availability.
func staffed(id, org string, role bsk.Role, langs []bsk.Language, avail ...bsk.Slot) bsk.Provider {
	return bsk.Provider{ID: bsk.ProviderID(id), OrganizationID: bsk.OrganizationID(org), Name: id, Role: role, Languages: langs, Availability: avail}
}

var english = []bsk.Language{bsk.English}

// policyWorkforce has one provider of every role in two agencies, and two
// consultants and a mentor at the coordinator.
func policyWorkforce() []bsk.Provider {
	return []bsk.Provider{
		staffed("a-dir", "org-a", bsk.RoleDirector, english),
		staffed("a-sup", "org-a", bsk.RoleSupervisor, english),
		staffed("a-ds", "org-a", bsk.RoleDirectService, english),
		staffed("b-dir", "org-b", bsk.RoleDirector, english),
		staffed("b-ds", "org-b", bsk.RoleDirectService, english),
		staffed("b-trainer", "org-b", bsk.RoleTrainer, english),
		staffed("b-facilitator", "org-b", bsk.RoleFacilitator, english),
		staffed("c-1", "coord", bsk.RoleConsultant, english),
		staffed("c-2", "coord", bsk.RoleConsultant, english),
		staffed("m-1", "coord", bsk.RoleMentor, english),
	}
}

func idsOf(ps []bsk.Provider) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, string(p.ID))
	}
	return out
}

func TestCohortOfPresets(t *testing.T) {
	tests := []struct {
		preset             grouping.Preset
		sel                grouping.Selection
		participants, lead []string
	}{
		{grouping.ReflectiveConsultationPreset, grouping.Selection{},
			[]string{"a-dir", "a-sup", "a-ds", "b-dir", "b-ds"}, []string{"c-1", "c-2"}},
		{grouping.MentorshipPreset, grouping.Selection{},
			[]string{"a-dir", "a-sup", "a-ds", "b-dir", "b-ds"}, []string{"m-1"}},
		{grouping.IntergroupDialoguePreset, grouping.Selection{},
			[]string{"a-dir", "a-sup", "b-dir"}, []string{}},
		{grouping.TrainingBreakoutsPreset, grouping.Selection{},
			[]string{"a-dir", "a-sup", "a-ds", "b-dir", "b-ds"}, []string{}},
		// An organization filter narrows the participants, never the leaders.
		{grouping.ReflectiveConsultationPreset, grouping.Selection{OrganizationIDs: []bsk.OrganizationID{"org-b"}},
			[]string{"b-dir", "b-ds"}, []string{"c-1", "c-2"}},
		{grouping.IntergroupDialoguePreset, grouping.Selection{OrganizationIDs: []bsk.OrganizationID{"org-a", "org-x"}},
			[]string{"a-dir", "a-sup"}, []string{}},
		// Named attendees, in their order, whatever their role.
		{grouping.TrainingBreakoutsPreset, grouping.Selection{ProviderIDs: []bsk.ProviderID{"b-trainer", "a-ds", "c-1"}},
			[]string{"b-trainer", "a-ds", "c-1"}, []string{}},
		{grouping.ReflectiveConsultationPreset, grouping.Selection{ProviderIDs: []bsk.ProviderID{"b-ds", "a-ds"}},
			[]string{"b-ds", "a-ds"}, []string{"c-1", "c-2"}},
		{grouping.IntergroupDialoguePreset, grouping.Selection{ProviderIDs: []bsk.ProviderID{"a-ds"}, OrganizationIDs: []bsk.OrganizationID{"org-a"}},
			[]string{"a-ds"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(string(tt.preset), func(t *testing.T) {
			c, err := grouping.CohortOf(tt.preset, policyWorkforce(), tt.sel)
			if err != nil {
				t.Fatalf("CohortOf(%s, %+v) = %v", tt.preset, tt.sel, err)
			}
			if d := cmp.Diff(tt.participants, idsOf(c.Participants)); d != "" {
				t.Errorf("participants (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.lead, idsOf(c.Leaders)); d != "" {
				t.Errorf("leaders (-want +got):\n%s", d)
			}
		})
	}
}

func TestCohortOfBadSelection(t *testing.T) {
	type fault struct {
		Code  bsk.Code
		Field string
	}
	faultsOf := func(err error) []fault {
		var list bsk.Errors
		if !errors.As(err, &list) {
			t.Fatalf("error %v (%T) is not a bsk.Errors", err, err)
		}
		var out []fault
		for _, e := range list {
			out = append(out, fault{e.Code, e.Field})
		}
		return out
	}
	// Every fault at once, each naming the ID's place in the request.
	_, err := grouping.CohortOf(grouping.MentorshipPreset, policyWorkforce(), grouping.Selection{
		ProviderIDs:     []bsk.ProviderID{"a-ds", "prov-nobody", "a-ds", "m-1", "b-ds"},
		OrganizationIDs: []bsk.OrganizationID{"org-a"},
	})
	want := []fault{
		{bsk.CodeNotFound, "/provider_ids/1"},
		{bsk.CodeConflict, "/provider_ids/2"},
		{bsk.CodeInvalid, "/provider_ids/3"},
		{bsk.CodeInvalid, "/provider_ids/4"},
	}
	if d := cmp.Diff(want, faultsOf(err)); d != "" {
		t.Errorf("CohortOf faults (-want +got):\n%s", d)
	}
	if bsk.ErrorCode(err) == "" {
		t.Errorf("CohortOf error %v carries no code", err)
	}

	_, err = grouping.CohortOf("potluck", policyWorkforce(), grouping.Selection{})
	if bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("CohortOf(potluck) = %v; want an invalid preset", err)
	}
}

var (
	tueEvening = bsk.Slot{Day: bsk.Tuesday, Start: 19 * 60, End: 21 * 60}
	tueMorning = bsk.Slot{Day: bsk.Tuesday, Start: 8 * 60, End: 17 * 60}
)

// leadingProblem builds a reflective consultation problem of two groups
// of two from the providers, with the options' meeting times.
func leadingProblem(t *testing.T, providers []bsk.Provider, o grouping.PresetOptions) *grouping.Problem {
	t.Helper()
	c, err := grouping.CohortOf(grouping.ReflectiveConsultationPreset, providers, grouping.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	o.Groups, o.Size = 2, grouping.Bounds{Min: 2, Max: 2}
	p, err := grouping.NewProblem(grouping.ReflectiveConsultationPreset, c.Participants, c.Leaders, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// With the run's own meeting times (an evening half past the hour, none
// of the default ones), consultants are matched on those times, as the
// members are: an evening consultant leads the evening groups.
func TestAssignLeadingCustomMeetingTimes(t *testing.T) {
	providers := []bsk.Provider{
		staffed("a1", "org-a", bsk.RoleDirectService, english, tueEvening),
		staffed("a2", "org-a", bsk.RoleDirectService, english, tueEvening),
		staffed("b1", "org-b", bsk.RoleDirectService, english, tueEvening),
		staffed("b2", "org-b", bsk.RoleDirectService, english, tueEvening),
		staffed("evening", "coord", bsk.RoleConsultant, english, tueEvening),
		staffed("daytime", "coord", bsk.RoleConsultant, english, tueMorning),
	}
	p := leadingProblem(t, providers, grouping.PresetOptions{Slots: []bsk.Slot{{Day: bsk.Tuesday, Start: 19*60 + 30, End: 20*60 + 30}}})
	a, err := grouping.AssignLeading(context.Background(), p, [][]grouping.MemberID{{"a1", "a2"}, {"b1", "b2"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"evening", "evening"}, a.Leaders); d != "" {
		t.Errorf("leaders (-want +got):\n%s", d)
	}
	if len(a.Unassigned) != 0 {
		t.Errorf("unassigned = %v; want none", a.Unassigned)
	}
}

// A group keeps its previous consultant: the continuity score outweighs
// spreading the load, but never leaves a group without a consultant.
func TestAssignLeadingContinuity(t *testing.T) {
	spanish := []bsk.Language{bsk.Spanish}
	both := []bsk.Language{bsk.English, bsk.Spanish}
	members := []bsk.Provider{
		staffed("a1", "org-a", bsk.RoleDirectService, english, tueMorning),
		staffed("a2", "org-a", bsk.RoleDirectService, english, tueMorning),
		staffed("b1", "org-b", bsk.RoleDirectService, both, tueMorning),
		staffed("b2", "org-b", bsk.RoleDirectService, spanish, tueMorning),
	}
	c1 := staffed("c1", "coord", bsk.RoleConsultant, both, tueMorning)
	c2 := staffed("c2", "coord", bsk.RoleConsultant, both, tueMorning)
	c3 := staffed("c3", "coord", bsk.RoleConsultant, english, tueMorning)
	groups := [][]grouping.MemberID{{"a1", "a2"}, {"b1", "b2"}}
	tests := []struct {
		name        string
		consultants []bsk.Provider
		capacity    int
		previous    []string
		want        []string
		score       float64
	}{
		{"each keeps its own", []bsk.Provider{c1, c2}, 0, []string{"c2", "c1"}, []string{"c2", "c1"}, 100},
		{"the other way", []bsk.Provider{c1, c2}, 0, []string{"c1", "c2"}, []string{"c1", "c2"}, 100},
		// Balancing alone would give c1 one group; continuity keeps both.
		{"over balancing", []bsk.Provider{c1, c2}, 0, []string{"c1", "c1"}, []string{"c1", "c1"}, 100},
		// c3 speaks no Spanish and each leads one group: the Spanish group
		// needs c1, so the English group gives c1 up to c3.
		{"not over leading", []bsk.Provider{c1, c3}, 1, []string{"c1", ""}, []string{"c3", "c1"}, 0},
		// A consultant who left, or an entry past the groups, is ignored.
		{"who left", []bsk.Provider{c1, c2}, 0, []string{"gone", "c2", "c1"}, []string{"c1", "c2"}, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := leadingProblem(t, append(slices.Clone(members), tt.consultants...), grouping.PresetOptions{LeaderCapacity: tt.capacity})
			a, err := grouping.AssignLeading(context.Background(), p, groups, tt.previous)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, a.Leaders); d != "" {
				t.Errorf("leaders (-want +got):\n%s", d)
			}
			if a.Score != tt.score {
				t.Errorf("score = %v; want %v", a.Score, tt.score)
			}
		})
	}
}

// A problem without leaders leaves every non-empty group unled, with the
// reason; a member the problem does not know is an error naming it.
func TestAssignLeadingWithoutLeaders(t *testing.T) {
	providers := []bsk.Provider{
		staffed("a1", "org-a", bsk.RoleDirectService, english, tueMorning),
		staffed("a2", "org-a", bsk.RoleDirectService, english, tueMorning),
	}
	p, err := grouping.TrainingBreakouts(providers, grouping.PresetOptions{Groups: 2, Size: grouping.Bounds{Min: 0, Max: 2}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := grouping.AssignLeading(context.Background(), p, [][]grouping.MemberID{{"a1", "a2"}, {}}, []string{"c1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []grouping.UnassignedGroup{{Group: 0, Reason: grouping.Reason{Code: "no_leaders"}}}
	if d := cmp.Diff(want, a.Unassigned); d != "" {
		t.Errorf("unassigned (-want +got):\n%s", d)
	}
	_, err = grouping.AssignLeading(context.Background(), p, [][]grouping.MemberID{{"a1", "zed"}}, nil)
	if bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("AssignLeading with an unknown member = %v; want not found", err)
	}
}
