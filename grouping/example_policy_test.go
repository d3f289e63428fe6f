package grouping_test

import (
	"context"
	"fmt"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// Choose whom each preset groups and who leads, from the providers on
// file: consultants lead reflective consultation, only directors and
// supervisors meet in intergroup dialogue.
func ExampleCohortOf() {
	providers := []bsk.Provider{
		{ID: "ana", OrganizationID: "org-1", Role: bsk.RoleDirector},
		{ID: "ben", OrganizationID: "org-1", Role: bsk.RoleDirectService},
		{ID: "cy", OrganizationID: "org-2", Role: bsk.RoleSupervisor},
		{ID: "dee", OrganizationID: "org-2", Role: bsk.RoleTrainer},
		{ID: "eli", OrganizationID: "coordinator", Role: bsk.RoleConsultant},
	}
	for _, preset := range []grouping.Preset{grouping.ReflectiveConsultationPreset, grouping.IntergroupDialoguePreset} {
		c, err := grouping.CohortOf(preset, providers, grouping.Selection{})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(preset, "participants", idsOf(c.Participants), "leaders", idsOf(c.Leaders))
	}
	// One organization's staff only; the consultants still lead.
	c, _ := grouping.CohortOf(grouping.ReflectiveConsultationPreset, providers, grouping.Selection{OrganizationIDs: []bsk.OrganizationID{"org-2"}})
	fmt.Println("org-2 participants", idsOf(c.Participants), "leaders", idsOf(c.Leaders))
	// Named providers must be on file.
	_, err := grouping.CohortOf(grouping.TrainingBreakoutsPreset, providers, grouping.Selection{ProviderIDs: []bsk.ProviderID{"ben", "zed"}})
	fmt.Println(bsk.ErrorCode(err), err)
	// Output:
	// reflective_consultation participants [ana ben cy] leaders [eli]
	// intergroup_dialogue participants [ana cy] leaders []
	// org-2 participants [cy] leaders [eli]
	// not_found /provider_ids/1: no provider "zed"
}

// Give a run's groups their consultants, keeping last run's where the
// rules allow. The run meets at its own times, Tuesdays at 19:30: the
// consultants are matched on those times too.
func ExampleAssignLeading() {
	evening := []bsk.Slot{{Day: bsk.Tuesday, Start: 19 * 60, End: 21 * 60}}
	en := []bsk.Language{bsk.English}
	providers := []bsk.Provider{
		{ID: "ana", OrganizationID: "org-1", Role: bsk.RoleDirectService, Languages: en, Availability: evening},
		{ID: "ben", OrganizationID: "org-1", Role: bsk.RoleDirectService, Languages: en, Availability: evening},
		{ID: "cy", OrganizationID: "org-2", Role: bsk.RoleDirectService, Languages: en, Availability: evening},
		{ID: "dee", OrganizationID: "org-2", Role: bsk.RoleDirectService, Languages: en, Availability: evening},
		{ID: "eli", OrganizationID: "coordinator", Role: bsk.RoleConsultant, Languages: en, Availability: evening},
		{ID: "fay", OrganizationID: "coordinator", Role: bsk.RoleConsultant, Languages: en, Availability: evening},
	}
	o := grouping.PresetOptions{Groups: 2, Size: grouping.Bounds{Min: 2, Max: 2},
		Slots: []bsk.Slot{{Day: bsk.Tuesday, Start: 19*60 + 30, End: 20*60 + 30}}}
	c, err := grouping.CohortOf(grouping.ReflectiveConsultationPreset, providers, grouping.Selection{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := grouping.NewProblem(grouping.ReflectiveConsultationPreset, c.Participants, c.Leaders, o)
	if err != nil {
		fmt.Println(err)
		return
	}
	groups := [][]grouping.MemberID{{"ana", "ben"}, {"cy", "dee"}}
	// Last run, fay led the first group and eli the second.
	a, err := grouping.AssignLeading(context.Background(), p, groups, []string{"fay", "eli"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("leaders:", a.Leaders, "unled:", len(a.Unassigned), "continuity:", a.Score)
	// Output:
	// leaders: [fay eli] unled: 0 continuity: 100
}
