package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// MoveRequest moves one member of a finished run's groups to another of
// its groups by hand.
type MoveRequest struct {
	// Member is the provider's ID; they must be in one of the run's groups.
	Member string `json:"member"`
	// To is the group's index in the run's solution, from 0.
	To int `json:"to"`
}

// Move moves a member of a finished run to another group by hand, as a new
// run that names the run it changes (PreviousRunID) with the move as its
// Diff; the run itself stays as it was. The library judges and scores the
// moved grouping: the run's problem is built again from its request over
// the providers on file, every placed member is pinned to their group in
// the moved grouping and every unplaced one left out with their reason,
// and [grouping.Solve] checks the groups' hard constraints and explains
// them (objective, breakdown, unmet criteria, placements); the groups then
// get consultants with [grouping.AssignLeading], which keeps each group's
// consultant where the rules allow and gives a group no consultant can
// lead its reason (Unled). A move that breaks a hard constraint (a group
// past its largest size, roles kept apart, no shared meeting time) is
// refused with the library's reason.
//
// Errors: not_found (a run that does not exist or that the caller may not
// see, /member not in a group of the run), invalid (/to not a group of the
// run, or the member's own group), conflict (the run is not done, the
// providers on file no longer give the run's groups, or the move breaks a
// hard constraint: the message gives the reason in words), unauthorized
// (a role other than the administrator and coordinators).
func (g *Grouping) Move(ctx context.Context, id string, mv MoveRequest) (GroupingRun, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return GroupingRun{}, err
	}
	prev, err := g.visibleRun(ctx, p, id)
	if err != nil {
		return GroupingRun{}, err
	}
	if prev.Status != RunDone || prev.Solution == nil {
		return GroupingRun{}, bsk.Errorf(bsk.CodeConflict, "run %q is %s; members move only in a finished run", id, prev.Status)
	}
	groups := prev.Solution.Groups
	from := slices.IndexFunc(groups, func(ms []grouping.MemberID) bool { return slices.Contains(ms, grouping.MemberID(mv.Member)) })
	switch {
	case from < 0:
		return GroupingRun{}, bsk.NotFoundf("/member", "%q is in no group of run %q", mv.Member, id)
	case mv.To < 0 || mv.To >= len(groups):
		return GroupingRun{}, bsk.Errors{bsk.Invalidf("/to", "run %q has groups 0 to %d", id, len(groups)-1)}
	case mv.To == from:
		return GroupingRun{}, bsk.Errors{bsk.Invalidf("/to", "%q is already in group %d", mv.Member, from+1)}
	}
	moved := make([][]grouping.MemberID, len(groups))
	for gi, ms := range groups {
		moved[gi] = slices.DeleteFunc(slices.Clone(ms), func(m grouping.MemberID) bool { return string(m) == mv.Member })
	}
	moved[mv.To] = append(moved[mv.To], grouping.MemberID(mv.Member))

	req, prob, leaders, err := g.problemFor(ctx, p, prev.Request)
	if err != nil {
		return GroupingRun{}, err
	}
	if prob.Groups != len(groups) {
		return GroupingRun{}, bsk.Errorf(bsk.CodeConflict, "the providers on file now give %d groups, not the run's %d: re-group run %q before moving members", prob.Groups, len(groups), id)
	}
	pinTo := map[grouping.MemberID]int{}
	for gi, ms := range moved {
		for _, m := range ms {
			pinTo[m] = gi
		}
	}
	excluded := map[grouping.MemberID]bool{}
	for _, e := range prob.Exclude {
		excluded[e.Member] = true
	}
	for i, m := range prob.Members {
		if gi, ok := pinTo[m.ID]; ok && !excluded[m.ID] {
			prob.Members[i].Pin = &gi
		}
	}
	for _, u := range prev.Solution.Unplaced {
		if !excluded[u.Member] && slices.ContainsFunc(prob.Members, func(m grouping.Member) bool { return m.ID == u.Member }) {
			prob.Exclude = append(prob.Exclude, grouping.Exclusion{Member: u.Member, Reason: u.Reason})
			excluded[u.Member] = true
		}
	}
	// Members on file now who were not grouped by the run (they joined
	// since) stay out: a move changes one member's group, nothing else.
	for _, m := range prob.Members {
		if _, ok := pinTo[m.ID]; !ok && !excluded[m.ID] {
			prob.Exclude = append(prob.Exclude, grouping.Exclusion{Member: m.ID, Reason: grouping.Reason{Code: "not_in_run"}})
		}
	}
	if err := prob.Validate(); err != nil {
		return GroupingRun{}, err
	}
	// Every member is pinned or left out: one round of the search only
	// checks the pins and explains the grouping. The consultants are
	// assigned afterwards (AssignLeading, below): the search's own leader
	// checks hold each group to the leader it picks as its first pinned
	// member arrives, and would refuse pins of groups a consultant leads.
	leading := prob.Leading
	prob.Leading = nil
	sol, err := g.solve(ctx, prob, grouping.Options{Iterations: 1, Seed: prev.Request.Seed})
	prob.Leading = leading
	if err != nil {
		return GroupingRun{}, err
	}
	texts := grouping.Texts{Slots: runSlots(req)}
	// The pins go in one by one; the first to break a rule is unplaced
	// with pin_breaks_constraint, and a group left below its least size
	// then leaves the rest out: the broken rule is the reason to give.
	var out []grouping.Unplaced
	for _, u := range sol.Unplaced {
		if _, pinned := pinTo[u.Member]; pinned && !excluded[u.Member] {
			out = append(out, u)
		}
	}
	slices.SortStableFunc(out, func(a, b grouping.Unplaced) int {
		ra, rb := a.Reason.Code != "pin_breaks_constraint", b.Reason.Code != "pin_breaks_constraint"
		ma, mb := string(a.Member) != mv.Member, string(b.Member) != mv.Member
		switch {
		case ra != rb:
			return cmpBool(ra, rb)
		default:
			return cmpBool(ma, mb)
		}
	})
	for _, u := range out {
		r := &MoveRefusal{Member: mv.Member, To: mv.To, Left: string(u.Member), From: pinTo[u.Member], Reason: u.Reason, texts: texts}
		return GroupingRun{}, &bsk.Error{Code: bsk.CodeConflict, Message: r.Error(), Err: r}
	}
	// Members the providers on file no longer hold are in no group of the
	// solution; the run's groups are those of the solution.
	run := GroupingRun{ID: "run-" + store.NewID(), Status: RunDone, Request: req, PreviousRunID: prev.ID, Solution: sol,
		CreatedBy: p.KeyID, CreatedAt: time.Now().UTC()}
	run.Solution.Unplaced = slices.DeleteFunc(run.Solution.Unplaced, func(u grouping.Unplaced) bool { return u.Reason.Code == "not_in_run" })
	run.Diff = &grouping.Diff{Moved: []grouping.Move{{Member: grouping.MemberID(mv.Member), From: from, To: mv.To}}, Joined: []grouping.Move{}, Left: []grouping.MemberID{}}
	for gi, ms := range sol.Groups {
		for _, m := range ms {
			if m != grouping.MemberID(mv.Member) && slices.Contains(groups[gi], m) {
				run.Diff.Stayed++
			}
		}
	}
	for gi, ms := range groups {
		for _, m := range ms {
			if !slices.Contains(sol.Groups[gi], m) && m != grouping.MemberID(mv.Member) {
				run.Diff.Left = append(run.Diff.Left, m)
			}
		}
	}
	if len(leaders) > 0 {
		lead, err := grouping.AssignLeading(ctx, prob, sol.Groups, prev.Leaders)
		if err != nil {
			return GroupingRun{}, err
		}
		run.Leaders, run.Unled = lead.Leaders, unledGroups(lead.Unassigned)
	}
	now := time.Now().UTC()
	run.FinishedAt = &now
	if err := g.save(ctx, run, true); err != nil {
		return GroupingRun{}, err
	}
	return g.shown(run), nil
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// MoveRefusal is the cause (under [errors.As]) of the conflict [Grouping.Move]
// returns for a move that breaks a hard constraint: the member moved, the
// member the grouping could not keep (the moved one, or another of the
// group they would join) and the library's reason.
type MoveRefusal struct {
	// Member is the member asked to move, and To the group, from 0.
	Member string
	To     int
	// Left is the member left out, and From the group they were to be
	// in, from 0.
	Left string
	From int
	// Reason is the library's reason for leaving Left out.
	Reason grouping.Reason
	texts  grouping.Texts
}

// Error says why the move was refused, in English.
func (r *MoveRefusal) Error() string {
	if r.Left == r.Member {
		return fmt.Sprintf("moving %q to group %d: %s", r.Member, r.To+1, r.Text(grouping.EnglishText))
	}
	return fmt.Sprintf("moving %q to group %d would leave %q out of group %d: %s", r.Member, r.To+1, r.Left, r.From+1, r.Text(grouping.EnglishText))
}

// Text is the reason in language lang (as grouping.TextLanguage reads
// it).
func (r *MoveRefusal) Text(lang string) string { return r.texts.Text(r.Reason, lang) }
