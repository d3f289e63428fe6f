package grouping_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// randomProblem builds a problem with every kind of constraint and
// criterion, sized so that it is feasible.
func randomProblem(r *rand.Rand, n int) *grouping.Problem {
	langs := []string{"en", "es", "so", "vi"}
	orgs := []string{"o1", "o2", "o3"}
	roles := []string{"direct_service", "supervisor"}
	p := &grouping.Problem{Groups: 2 + r.IntN(3)}
	for i := range n {
		m := grouping.Member{ID: grouping.MemberID(fmt.Sprintf("m%02d", i)),
			Attrs: map[string]string{"org": orgs[r.IntN(len(orgs))], "role": roles[r.IntN(4)/3]},
			Sets:  map[string][]string{"languages": {"en"}},
			Nums:  map[string]float64{"years": float64(r.IntN(20))},
		}
		if r.IntN(3) == 0 {
			m.Sets["languages"] = append(m.Sets["languages"], langs[1+r.IntN(3)])
		}
		p.Members = append(p.Members, m)
	}
	p.Size = grouping.Bounds{Min: 1, Max: (n+p.Groups-1)/p.Groups + 1}
	p.Constraints = []grouping.Constraint{
		{Kind: grouping.Share, Attr: "languages"},
		{Kind: grouping.AtMost, Attr: "role", Value: "supervisor", Max: 2},
	}
	p.Criteria = []grouping.Criterion{
		{Kind: grouping.Similar, Attr: "org", Weight: 1 + r.Float64()},
		{Kind: grouping.Diverse, Attr: "years", Weight: 0.01},
		{Kind: grouping.Balance, Attr: "role", Value: "supervisor", Weight: 2},
		{Kind: grouping.Isolation, Attr: "languages", Values: []string{"es", "so", "vi"}, Weight: 3},
		{Kind: grouping.Similar, Attr: "languages", Weight: 0.5},
	}
	if n >= 4 {
		p.MustLink = []grouping.Pair{{A: "m00", B: "m01"}}
		p.CannotLink = []grouping.Pair{{A: "m02", B: "m03"}}
		p.Pairs = []grouping.PairScore{{A: "m00", B: "m03", Score: -5}, {A: "m01", B: "m02", Score: 2.5}}
	}
	if n >= 5 {
		p.Prefer = []grouping.Preference{{Member: "m04", Group: 1, Score: 3}, {Member: "m00", Group: 0, Score: 1.5}}
	}
	if n >= 6 {
		pin := 0
		p.Members[5].Pin = &pin
	}
	return p
}

// checkSolution asserts the solution's invariants.
func checkSolution(t *testing.T, p *grouping.Problem, sol *grouping.Solution) {
	t.Helper()
	seen := map[grouping.MemberID]int{}
	for _, g := range sol.Groups {
		for _, id := range g {
			seen[id]++
		}
	}
	for _, u := range sol.Unplaced {
		seen[u.Member]++
		if u.Reason.Code == "" {
			t.Errorf("unplaced %s without a reason code", u.Member)
		}
	}
	for _, m := range p.Members {
		if seen[m.ID] != 1 {
			t.Fatalf("member %s appears %d times", m.ID, seen[m.ID])
		}
	}
	idx := map[grouping.MemberID]grouping.Member{}
	group := map[grouping.MemberID]int{}
	for _, m := range p.Members {
		idx[m.ID] = m
	}
	for g, members := range sol.Groups {
		b := p.Size
		if len(p.Bounds) > 0 {
			b = p.Bounds[g]
		}
		if len(members) > b.Max || (len(members) < b.Min && !slices.Contains(sol.Underfilled, g)) {
			t.Errorf("group %d has %d members; bounds %+v", g, len(members), b)
		}
		for _, id := range members {
			group[id] = g
			if pin := idx[id].Pin; pin != nil && *pin != g {
				t.Errorf("%s pinned to %d sits in %d", id, *pin, g)
			}
		}
		for _, c := range p.Constraints {
			switch c.Kind {
			case grouping.Share:
				if len(members) == 0 {
					continue
				}
				common := slices.Clone(idx[members[0]].Sets[c.Attr])
				for _, id := range members[1:] {
					common = slices.DeleteFunc(common, func(v string) bool { return !slices.Contains(idx[id].Sets[c.Attr], v) })
				}
				if len(common) == 0 {
					t.Errorf("group %d shares no %s", g, c.Attr)
				}
			case grouping.AtMost:
				k := 0
				for _, id := range members {
					if idx[id].Attrs[c.Attr] == c.Value {
						k++
					}
				}
				if k > c.Max {
					t.Errorf("group %d has %d %s; at most %d", g, k, c.Value, c.Max)
				}
			case grouping.Same:
				// Members without the attribute hold no value to differ by.
				vals := map[string]bool{}
				for _, id := range members {
					if v, ok := idx[id].Attrs[c.Attr]; ok {
						vals[v] = true
					}
				}
				if len(vals) > 1 {
					t.Errorf("group %d mixes %s: %v", g, c.Attr, vals)
				}
			case grouping.Separate:
				held := map[string]bool{}
				for _, id := range members {
					if v := idx[id].Attrs[c.Attr]; slices.Contains(c.Values, v) {
						held[v] = true
					}
				}
				if len(held) > 1 {
					t.Errorf("group %d mixes %s values %v kept apart", g, c.Attr, held)
				}
			}
		}
	}
	for _, l := range p.MustLink {
		ga, oka := group[l.A]
		gb, okb := group[l.B]
		if oka != okb || ga != gb {
			t.Errorf("must-link %s-%s split", l.A, l.B)
		}
	}
	for _, l := range p.CannotLink {
		ga, oka := group[l.A]
		gb, okb := group[l.B]
		if oka && okb && ga == gb {
			t.Errorf("cannot-link %s-%s together", l.A, l.B)
		}
	}
	// Each placement names what its member shares with the whole group.
	for _, pl := range sol.Placements {
		for _, c := range p.Constraints {
			if c.Kind != grouping.Share {
				continue
			}
			common := map[string]bool{}
			for _, v := range idx[sol.Groups[pl.Group][0]].Sets[c.Attr] {
				common[v] = true
			}
			for _, id := range sol.Groups[pl.Group] {
				for v := range common {
					if !slices.Contains(idx[id].Sets[c.Attr], v) {
						delete(common, v)
					}
				}
			}
			vals := slices.Sorted(maps.Keys(common))
			if want := fmt.Sprintf("shares:%s=%s", c.Attr, strings.Join(vals, ",")); !slices.Contains(pl.Why, want) {
				t.Errorf("%s in group %d: why %v; want %q", pl.Member, pl.Group, pl.Why, want)
			}
		}
	}
	if got := grouping.Evaluate(p, sol.Groups); math.Abs(got-sol.Objective) > 1e-6*max(1, math.Abs(got)) {
		t.Errorf("reported objective %v; recomputed %v", sol.Objective, got)
	}
	total := 0.0
	for _, b := range sol.Breakdown {
		total += b.Weighted
	}
	if math.Abs(total-sol.Objective) > 1e-6*max(1, math.Abs(total)) {
		t.Errorf("breakdown sums to %v; objective %v", total, sol.Objective)
	}
}

func TestSolveProperties(t *testing.T) {
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 1))
		p := randomProblem(r, 4+r.IntN(40))
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 20})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) { checkSolution(t, p, sol) })
	}
}

func TestSolveDeterministic(t *testing.T) {
	p := randomProblem(rand.New(rand.NewPCG(5, 5)), 30)
	a, _ := grouping.Solve(context.Background(), p, grouping.Options{Seed: 9, Iterations: 30})
	b, _ := grouping.Solve(context.Background(), p, grouping.Options{Seed: 9, Iterations: 30})
	if fmt.Sprint(a.Groups) != fmt.Sprint(b.Groups) || a.Objective != b.Objective {
		t.Error("the same seed and iterations gave different solutions")
	}
}

// TestExhaustiveOptimum enumerates every assignment of small pure pair
// problems and checks the solver finds the optimum.
func TestExhaustiveOptimum(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 2))
		n := 6 + int(seed%7) // 6..12
		G := 2 + int(seed%2)
		p := &grouping.Problem{Groups: G, Size: grouping.Bounds{Min: n/G - 1, Max: n/G + 1}, Matrix: make([][]float64, n)}
		for i := range n {
			p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint(i))})
			p.Matrix[i] = make([]float64, n)
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				v := math.Round(r.Float64()*200-50) / 2
				p.Matrix[i][j], p.Matrix[j][i] = v, v
			}
		}
		best := exhaustive(p)
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 40})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sol.Objective-best) > 1e-9 {
			t.Errorf("n=%d G=%d: solver %v; exhaustive optimum %v", n, G, sol.Objective, best)
		}
		checkSolution(t, p, sol)
	}
}

func exhaustive(p *grouping.Problem) float64 {
	n := len(p.Members)
	assign := make([]int, n)
	best := math.Inf(-1)
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			sizes := make([]int, p.Groups)
			for _, g := range assign {
				sizes[g]++
			}
			for _, s := range sizes {
				if s < p.Size.Min || s > p.Size.Max {
					return
				}
			}
			v := 0.0
			for a := range n {
				for b := a + 1; b < n; b++ {
					if assign[a] == assign[b] {
						v += p.Matrix[a][b]
					}
				}
			}
			best = max(best, v)
			return
		}
		for g := range p.Groups {
			assign[i] = g
			rec(i + 1)
		}
	}
	rec(0)
	return best
}

// A member who shares a language with enough others, and a meeting time
// with enough others, but both at once with too few, cannot be placed by
// any grouping (a group's members all hold one language and one time):
// they are left out with a reason that counts those who share both, not
// with the reason of whichever groups the search ends with.
func TestUnplacedSharingBothWithTooFew(t *testing.T) {
	member := func(id, lang string, slots ...string) grouping.Member {
		return grouping.Member{ID: grouping.MemberID(id), Sets: map[string][]string{"languages": {lang}, "slots": slots}}
	}
	for _, c := range []struct {
		both int // others who speak Somali on Tuesday too
		text string
	}{
		{0, "No other member shares both a language and a meeting time with this member (Somali), and a group needs at least 3 other members besides them."},
		{2, "Only 2 other members share both a language and a meeting time with this member (Somali), and a group needs at least 3 besides them."},
	} {
		p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 4, Max: 6},
			Constraints: []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}, {Kind: grouping.Share, Attr: "slots"}}}
		p.Members = append(p.Members, member("x", "so", "tue-0900"))
		for i := range 4 {
			p.Members = append(p.Members, member(fmt.Sprint("so", i), "so", "mon-0900"), member(fmt.Sprint("en", i), "en", "tue-0900"))
		}
		for i := range c.both {
			p.Members = append(p.Members, member(fmt.Sprint("both", i), "so", "mon-0900", "tue-0900"))
		}
		for _, seed := range []uint64{1, 2, 3} {
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 20})
			if err != nil {
				t.Fatal(err)
			}
			checkSolution(t, p, sol)
			want := []grouping.Unplaced{{Member: "x", Reason: grouping.Reason{Code: "no_group_shares_languages", Params: map[string]string{
				"constraint": "share", "attr": "languages", "also": "slots", "with": fmt.Sprint(c.both), "needed": "3", "values": "so"}}}}
			if !slices.EqualFunc(sol.Unplaced, want, func(a, b grouping.Unplaced) bool {
				return a.Member == b.Member && a.Reason.Code == b.Reason.Code && maps.Equal(a.Reason.Params, b.Reason.Params)
			}) {
				t.Fatalf("%d sharing both, seed %d: unplaced %+v; want %+v", c.both, seed, sol.Unplaced, want)
			}
			if got := sol.Unplaced[0].Reason.Text("en"); got != c.text {
				t.Errorf("%d sharing both: %q; want %q", c.both, got, c.text)
			}
		}
	}
}

func TestUnplacedWithReason(t *testing.T) {
	// A Dari speaker who shares no language with anyone cannot join a
	// group that must share a language.
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 0, Max: 4},
		Constraints: []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}}}
	for i := range 6 {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint("en", i)), Sets: map[string][]string{"languages": {"en"}}})
	}
	p.Size.Min = 2
	p.Members = append(p.Members, grouping.Member{ID: "dari", Sets: map[string][]string{"languages": {"prs"}}})
	sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(sol.Unplaced) != 1 || sol.Unplaced[0].Member != "dari" || sol.Unplaced[0].Reason.Code != "no_group_shares_languages" {
		t.Fatalf("unplaced = %+v", sol.Unplaced)
	}
	if sol.Unplaced[0].Reason.Params["values"] != "prs" {
		t.Errorf("reason params = %v", sol.Unplaced[0].Reason.Params)
	}
	checkSolution(t, p, sol)
}

func TestValidate(t *testing.T) {
	nan := math.NaN()
	pin := 7
	tests := []struct {
		name  string
		p     grouping.Problem
		field string
	}{
		{"empty", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 1}}, "members"},
		{"impossible bounds", grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 3, Max: 4}, Members: members(5)}, "size"},
		{"too many", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 2}, Members: members(3)}, "size"},
		{"unknown link", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: members(3), MustLink: []grouping.Pair{{A: "m0", B: "zz"}}}, "must_link[0].b"},
		{"contradictory links", grouping.Problem{Groups: 2, Size: grouping.Bounds{Max: 3}, Members: members(3),
			MustLink: []grouping.Pair{{A: "m0", B: "m1"}, {A: "m1", B: "m2"}}, CannotLink: []grouping.Pair{{A: "m0", B: "m2"}}}, "cannot_link[0]"},
		{"bad pin", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: append(members(2), grouping.Member{ID: "x", Pin: &pin})}, "members[2].pin"},
		{"NaN score", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: members(2), Pairs: []grouping.PairScore{{A: "m0", B: "m1", Score: nan}}}, "pairs[0].score"},
		{"ragged matrix", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: members(2), Matrix: [][]float64{{}, {0, 0}}}, "matrix[0]"},
		{"asymmetric matrix", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: members(2), Matrix: [][]float64{{0, 1}, {2, 0}}}, "matrix[1][0]"},
		{"NaN weight", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: members(2), Criteria: []grouping.Criterion{{Kind: grouping.Similar, Attr: "x", Weight: nan}}}, "criteria[0].weight"},
		{"duplicate member", grouping.Problem{Groups: 1, Size: grouping.Bounds{Max: 3}, Members: append(members(2), grouping.Member{ID: "m0"})}, "members[2].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := grouping.Solve(context.Background(), &tt.p, grouping.Options{Iterations: 1})
			var list bsk.Errors
			if !errors.As(err, &list) {
				t.Fatalf("Solve error = %v; want bsk.Errors", err)
			}
			if !slices.ContainsFunc(list, func(e *bsk.Error) bool { return e.Field == tt.field }) {
				t.Errorf("no problem at %q in %v", tt.field, err)
			}
		})
	}
}

func members(n int) []grouping.Member {
	var out []grouping.Member
	for i := range n {
		out = append(out, grouping.Member{ID: grouping.MemberID(fmt.Sprint("m", i))})
	}
	return out
}

// TestStrandedMembersAreReinserted: whatever order construction meets
// them in, four members who fit only as {A,B} and {C,D} all get placed;
// a member stranded by an early choice is placed by moving another.
func TestStrandedMembersAreReinserted(t *testing.T) {
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 2, Max: 2},
		Constraints: []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}},
		Members: []grouping.Member{
			{ID: "A", Sets: map[string][]string{"languages": {"en"}}},
			{ID: "B", Sets: map[string][]string{"languages": {"en", "es"}}},
			{ID: "C", Sets: map[string][]string{"languages": {"es"}}},
			{ID: "D", Sets: map[string][]string{"languages": {"es"}}},
		}}
	for seed := range uint64(40) {
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 1, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if len(sol.Unplaced) != 0 {
			t.Fatalf("seed %d: unplaced %v; groups %v", seed, sol.Unplaced, sol.Groups)
		}
	}
}

// TestCriterionOnMissingAttribute: a criterion on an attribute no member
// has scores the same in the solver and in Evaluate (nothing, except that
// every pair differs for diverse).
func TestCriterionOnMissingAttribute(t *testing.T) {
	for _, c := range []grouping.Criterion{
		{Kind: grouping.Balance, Attr: "absent", Weight: 1},
		{Kind: grouping.Balance, Attr: "absent", Value: "v", Weight: 1},
		{Kind: grouping.Similar, Attr: "absent", Weight: 1},
		{Kind: grouping.Diverse, Attr: "absent", Weight: 1},
		{Kind: grouping.Isolation, Attr: "absent", Weight: 1},
	} {
		p := &grouping.Problem{Members: members(7), Groups: 2, Size: grouping.Bounds{Min: 3, Max: 4}, Criteria: []grouping.Criterion{c}}
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 2})
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		sum := 0.0
		for _, b := range sol.Breakdown {
			sum += b.Weighted
		}
		if got := grouping.Evaluate(p, sol.Groups); math.Abs(got-sum) > 1e-9 || (got != 0 && c.Kind != grouping.Diverse) {
			t.Errorf("%+v: the solver's breakdown sums to %v; Evaluate gives %v", c, sum, got)
		}
	}
}

func TestUnplacedReasonCountsFullGroups(t *testing.T) {
	// Four English speakers and two Spanish speakers for two groups of at
	// most three that must share a language: someone is left out, because
	// the groups with room share none of their languages and the others
	// are full. The reason says both.
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 1, Max: 3},
		Constraints: []grouping.Constraint{{Kind: grouping.Share, Attr: "languages"}}}
	for i := range 4 {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint("en", i)), Sets: map[string][]string{"languages": {"en"}}})
	}
	for i := range 2 {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprint("es", i)), Sets: map[string][]string{"languages": {"es"}}})
	}
	fulls := map[string]int{}
	for seed := range uint64(20) {
		sol, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 5, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, sol)
		if len(sol.Unplaced) == 0 {
			t.Fatalf("seed %d: everyone placed in %v", seed, sol.Groups)
		}
		full := ""
		for _, g := range sol.Groups {
			if len(g) == 3 {
				full = "1"
			}
		}
		for _, u := range sol.Unplaced {
			if u.Reason.Code != "no_group_shares_languages" || u.Reason.Params["full_groups"] != full {
				t.Errorf("seed %d: %s unplaced with %+v in %v; want no_group_shares_languages, full groups %q", seed, u.Member, u.Reason, sol.Groups, full)
			}
		}
		fulls[full]++
	}
	if fulls["1"] == 0 {
		t.Errorf("no seed left a group full: %v", fulls)
	}
}
