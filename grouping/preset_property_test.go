package grouping_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// presetPeople splits a workforce the way a caller does for a preset:
// consultants lead (they are mentorship's mentors), everyone else is a
// participant.
func presetPeople(w bsk.Workforce) (people, mentors []bsk.Provider) {
	for _, p := range w.Providers {
		if p.Role == bsk.RoleConsultant {
			mentors = append(mentors, p)
		} else {
			people = append(people, p)
		}
	}
	return people, mentors
}

// solvePreset builds preset over people and solves it. A problem the
// preset or the solver refuses must be refused with a coded error that is
// the caller's (invalid, not found, conflict), never an internal one or a
// panic; a solution must hold every property checkSolution checks. It
// reports whether a solution was found.
func solvePreset(t *testing.T, preset grouping.Preset, people, mentors []bsk.Provider, o grouping.PresetOptions, opts grouping.Options) bool {
	t.Helper()
	refused := func(step string, err error) bool {
		t.Helper()
		var e *bsk.Error
		if !errors.As(err, &e) || errors.Is(err, bsk.ErrInternal) {
			t.Fatalf("%s: %v; want a coded error that is not internal", step, err)
		}
		return false
	}
	p, err := grouping.NewProblem(preset, people, mentors, o)
	if err != nil {
		return refused("NewProblem", err)
	}
	sol, err := grouping.Solve(context.Background(), p, opts)
	if err != nil {
		return refused("Solve", err)
	}
	checkSolution(t, p, sol)
	return true
}

// TestEveryPresetOverWorkforces runs every preset over synthetic
// workforces of a small agency network, the program's scale (700
// providers) and a large one (2,000), with several seeds.
func TestEveryPresetOverWorkforces(t *testing.T) {
	type size struct {
		providers, orgs int
		seeds           []int64
	}
	sizes := []size{{60, 8, []int64{1, 2, 3}}, {700, 60, []int64{1, 2, 3}}, {2000, 120, []int64{1}}}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, sz := range sizes {
		for _, seed := range sz.seeds {
			w := bsktest.Workforce(seed, bsktest.Options{Providers: sz.providers, Organizations: sz.orgs, Consultants: 4, NoOfferings: true})
			people, mentors := presetPeople(w)
			for _, name := range grouping.Preset("").Enum() {
				preset := grouping.Preset(name)
				t.Run(fmt.Sprintf("%d providers/seed %d/%s", sz.providers, seed, preset), func(t *testing.T) {
					opts := grouping.Options{Seed: uint64(seed), TimeLimit: 150 * time.Millisecond}
					if !solvePreset(t, preset, people, mentors, grouping.PresetOptions{}, opts) {
						t.Errorf("%s refused a synthetic workforce of %d providers", preset, sz.providers)
					}
				})
			}
		}
	}
}

// handMade makes n providers: provider i works for org(i) in role(i),
// speaks langs(i) and is free in avail(i).
func handMade(n int, org func(int) string, role func(int) bsk.Role, langs func(int) []bsk.Language, avail func(int) []bsk.Slot) []bsk.Provider {
	var out []bsk.Provider
	for i := range n {
		out = append(out, bsk.Provider{
			ID: bsk.ProviderID(fmt.Sprintf("p%03d", i)), OrganizationID: bsk.OrganizationID(org(i)), Name: fmt.Sprint("Provider ", i),
			Role: role(i), Languages: langs(i), Availability: avail(i), YearsExperience: float64(i % 12),
			Disciplines: []bsk.Discipline{bsk.Discipline([]string{"home_visitor", "nurse", "social_worker"}[i%3])},
		})
	}
	return out
}

// TestEveryPresetOnEdgeCases runs every preset, with its defaults and
// with options that strain it, over hand-made workforces at the edges:
// one language, one meeting time, no availability, one organization, a
// single member, more groups than members, a lone speaker of a language.
func TestEveryPresetOnEdgeCases(t *testing.T) {
	weekdays := func(int) []bsk.Slot {
		var out []bsk.Slot
		for _, d := range []bsk.Day{bsk.Monday, bsk.Tuesday, bsk.Wednesday, bsk.Thursday, bsk.Friday} {
			out = append(out, bsk.Slot{Day: d, Start: 8 * 60, End: 18 * 60})
		}
		return out
	}
	oneTime := func(int) []bsk.Slot { return []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 10*60 + 30}} }
	english := func(int) []bsk.Language { return []bsk.Language{bsk.English} }
	orgs := func(i int) string { return fmt.Sprint("org-", i%4) }
	roles := func(i int) bsk.Role {
		return []bsk.Role{bsk.RoleDirectService, bsk.RoleDirectService, bsk.RoleSupervisor, bsk.RoleDirector}[i%4]
	}
	mixedLangs := func(i int) []bsk.Language {
		switch {
		case i == 7:
			return []bsk.Language{bsk.Dari} // the only Dari speaker
		case i%3 == 0:
			return []bsk.Language{bsk.English, bsk.Spanish}
		case i%5 == 0:
			return []bsk.Language{bsk.Spanish}
		}
		return []bsk.Language{bsk.English}
	}
	mentorsOf := func(k int, avail func(int) []bsk.Slot) []bsk.Provider {
		ms := handMade(k, func(int) string { return "coordinator" }, func(int) bsk.Role { return bsk.RoleMentor },
			func(int) []bsk.Language { return []bsk.Language{bsk.English, bsk.Spanish} }, avail)
		for i := range ms {
			ms[i].ID = bsk.ProviderID(fmt.Sprint("mentor-", i))
		}
		return ms
	}
	cases := []struct {
		name    string
		people  []bsk.Provider
		mentors []bsk.Provider
	}{
		{"one language", handMade(30, orgs, roles, english, weekdays), mentorsOf(2, weekdays)},
		{"one meeting time", handMade(30, orgs, roles, mixedLangs, oneTime), mentorsOf(2, oneTime)},
		{"some without availability", handMade(30, orgs, roles, mixedLangs, func(i int) []bsk.Slot {
			if i%3 == 1 {
				return nil
			}
			return weekdays(i)
		}), mentorsOf(2, weekdays)},
		{"nobody available", handMade(20, orgs, roles, english, func(int) []bsk.Slot { return nil }), mentorsOf(2, func(int) []bsk.Slot { return nil })},
		{"one organization", handMade(30, func(int) string { return "org-1" }, roles, mixedLangs, weekdays), mentorsOf(3, weekdays)},
		{"single member", handMade(1, orgs, roles, english, weekdays), mentorsOf(1, weekdays)},
		{"five members", handMade(5, orgs, roles, mixedLangs, weekdays), mentorsOf(1, weekdays)},
		{"everyone leads", handMade(6, orgs, func(int) bsk.Role { return bsk.RoleConsultant }, english, weekdays), mentorsOf(1, weekdays)},
	}
	options := []struct {
		name string
		o    grouping.PresetOptions
	}{
		{"defaults", grouping.PresetOptions{}},
		{"one organization per group", grouping.PresetOptions{Organization: grouping.OrgRequire, Roles: grouping.RolesTogether}},
		{"pairs", grouping.PresetOptions{Size: grouping.Bounds{Min: 1, Max: 2}}},
		{"more groups than members", grouping.PresetOptions{Groups: 40, Size: grouping.Bounds{Min: 0, Max: 3}}},
		{"one group", grouping.PresetOptions{Groups: 1, Size: grouping.Bounds{Min: 0, Max: 40}}},
		{"Spanish only", grouping.PresetOptions{Language: bsk.Spanish, Size: grouping.Bounds{Min: 0, Max: 4}}},
		{"one slot", grouping.PresetOptions{Slots: []bsk.Slot{{Day: bsk.Tuesday, Start: 9 * 60, End: 10*60 + 30}}}},
	}
	solved, runs := 0, 0
	for _, c := range cases {
		for _, name := range grouping.Preset("").Enum() {
			for _, o := range options {
				t.Run(fmt.Sprintf("%s/%s/%s", c.name, name, o.name), func(t *testing.T) {
					opts := grouping.Options{Seed: 1, Iterations: 3, Threads: 2}
					runs++
					if solvePreset(t, grouping.Preset(name), c.people, c.mentors, o.o, opts) {
						solved++
					}
				})
			}
		}
	}
	// Most of these are problems a preset can form groups for: the test
	// is not only of refusals.
	t.Logf("%d of %d solved", solved, runs)
	if solved < runs/2 {
		t.Errorf("%d of %d edge cases solved; want at least half", solved, runs)
	}
}

// TestNoAvailabilityIsAReason: members free at no meeting time are left
// out of reflective consultation with the reason, and the rest are placed.
func TestNoAvailabilityIsAReason(t *testing.T) {
	people := handMade(24, func(int) string { return "org-1" }, func(int) bsk.Role { return bsk.RoleDirectService },
		func(int) []bsk.Language { return []bsk.Language{bsk.English} },
		func(i int) []bsk.Slot {
			if i < 3 {
				return nil
			}
			return []bsk.Slot{{Day: bsk.Monday, Start: 8 * 60, End: 12 * 60}}
		})
	p, err := grouping.ReflectiveConsultation(people, grouping.PresetOptions{Size: grouping.Bounds{Min: 3, Max: 8}})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 3})
	if err != nil {
		t.Fatal(err)
	}
	checkSolution(t, p, sol)
	got := map[grouping.MemberID]string{}
	for _, u := range sol.Unplaced {
		got[u.Member] = u.Reason.Code
	}
	want := map[grouping.MemberID]string{"p000": "no_group_shares_slots", "p001": "no_group_shares_slots", "p002": "no_group_shares_slots"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unplaced (-want +got):\n%s", diff)
	}
}
