package grouping_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/grouping"
)

// randomLedProblem is a problem with leaders: members of a few
// organizations speaking one or two languages, free in some slots, and
// leaders with languages, slots and an organization of their own.
func randomLedProblem(r *rand.Rand) *grouping.Problem {
	langs := []string{"en", "es", "vi"}
	slots := []string{"mon", "tue", "wed"}
	orgs := []string{"o1", "o2", "o3", "o4", "o5"}
	pick := func(vals []string) []string {
		var out []string
		for _, v := range vals {
			if r.IntN(2) == 0 {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			out = []string{vals[r.IntN(len(vals))]}
		}
		return out
	}
	n := 20 + r.IntN(30)
	p := &grouping.Problem{Size: grouping.Bounds{Min: 3, Max: 6}}
	p.Groups = (n + 4) / 5
	for i := range n {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%02d", i)),
			Attrs: map[string]string{"organization": orgs[r.IntN(len(orgs))]},
			Sets:  map[string][]string{"languages": pick(langs), "slots": pick(slots)}})
	}
	p.Constraints = []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}, {Kind: grouping.Share, Attr: "slots"}}
	p.Criteria = []grouping.Criterion{{Kind: grouping.Similar, Attr: "organization", Weight: 2}, {Kind: grouping.Diverse, Attr: "languages", Weight: 1}}
	p.Leading = &grouping.Leading{Share: []string{"languages", "slots"}, Conflict: []string{"organization"}}
	for l := range 1 + r.IntN(4) {
		p.Leading.Leaders = append(p.Leading.Leaders, grouping.Leader{ID: fmt.Sprintf("L%d", l), Capacity: 1 + r.IntN(3),
			Attrs: map[string]string{"organization": orgs[r.IntN(len(orgs))]},
			Sets:  map[string][]string{"languages": pick(langs), "slots": pick(slots)}})
	}
	return p
}

// checkLed checks a solution of a problem with leaders against the
// problem's rules, from the problem alone: every member in one group or
// unplaced with a reason, sizes within bounds (unless allowed), each
// named leader able to lead their group and within capacity, each
// non-empty group led or listed as unled, and the objective Evaluate's.
func checkLed(t *testing.T, p *grouping.Problem, sol *grouping.Solution) {
	t.Helper()
	byID := map[grouping.MemberID]grouping.Member{}
	for _, m := range p.Members {
		byID[m.ID] = m
	}
	seen := map[grouping.MemberID]int{}
	for g, ms := range sol.Groups {
		for _, id := range ms {
			seen[id]++
		}
		if len(ms) > 0 && !p.AllowUnderfilled {
			assert.GreaterOrEqual(t, len(ms), p.Size.Min, "group %d size", g)
		}
		assert.LessOrEqual(t, len(ms), p.Size.Max, "group %d size", g)
	}
	for _, u := range sol.Unplaced {
		seen[u.Member]++
		assert.NotEmpty(t, u.Reason.Code, "reason of unplaced %s", u.Member)
	}
	for _, m := range p.Members {
		assert.Equal(t, 1, seen[m.ID], "member %s placed or unplaced exactly once", m.ID)
	}
	require.Len(t, sol.Leaders, p.Groups)
	leaders := map[string]grouping.Leader{}
	for _, l := range p.Leading.Leaders {
		leaders[l.ID] = l
	}
	load := map[string]int{}
	unled := map[int]bool{}
	for _, u := range sol.Unled {
		unled[u.Group] = true
		assert.NotEmpty(t, u.Reason.Code)
	}
	for g, id := range sol.Leaders {
		ms := sol.Groups[g]
		if id == "" {
			assert.Equal(t, len(ms) > 0, unled[g], "group %d: no leader, listed as unled only when not empty", g)
			continue
		}
		assert.False(t, unled[g], "group %d led and listed as unled", g)
		assert.NotEmpty(t, ms, "empty group %d has a leader", g)
		load[id]++
		l := leaders[id]
		for _, attr := range p.Leading.Share {
			shared := slices.ContainsFunc(l.Sets[attr], func(v string) bool {
				return !slices.ContainsFunc(ms, func(m grouping.MemberID) bool { return !slices.Contains(byID[m].Sets[attr], v) })
			})
			assert.True(t, shared, "group %d: leader %s shares no %s with every member", g, id, attr)
		}
		for _, attr := range p.Leading.Conflict {
			for _, m := range ms {
				assert.NotEqual(t, l.Attrs[attr], byID[m].Attrs[attr], "group %d: leader %s and member %s share %s", g, id, m, attr)
			}
		}
	}
	for id, n := range load {
		assert.LessOrEqual(t, n, leaders[id].Capacity, "leader %s load", id)
	}
	assert.InDelta(t, grouping.Evaluate(p, sol.Groups), sol.Objective, 1e-6*(1+math.Abs(sol.Objective)))
}

// With leaders' total capacity at least the group count, every group the
// solver forms is led; whatever the capacity, every named leader can lead
// their group.
func TestSolveLeadersProperty(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			p := randomLedProblem(r)
			capacity := 0
			for _, l := range p.Leading.Leaders {
				capacity += l.Capacity
			}
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 30})
			require.NoError(t, err)
			checkLed(t, p, sol)
			if capacity >= p.Groups {
				assert.Empty(t, sol.Unled, "capacity %d for %d groups", capacity, p.Groups)
			}
		})
	}
}

// Three members speak only Spanish, five speak English and Spanish; one
// consultant speaks both, one English only, each leads one group of
// four. Only one arrangement leads both groups: the Spanish speakers
// together with one bilingual member. A balance criterion pulls the
// Spanish speakers apart, which grouping first and assigning consultants
// after would follow, leaving a group unled.
func TestSolveLeadersFormLedGroups(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 4, Max: 4}}
	for i := range 8 {
		langs, only := []string{"en", "es"}, "no"
		if i < 3 {
			langs, only = []string{"es"}, "yes"
		}
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%d", i)),
			Attrs: map[string]string{"spanish_only": only}, Sets: map[string][]string{"languages": langs}})
	}
	p.Constraints = []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}}
	p.Criteria = []grouping.Criterion{{Kind: grouping.Balance, Attr: "spanish_only", Value: "yes", Weight: 1}}
	leaders := []grouping.Leader{
		{ID: "bilingual", Capacity: 1, Sets: map[string][]string{"languages": {"en", "es"}}},
		{ID: "english", Capacity: 1, Sets: map[string][]string{"languages": {"en"}}},
	}

	// Grouping first, then leaders: the balance splits the Spanish speakers.
	alone, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 50})
	require.NoError(t, err)
	after, err := grouping.AssignLeaders(context.Background(), grouping.LeaderProblem{Members: p.Members, Groups: alone.Groups,
		Leaders: leaders, Share: []string{"languages"}})
	require.NoError(t, err)
	require.Len(t, after.Unassigned, 1, "grouping without the leaders leads both groups; the test no longer shows the difference")

	p.Leading = &grouping.Leading{Leaders: leaders, Share: []string{"languages"}}
	for seed := range uint64(5) {
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 50})
		require.NoError(t, err)
		checkLed(t, p, sol)
		assert.Empty(t, sol.Unled)
		assert.Empty(t, sol.Unplaced)
		g := slices.IndexFunc(sol.Groups, func(ms []grouping.MemberID) bool { return slices.Contains(ms, "m0") })
		require.GreaterOrEqual(t, g, 0)
		assert.Subset(t, sol.Groups[g], []grouping.MemberID{"m0", "m1", "m2"}, "the Spanish speakers share a group")
		assert.Equal(t, "bilingual", sol.Leaders[g])
	}
}

// Members no leader can lead are unplaced with the leader's reason, not
// put in a group nobody can lead.
func TestSolveLeadersNoLeaderFits(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 3, Max: 4}}
	for i := range 7 {
		lang := "en"
		if i >= 4 {
			lang = "so"
		}
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%d", i)),
			Sets: map[string][]string{"languages": {lang}}})
	}
	p.Constraints = []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}}
	p.Leading = &grouping.Leading{Share: []string{"languages"},
		Leaders: []grouping.Leader{{ID: "c1", Capacity: 2, Sets: map[string][]string{"languages": {"en"}}}}}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 20})
	require.NoError(t, err)
	checkLed(t, p, sol)
	var got []grouping.Unplaced
	for _, u := range sol.Unplaced {
		got = append(got, u)
	}
	want := []grouping.Unplaced{}
	for _, id := range []grouping.MemberID{"m4", "m5", "m6"} {
		want = append(want, grouping.Unplaced{Member: id, Reason: grouping.Reason{Code: grouping.ReasonNoLeaderFits,
			Params: map[string]string{"constraint": "leader_share", "attr": "languages", "values": "so", "full_groups": "1"}}})
	}
	assert.Equal(t, want, got)
	assert.Empty(t, sol.Unled)
}

// A member whose language no leader speaks is unplaced for want of a
// leader, even where the groups with room would also turn them away for
// their language: no grouping of the members would place them, and the
// reason names what would. Where the one leader who speaks their language
// meets at none of their times, the reason says so. Where that leader
// meets then but works for their organization, which a leader may not,
// the checks turn the leaders away only together, and the groups' own
// reason stands: no group with room shares their language.
func TestSolveLeadersReasonNamesTheMissingLeader(t *testing.T) {
	build := func(zhLeader string) *grouping.Problem {
		p := &grouping.Problem{Groups: 3, Size: grouping.Bounds{Min: 3, Max: 8},
			Constraints: []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}, {Kind: grouping.Share, Attr: "slots"}}}
		for i := range 22 {
			lang, org := "en", "a"
			if i >= 18 {
				lang, org = "zh", "z"
			}
			p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%02d", i)), Attrs: map[string]string{"organization": org},
				Sets: map[string][]string{"languages": {lang}, "slots": {"mon-0900"}}})
		}
		ls := []grouping.Leader{
			{ID: "c1", Capacity: 2, Sets: map[string][]string{"languages": {"en"}, "slots": {"mon-0900"}}},
			{ID: "c2", Capacity: 1, Sets: map[string][]string{"languages": {"en"}, "slots": {"mon-0900"}}},
		}
		switch zhLeader {
		case "another time":
			p.Groups = 4
			ls = append(ls, grouping.Leader{ID: "c3", Capacity: 1, Sets: map[string][]string{"languages": {"en", "zh"}, "slots": {"tue-0900"}}})
		case "their organization":
			p.Groups = 4
			ls = append(ls, grouping.Leader{ID: "c3", Capacity: 1, Attrs: map[string]string{"organization": "z"},
				Sets: map[string][]string{"languages": {"en", "zh"}, "slots": {"mon-0900"}}})
		}
		p.Leading = &grouping.Leading{Share: []string{"languages", "slots"}, Conflict: []string{"organization"}, Leaders: ls}
		return p
	}
	zh := []grouping.MemberID{"m18", "m19", "m20", "m21"}
	for _, c := range []struct {
		zhLeader string
		params   map[string]string
		text     string
	}{
		{"", map[string]string{"constraint": "leader_share", "attr": "languages", "values": "zh"},
			"No leader with room for another group shares a language with this member (Chinese)."},
		{"another time", map[string]string{"constraint": "leader_share", "attr": "slots", "values": "mon-0900", "given": "languages", "given_values": "zh"},
			"No leader who shares a language with this member (Chinese) also shares a meeting time with them (Monday 09:00)."},
		{"their organization", map[string]string{"constraint": "share", "attr": "languages", "values": "zh"},
			"No group with room shares a language with this member (Chinese)."},
	} {
		for _, seed := range []uint64{1, 2, 3} {
			p := build(c.zhLeader)
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 50})
			require.NoError(t, err)
			checkLed(t, p, sol)
			require.Len(t, sol.Unplaced, len(zh), "%s, seed %d", c.zhLeader, seed)
			full := 0
			for _, g := range sol.Groups {
				if len(g) == p.Size.Max {
					full++
				}
			}
			for i, u := range sol.Unplaced {
				// The full groups are the run's; the reason counts them.
				if full > 0 {
					assert.Equal(t, strconv.Itoa(full), u.Reason.Params["full_groups"])
				}
				u.Reason.Params = maps.Clone(u.Reason.Params)
				delete(u.Reason.Params, "full_groups")
				assert.Equal(t, zh[i], u.Member)
				code := grouping.ReasonNoLeaderFits
				if c.params["constraint"] == "share" {
					code = "no_group_shares_languages"
				}
				assert.Equal(t, grouping.Reason{Code: code, Params: c.params}, u.Reason, "%s, seed %d", c.zhLeader, seed)
				assert.Equal(t, c.text, grouping.Reason{Code: u.Reason.Code, Params: u.Reason.Params}.Text("en"), "%s, seed %d", c.zhLeader, seed)
			}
		}
	}
}

// Sizes are hard unless the problem allows underfilled groups: two
// members of a small organization cannot form a group of three under a
// one-organization rule, so they are unplaced with a reason that names
// the setting that would keep them; with it, their group stays.
func TestSolveSizesHard(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 3, Max: 8}}
	for i := range 10 {
		org := "big"
		if i < 2 {
			org = "small"
		}
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%d", i)), Attrs: map[string]string{"org": org}})
	}
	p.Constraints = []grouping.Constraint{{Kind: grouping.Same, Attr: "org"}}
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 20})
	require.NoError(t, err)
	require.Len(t, sol.Unplaced, 2)
	for i, u := range sol.Unplaced {
		assert.Equal(t, grouping.MemberID(fmt.Sprintf("m%d", i)), u.Member)
		assert.Equal(t, grouping.ReasonBelowMinimum, u.Reason.Code)
		assert.Equal(t, "2", u.Reason.Params["size"])
		assert.Equal(t, "3", u.Reason.Params["min"])
		assert.Equal(t, "allow_underfilled", u.Reason.Params["allow"])
	}
	for _, ms := range sol.Groups {
		assert.True(t, len(ms) == 0 || len(ms) >= 3, "group of %d", len(ms))
	}
	assert.InDelta(t, grouping.Evaluate(p, sol.Groups), sol.Objective, 1e-9)

	p.AllowUnderfilled = true
	sol, err = grouping.Solve(context.Background(), p, grouping.Options{Iterations: 20})
	require.NoError(t, err)
	assert.Empty(t, sol.Unplaced)
	require.Len(t, sol.Underfilled, 1)
	assert.Len(t, sol.Groups[sol.Underfilled[0]], 2)
}

func TestLeadingValidate(t *testing.T) {
	p := &grouping.Problem{Groups: 1, Size: grouping.Bounds{Min: 1, Max: 2},
		Members: []grouping.Member{{ID: "a", Attrs: map[string]string{"org": "o"}, Sets: map[string][]string{"languages": {"en"}}}},
		Leading: &grouping.Leading{
			Leaders:  []grouping.Leader{{ID: "x", Capacity: 1}, {ID: "x", Capacity: 0}, {Capacity: 1}},
			Share:    []string{"org", ""},
			Conflict: []string{"languages"},
			Balance:  math.NaN(),
		}}
	err := p.Validate()
	require.Error(t, err)
	assert.True(t, errors.Is(err, bsk.ErrInvalid), "%v", err)
	var es bsk.Errors
	require.True(t, errors.As(err, &es))
	var fields []string
	for _, e := range es {
		fields = append(fields, e.Field)
	}
	assert.ElementsMatch(t, []string{"leading.leaders[1].id", "leading.leaders[1].capacity", "leading.leaders[2].id",
		"leading.share[0]", "leading.share[1]", "leading.conflict[0]", "leading.balance"}, fields)
}

// At program scale: the demo workforces (680 providers in 90 agencies, 20
// consultants leading at most 5 groups each) make the program's 97 groups
// of 6-8. Every group formed has a consultant who can lead it, no group is
// below 6, and every member left out says why.
func TestReflectiveConsultationLedAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("program scale")
	}
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := bsktest.Workforce(seed, bsktest.Options{NoOfferings: true})
			p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
			require.NoError(t, err)
			assert.Equal(t, 97, p.Groups)
			assert.Equal(t, grouping.Bounds{Min: 6, Max: 8}, p.Size)
			require.NotNil(t, p.Leading)
			require.Len(t, p.Leading.Leaders, 20)
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: uint64(seed), Iterations: 30})
			require.NoError(t, err)
			checkLed(t, p, sol)
			assert.Empty(t, sol.Unled)
			formed := 0
			for _, ms := range sol.Groups {
				if len(ms) > 0 {
					formed++
				}
			}
			assert.GreaterOrEqual(t, formed, 85, "groups formed")
			assert.LessOrEqual(t, len(sol.Unplaced), 20+len(p.Members)/10, "unplaced, of %d (20 consultants)", len(p.Members))
		})
	}
}

// Re-grouping a led grouping after one provider leaves keeps nearly
// everyone in place: each previous group takes back a consultant who can
// lead it, so its members can return to it.
func TestRegroupLedKeepsGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("program scale")
	}
	for _, seed := range []int64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			w := bsktest.Workforce(seed, bsktest.Options{NoOfferings: true})
			p, err := grouping.ReflectiveConsultation(w.Providers, grouping.PresetOptions{})
			require.NoError(t, err)
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: uint64(seed), Iterations: 20})
			require.NoError(t, err)
			placed := 0
			for _, ms := range sol.Groups {
				placed += len(ms)
			}
			leaver := sol.Groups[0][0]
			q := *p
			q.Members = slices.DeleteFunc(slices.Clone(p.Members), func(m grouping.Member) bool { return m.ID == leaver })
			q.CannotLink = slices.DeleteFunc(slices.Clone(p.CannotLink), func(l grouping.Pair) bool { return l.A == leaver || l.B == leaver })
			q.Exclude = slices.DeleteFunc(slices.Clone(p.Exclude), func(e grouping.Exclusion) bool { return e.Member == leaver })
			again, err := grouping.Regroup(context.Background(), &q, sol.Groups, grouping.RegroupOptions{Options: grouping.Options{Seed: uint64(seed), Iterations: 20}})
			require.NoError(t, err)
			assert.GreaterOrEqual(t, again.Diff.Stayed, (placed-1)*9/10, "stayed of %d", placed-1)
			checkLed(t, again.Problem, again.Solution)
		})
	}
}
