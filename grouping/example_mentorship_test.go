package grouping_test

import (
	"context"
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// Mentors named by the coordinator lead whatever their role: the seeds'
// three mentors are reflective consultants. Each mentors several small
// groups of the participants.
func ExampleSelection() {
	en := []bsk.Language{bsk.English}
	tue := []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 17 * 60}}
	var providers []bsk.Provider
	for i := range 12 {
		providers = append(providers, bsk.Provider{ID: bsk.ProviderID(fmt.Sprintf("p%02d", i)),
			OrganizationID: bsk.OrganizationID(fmt.Sprint("org-", i%3)), Role: bsk.RoleDirectService, Languages: en, Availability: tue})
	}
	for _, id := range []bsk.ProviderID{"rc-1", "rc-2", "rc-3"} {
		providers = append(providers, bsk.Provider{ID: id, OrganizationID: "coordinator", Role: bsk.RoleConsultant, Languages: en, Availability: tue})
	}
	sel := grouping.Selection{LeaderIDs: []bsk.ProviderID{"rc-1", "rc-3"}}
	c, err := grouping.CohortOf(grouping.MentorshipPreset, providers, sel)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("mentors:", idsOf(c.Leaders), "participants:", len(c.Participants))
	// Four groups of 3-4, each mentor at most 2 groups.
	o := grouping.PresetOptions{Groups: 4, Size: grouping.Bounds{Min: 3, Max: 4}, LeaderCapacity: 2}
	p, err := grouping.NewProblem(grouping.MentorshipPreset, c.Participants, c.Leaders, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: 1, Iterations: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	load := map[string]int{}
	for g, ms := range sol.Groups {
		if len(ms) > 0 {
			load[sol.Leaders[g]]++
		}
	}
	fmt.Println("groups:", p.Groups, "by mentor:", load, "unled:", len(sol.Unled))
	_, err = grouping.CohortOf(grouping.MentorshipPreset, providers, grouping.Selection{LeaderIDs: []bsk.ProviderID{"rc-9"}})
	fmt.Println(bsk.ErrorCode(err), err)
	// Output:
	// mentors: [rc-1 rc-3] participants: 12
	// groups: 4 by mentor: map[rc-1:2 rc-3:2] unled: 0
	// not_found /leader_ids/0: no provider "rc-9"
}

// Small-group mentorship as the BIPOC Community of Leaders meets: the
// participants in groups of 6-8 (the default), each mentor leading
// several of them (the leader capacity).
func ExampleMentorship() {
	en := []bsk.Language{bsk.English}
	tue := []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 17 * 60}}
	var participants, mentors []bsk.Provider
	for i := range 28 {
		participants = append(participants, bsk.Provider{ID: bsk.ProviderID(fmt.Sprintf("p%02d", i)),
			OrganizationID: bsk.OrganizationID(fmt.Sprint("org-", i%7)), Role: bsk.RoleDirectService, Languages: en, Availability: tue})
	}
	for _, id := range []bsk.ProviderID{"rc-1", "rc-2"} {
		mentors = append(mentors, bsk.Provider{ID: id, OrganizationID: "coordinator", Role: bsk.RoleConsultant, Languages: en, Availability: tue})
	}
	p, err := grouping.Mentorship(participants, mentors, grouping.PresetOptions{LeaderCapacity: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: 1, Iterations: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	var sizes []int
	for _, ms := range sol.Groups {
		sizes = append(sizes, len(ms))
	}
	fmt.Println("groups:", p.Groups, "size:", p.Size, "sizes:", sizes, "leaders:", sol.Leaders)
	// Output:
	// groups: 4 size: {6 8} sizes: [6 6 8 8] leaders: [rc-1 rc-2 rc-1 rc-2]
}
