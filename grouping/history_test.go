package grouping_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

func TestMetBefore(t *testing.T) {
	members := []grouping.Member{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}
	history := []grouping.PastGroup{
		{Session: "2026-01", Members: []grouping.MemberID{"b", "a", "gone"}},
		{Session: "2026-01", Members: []grouping.MemberID{"c", "d"}},
		{Session: "2026-02", Members: []grouping.MemberID{"a", "b", "c"}},
		{Session: "2026-02", Members: []grouping.MemberID{"gone", "d"}},
	}
	got, err := grouping.MetBefore(members, history, 3)
	require.NoError(t, err)
	want := []grouping.PairScore{
		{A: "a", B: "b", Score: -6},
		{A: "a", B: "c", Score: -3},
		{A: "b", B: "c", Score: -3},
		{A: "c", B: "d", Score: -3},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MetBefore (-want +got):\n%s", d)
	}
	got, err = grouping.MetBefore(members, nil, 3)
	require.NoError(t, err)
	if len(got) != 0 {
		t.Errorf("MetBefore(no history) = %v; want none", got)
	}
}

func TestMetBeforeBadInput(t *testing.T) {
	type fault struct {
		Code  bsk.Code
		Field string
	}
	members := []grouping.Member{{ID: "a"}, {ID: "b"}}
	_, err := grouping.MetBefore(members, []grouping.PastGroup{
		{Session: "s1", Members: []grouping.MemberID{"a", "", "b"}},
		{Session: "s1", Members: []grouping.MemberID{"c", "a"}},
		{Session: "s2", Members: []grouping.MemberID{"a"}},
	}, math.NaN())
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	var got []fault
	for _, e := range list {
		got = append(got, fault{e.Code, e.Field})
	}
	want := []fault{
		{bsk.CodeInvalid, "weight"},
		{bsk.CodeInvalid, "/history/0/members/1"},
		{bsk.CodeConflict, "/history/1/members/1"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("MetBefore faults (-want +got):\n%s", d)
	}
	if _, err := grouping.MetBefore(members, nil, -1); bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("MetBefore(weight -1) = %v; want invalid", err)
	}
}

// repeats counts, straight from the rooms, the pairs of a session who
// already met in an earlier session's room: a pair who met in two
// earlier sessions counts once per session they meet again.
func repeats(sessions [][][]grouping.MemberID) int {
	met := map[[2]grouping.MemberID]bool{}
	n := 0
	for _, rooms := range sessions {
		var now [][2]grouping.MemberID
		for _, room := range rooms {
			for i, a := range room {
				for _, b := range room[i+1:] {
					k := [2]grouping.MemberID{min(a, b), max(a, b)}
					if met[k] {
						n++
					}
					now = append(now, k)
				}
			}
		}
		for _, k := range now {
			met[k] = true
		}
	}
	return n
}

// pastOf turns sessions' rooms into attendance history.
func pastOf(sessions [][][]grouping.MemberID) []grouping.PastGroup {
	var out []grouping.PastGroup
	for s, rooms := range sessions {
		for _, room := range rooms {
			out = append(out, grouping.PastGroup{Session: fmt.Sprint("session-", s), Members: room})
		}
	}
	return out
}

// breakoutProblem is a training's breakout rooms of five for 100
// attendees of 20 organizations, mixing organizations.
func breakoutProblem() *grouping.Problem {
	p := &grouping.Problem{Groups: 20, Size: grouping.Bounds{Min: 5, Max: 5},
		Criteria: []grouping.Criterion{{Name: "mixed organizations", Kind: grouping.Diverse, Attr: "organization", Weight: 2}}}
	for i := range 100 {
		p.Members = append(p.Members, grouping.Member{ID: grouping.MemberID(fmt.Sprintf("p%03d", i)),
			Attrs: map[string]string{"organization": fmt.Sprint("org-", i%20)}})
	}
	return p
}

// Six monthly sessions of 100 attendees in rooms of five: with the
// attendance history the rooms repeat far fewer pairs than rooms formed
// without it, or drawn at random.
func TestBreakoutsWithHistory(t *testing.T) {
	const sessions = 6
	ctx := context.Background()
	var withHistory, without, random [][][]grouping.MemberID
	r := rand.New(rand.NewPCG(7, 7))
	for s := range sessions {
		p := breakoutProblem()
		ps, err := grouping.MetBefore(p.Members, pastOf(withHistory), grouping.RepeatWeight)
		require.NoError(t, err)
		p.Pairs = ps
		sol, err := grouping.Solve(ctx, p, grouping.Options{Seed: uint64(s + 1), Iterations: 40})
		require.NoError(t, err)
		checkSolution(t, p, sol)
		require.Empty(t, sol.Unplaced)
		withHistory = append(withHistory, sol.Groups)

		plain := breakoutProblem()
		sol, err = grouping.Solve(ctx, plain, grouping.Options{Seed: uint64(s + 1), Iterations: 40})
		require.NoError(t, err)
		without = append(without, sol.Groups)

		ids := make([]grouping.MemberID, 0, 100)
		for _, m := range plain.Members {
			ids = append(ids, m.ID)
		}
		r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		var rooms [][]grouping.MemberID
		for k := 0; k < len(ids); k += 5 {
			rooms = append(rooms, ids[k:k+5])
		}
		random = append(random, rooms)
	}
	h, w, rnd := repeats(withHistory), repeats(without), repeats(random)
	t.Logf("repeated pairs over %d sessions: %d with history, %d without, %d at random", sessions, h, w, rnd)
	if h > rnd || 5*h > rnd {
		t.Errorf("repeated pairs with history = %d; want at most a fifth of a random assignment's %d", h, rnd)
	}
	if 5*h > w {
		t.Errorf("repeated pairs with history = %d; want at most a fifth of %d without it", h, w)
	}
}

// affineClass is parallel class c (0 to k) of the affine plane of prime
// order k over the k*k points x*k+y: the lines y = c*x + b for c < k, the
// lines x = b for c = k. Two classes share no pair of points.
func affineClass(k, c int) [][]int {
	out := make([][]int, k)
	for x := range k {
		for y := range k {
			b := x // c == k: the line x = b
			if c < k {
				b = ((y-c*x)%k + k) % k
			}
			out[b] = append(out[b], x*k+y)
		}
	}
	return out
}

// Property: when an arrangement with no repeated pair exists (a parallel
// class of an affine plane that the history does not use), the rooms
// repeat no pair.
func TestBreakoutsHistoryNoRepeatWhenPossible(t *testing.T) {
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 15))
		k := []int{3, 5, 7}[seed%3]
		past := 1 + r.IntN(k-1)
		t.Run(fmt.Sprintf("k=%d past=%d seed=%d", k, past, seed), func(t *testing.T) {
			// The k*k attendees under shuffled names.
			names := r.Perm(k * k)
			id := func(pt int) grouping.MemberID { return grouping.MemberID(fmt.Sprintf("m%02d", names[pt])) }
			p := &grouping.Problem{Groups: k, Size: grouping.Bounds{Min: k, Max: k}}
			for pt := range k * k {
				p.Members = append(p.Members, grouping.Member{ID: id(pt)})
			}
			classes := r.Perm(k + 1)[:past]
			var history [][][]grouping.MemberID
			for _, c := range classes {
				var rooms [][]grouping.MemberID
				for _, line := range affineClass(k, c) {
					var room []grouping.MemberID
					for _, pt := range line {
						room = append(room, id(pt))
					}
					rooms = append(rooms, room)
				}
				history = append(history, rooms)
			}
			require.Zero(t, repeats(history), "the history's classes share no pair")
			ps, err := grouping.MetBefore(p.Members, pastOf(history), grouping.RepeatWeight)
			require.NoError(t, err)
			p.Pairs = ps
			sol, err := grouping.Solve(context.Background(), p, grouping.Options{Seed: seed, Iterations: 60})
			require.NoError(t, err)
			checkSolution(t, p, sol)
			if n := repeats(append(history, sol.Groups)); n != 0 {
				t.Errorf("rooms repeat %d pairs; a class of the plane repeats none", n)
			}
		})
	}
}

// A history that seats too many pairs together is refused, naming the
// past group where it passes the bound, before it fills memory.
func TestMetBeforeBounded(t *testing.T) {
	var members []grouping.Member
	var everyone []grouping.MemberID
	for i := range 1500 { // 1,124,250 pairs in one room
		id := grouping.MemberID(fmt.Sprint("m", i))
		members = append(members, grouping.Member{ID: id})
		everyone = append(everyone, id)
	}
	history := []grouping.PastGroup{
		{Session: "2026-01", Members: everyone[:3]},
		{Session: "2026-02", Members: everyone},
	}
	_, err := grouping.MetBefore(members, history, 1)
	var list bsk.Errors
	require.ErrorAs(t, err, &list)
	var fields []string
	for _, e := range list {
		fields = append(fields, e.Field)
	}
	if d := cmp.Diff([]string{"/history/1"}, fields); d != "" {
		t.Errorf("MetBefore faults (-want +got):\n%s", d)
	}
	// Members absent this session seat no pair: the same room over 10
	// members is 45 pairs.
	ps, err := grouping.MetBefore(members[:10], history[1:], 1)
	require.NoError(t, err)
	if len(ps) != 45 {
		t.Errorf("MetBefore(10 of the room) = %d pairs; want 45", len(ps))
	}
}
