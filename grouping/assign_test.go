package grouping_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/grouping"
)

// leaderRules restates AssignLeaders' hard rules independently: for each
// Share attribute the leader and every member of the group have a value in
// common; for each Conflict attribute no member has the leader's value;
// the pair is not forbidden.
type leaderRules struct {
	p       grouping.LeaderProblem
	members map[grouping.MemberID]grouping.Member
}

func newLeaderRules(p grouping.LeaderProblem) leaderRules {
	r := leaderRules{p: p, members: map[grouping.MemberID]grouping.Member{}}
	for _, m := range p.Members {
		r.members[m.ID] = m
	}
	return r
}

// sharesAll reports whether leader l shares the first k Share attributes
// with group g.
func (r leaderRules) sharesAll(l, g, k int) bool {
	for _, attr := range r.p.Share[:k] {
		if !r.shares(l, g, attr) {
			return false
		}
	}
	return true
}

// shares reports whether leader l and every member of group g have a value
// of attr in common.
func (r leaderRules) shares(l, g int, attr string) bool {
	for _, v := range r.p.Leaders[l].Sets[attr] {
		if !slices.ContainsFunc(r.p.Groups[g], func(id grouping.MemberID) bool { return !slices.Contains(r.members[id].Sets[attr], v) }) {
			return true
		}
	}
	return false
}

func (r leaderRules) conflicts(l, g int) bool {
	for _, attr := range r.p.Conflict {
		lv, ok := r.p.Leaders[l].Attrs[attr]
		if ok && slices.ContainsFunc(r.p.Groups[g], func(id grouping.MemberID) bool { return r.members[id].Attrs[attr] == lv }) {
			return true
		}
	}
	return false
}

func (r leaderRules) forbidden(l, g int) bool {
	return slices.ContainsFunc(r.p.Forbidden, func(f grouping.LeaderScore) bool { return f.Leader == r.p.Leaders[l].ID && f.Group == g })
}

func (r leaderRules) eligible(l, g int) bool {
	for _, attr := range r.p.Share {
		if !r.shares(l, g, attr) {
			return false
		}
	}
	return !r.conflicts(l, g) && !r.forbidden(l, g)
}

func (r leaderRules) score(l, g int) float64 {
	s := 0.0
	for _, x := range r.p.Scores {
		if x.Leader == r.p.Leaders[l].ID && x.Group == g {
			s += x.Score
		}
	}
	return s
}

// balance is the documented cost of a leader's k-th further group: 0
// means 1, negative turns balancing off.
func (r leaderRules) balance() float64 {
	switch {
	case r.p.Balance == 0:
		return 1
	case r.p.Balance < 0:
		return 0
	}
	return r.p.Balance
}

// checkLeaders checks an assignment against the hard rules, the capacities,
// the loads and the reasons, and returns the groups covered and the
// objective (score less balancing).
func checkLeaders(t *testing.T, r leaderRules, got *grouping.LeaderAssignment) (int, float64) {
	t.Helper()
	p := r.p
	if len(got.Leaders) != len(p.Groups) {
		t.Fatalf("Leaders has %d entries for %d groups", len(got.Leaders), len(p.Groups))
	}
	load := make([]int, len(p.Leaders))
	covered, score := 0, 0.0
	for g, id := range got.Leaders {
		if id == "" {
			continue
		}
		l := slices.IndexFunc(p.Leaders, func(x grouping.Leader) bool { return x.ID == id })
		if l < 0 {
			t.Fatalf("group %d: unknown leader %q", g, id)
		}
		if !r.eligible(l, g) {
			t.Fatalf("group %d: leader %s breaks a hard rule", g, id)
		}
		if len(p.Groups[g]) == 0 {
			t.Fatalf("group %d is empty but has leader %s", g, id)
		}
		load[l]++
		covered++
		score += r.score(l, g)
	}
	obj := score
	for l, ld := range p.Leaders {
		if load[l] > ld.Capacity {
			t.Fatalf("leader %s leads %d groups, capacity %d", ld.ID, load[l], ld.Capacity)
		}
		if got.Load[ld.ID] != load[l] {
			t.Fatalf("Load[%s] = %d; the groups say %d", ld.ID, got.Load[ld.ID], load[l])
		}
		obj -= r.balance() * float64(load[l]*(load[l]-1)/2)
	}
	if math.Abs(got.Score-score) > 1e-9 {
		t.Fatalf("Score = %g; the pairs sum to %g", got.Score, score)
	}
	listed := map[int]bool{}
	for _, u := range got.Unassigned {
		g := u.Group
		if g < 0 || g >= len(p.Groups) || got.Leaders[g] != "" || len(p.Groups[g]) == 0 || listed[g] {
			t.Fatalf("Unassigned lists group %d wrongly", g)
		}
		listed[g] = true
		var eligible []int
		for l := range p.Leaders {
			if r.eligible(l, g) {
				eligible = append(eligible, l)
			}
		}
		switch code := u.Reason.Code; {
		case code == "all_eligible_leaders_full":
			// With the most groups covered, a leader with room left is
			// never eligible for a group left out.
			if len(eligible) == 0 {
				t.Fatalf("group %d: %s but no leader is eligible", g, code)
			}
			for _, l := range eligible {
				if load[l] < p.Leaders[l].Capacity {
					t.Fatalf("group %d: %s but eligible %s has room", g, code, p.Leaders[l].ID)
				}
			}
		case code == "only_conflicting_leaders":
			// Some leaders share every Share attribute with the group, and
			// each of them works at a member's organization.
			sharing := 0
			for l := range p.Leaders {
				if r.sharesAll(l, g, len(p.Share)) {
					sharing++
					if !r.conflicts(l, g) {
						t.Fatalf("group %d: %s but %s shares everything and does not conflict", g, code, p.Leaders[l].ID)
					}
				}
			}
			if sharing == 0 {
				t.Fatalf("group %d: %s but no leader shares every attribute", g, code)
			}
		case code == "no_leaders":
			if len(p.Leaders) > 0 {
				t.Fatalf("group %d: %s with %d leaders", g, code, len(p.Leaders))
			}
		case len(code) > len("no_leader_shares_") && code[:len("no_leader_shares_")] == "no_leader_shares_":
			// No leader gets past this attribute, taking Share in order.
			attr := code[len("no_leader_shares_"):]
			k := slices.Index(p.Share, attr)
			if k < 0 {
				t.Fatalf("group %d: %s names an attribute not in Share", g, code)
			}
			for l := range p.Leaders {
				if r.sharesAll(l, g, k+1) {
					t.Fatalf("group %d: %s but %s shares %v", g, code, p.Leaders[l].ID, p.Share[:k+1])
				}
			}
			if k > 0 && !slices.ContainsFunc(p.Leaders, func(x grouping.Leader) bool {
				return r.sharesAll(slices.IndexFunc(p.Leaders, func(y grouping.Leader) bool { return y.ID == x.ID }), g, k)
			}) {
				t.Fatalf("group %d: %s but no leader even shares %v", g, code, p.Share[:k])
			}
		case code == "no_eligible_leader":
			if len(eligible) > 0 {
				t.Fatalf("group %d: %s but %d leaders are eligible", g, code, len(eligible))
			}
		default:
			t.Fatalf("group %d: unknown reason %q", g, code)
		}
	}
	for g := range p.Groups {
		if got.Leaders[g] == "" && len(p.Groups[g]) > 0 && !listed[g] {
			t.Fatalf("group %d has no leader and no reason", g)
		}
	}
	return covered, obj
}

// slotProblem draws a small problem where groups must share both a
// language and a meeting slot with their leader.
func slotProblem(r *rand.Rand, groups, leaders int) grouping.LeaderProblem {
	subset := func(vals []string) []string {
		var out []string
		for _, v := range vals {
			if r.IntN(2) == 0 {
				out = append(out, v)
			}
		}
		return out
	}
	langs, slots, orgs := []string{"en", "es", "so"}, []string{"mon-0900", "tue-1300", "wed-1800"}, []string{"o1", "o2", "o3"}
	var p grouping.LeaderProblem
	for g := range groups {
		var ids []grouping.MemberID
		for k := range r.IntN(4) {
			id := grouping.MemberID(fmt.Sprintf("g%d-%d", g, k))
			p.Members = append(p.Members, grouping.Member{ID: id, Attrs: map[string]string{"org": orgs[r.IntN(3)]},
				Sets: map[string][]string{"languages": append([]string{"en"}, subset(langs[1:])...), "slots": subset(slots)}})
			ids = append(ids, id)
		}
		p.Groups = append(p.Groups, ids)
	}
	for l := range leaders {
		ld := grouping.Leader{ID: fmt.Sprint("L", l), Capacity: 1 + r.IntN(3),
			Sets: map[string][]string{"languages": subset(langs), "slots": subset(slots)}}
		if r.IntN(4) > 0 {
			ld.Attrs = map[string]string{"org": orgs[r.IntN(3)]}
		}
		p.Leaders = append(p.Leaders, ld)
	}
	p.Share, p.Conflict = []string{"languages", "slots"}, []string{"org"}
	for range r.IntN(5) {
		p.Scores = append(p.Scores, grouping.LeaderScore{Leader: fmt.Sprint("L", r.IntN(leaders)), Group: r.IntN(groups), Score: float64(r.IntN(9)-2) / 2})
	}
	for range r.IntN(3) {
		p.Forbidden = append(p.Forbidden, grouping.LeaderScore{Leader: fmt.Sprint("L", r.IntN(leaders)), Group: r.IntN(groups)})
	}
	p.Balance = []float64{0, -1, 0.25, 3}[r.IntN(4)]
	return p
}

// TestAssignLeadersSlotsAndBalance compares AssignLeaders with every
// assignment of leaders to groups, with languages and meeting slots both
// shared, forbidden pairs, and each setting of Balance; and checks the
// reasons given for groups left without a leader.
func TestAssignLeadersSlotsAndBalance(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 3))
	for trial := range 400 {
		p := slotProblem(r, 1+r.IntN(5), 1+r.IntN(3))
		rules := newLeaderRules(p)
		got, err := grouping.AssignLeaders(context.Background(), p)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		covered, obj := checkLeaders(t, rules, got)

		G, L := len(p.Groups), len(p.Leaders)
		bestN, bestV := -1, math.Inf(-1)
		pick := make([]int, G)
		var rec func(g int)
		rec = func(g int) {
			if g == G {
				load := make([]int, L)
				n, v := 0, 0.0
				for gg, l := range pick {
					if l >= 0 {
						load[l]++
						n++
						v += rules.score(l, gg)
					}
				}
				for l, k := range load {
					if k > p.Leaders[l].Capacity {
						return
					}
					v -= rules.balance() * float64(k*(k-1)/2)
				}
				if n > bestN || (n == bestN && v > bestV) {
					bestN, bestV = n, v
				}
				return
			}
			pick[g] = -1
			rec(g + 1)
			if len(p.Groups[g]) == 0 {
				return
			}
			for l := range L {
				if rules.eligible(l, g) {
					pick[g] = l
					rec(g + 1)
				}
			}
		}
		rec(0)
		if covered != bestN || math.Abs(obj-bestV) > 1e-9 {
			t.Fatalf("trial %d: AssignLeaders covers %d groups, objective %g; best: %d groups, %g", trial, covered, obj, bestN, bestV)
		}
	}
}

// rcLeaderProblem builds reflective consultation at program scale: 97
// groups of 6 to 8 providers from 60 organizations, each group meeting in
// one language and one slot, and 20 consultants taking up to 5 groups,
// most speaking English and one other language, free at some slots.
func rcLeaderProblem(seed uint64) grouping.LeaderProblem {
	r := rand.New(rand.NewPCG(seed, 97))
	langs := []string{"en", "es", "so", "vi", "zh", "ru"}
	slots := []string{"mon-0900", "mon-1800", "tue-1300", "wed-0900", "thu-1800", "sat-1000"}
	var p grouping.LeaderProblem
	for g := range 97 {
		lang := "en"
		if r.IntN(2) == 0 {
			lang = langs[1+r.IntN(len(langs)-1)]
		}
		slot := slots[r.IntN(len(slots))]
		var ids []grouping.MemberID
		for k := range 6 + r.IntN(3) {
			id := grouping.MemberID(fmt.Sprintf("p%03d-%d", g, k))
			p.Members = append(p.Members, grouping.Member{ID: id, Attrs: map[string]string{"org": fmt.Sprint("org-", r.IntN(60))},
				Sets: map[string][]string{"languages": {lang}, "slots": {slot, slots[r.IntN(len(slots))]}}})
			ids = append(ids, id)
		}
		p.Groups = append(p.Groups, ids)
	}
	for l := range 20 {
		var free []string
		for _, s := range slots {
			if r.IntN(3) > 0 {
				free = append(free, s)
			}
		}
		ld := grouping.Leader{ID: fmt.Sprintf("rc-%02d", l), Capacity: 5,
			Sets: map[string][]string{"languages": {"en", langs[1+l%(len(langs)-1)]}, "slots": free}}
		if l%4 == 0 {
			ld.Attrs = map[string]string{"org": fmt.Sprint("org-", r.IntN(60))} // consultants employed by a provider organization
		}
		p.Leaders = append(p.Leaders, ld)
	}
	p.Share, p.Conflict = []string{"languages", "slots"}, []string{"org"}
	// Continuity: last year's consultant for a third of the groups.
	for g := range 97 {
		if r.IntN(3) == 0 {
			p.Scores = append(p.Scores, grouping.LeaderScore{Leader: fmt.Sprintf("rc-%02d", r.IntN(20)), Group: g, Score: 2})
		}
	}
	return p
}

// TestAssignLeadersReflectiveConsultationProgram checks the program-scale
// case: hard rules and capacities held, every group left out explained
// truthfully, and the same answer on every run.
func TestAssignLeadersReflectiveConsultationProgram(t *testing.T) {
	for seed := range uint64(3) {
		p := rcLeaderProblem(seed)
		got, err := grouping.AssignLeaders(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		covered, _ := checkLeaders(t, newLeaderRules(p), got)
		if covered < 60 {
			t.Errorf("seed %d: only %d of 97 groups covered", seed, covered)
		}
		again, err := grouping.AssignLeaders(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Errorf("seed %d: a second run differs (-first +second):\n%s", seed, diff)
		}
	}
}

func BenchmarkAssignLeadersProgram(b *testing.B) {
	p := rcLeaderProblem(0)
	for b.Loop() {
		if _, err := grouping.AssignLeaders(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
