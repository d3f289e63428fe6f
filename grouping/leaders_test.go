package grouping_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

func randomLeaderProblem(r *rand.Rand, groups, leaders int) grouping.LeaderProblem {
	langs := []string{"en", "es", "so"}
	orgs := []string{"o1", "o2", "o3", "o4"}
	var p grouping.LeaderProblem
	for g := range groups {
		var ids []grouping.MemberID
		lang := langs[r.IntN(len(langs))]
		for k := range 1 + r.IntN(3) {
			id := grouping.MemberID(fmt.Sprintf("g%dm%d", g, k))
			p.Members = append(p.Members, grouping.Member{ID: id, Attrs: map[string]string{"organization": orgs[r.IntN(len(orgs))]},
				Sets: map[string][]string{"languages": []string{lang, "en"}[:1+r.IntN(2)]}})
			ids = append(ids, id)
		}
		p.Groups = append(p.Groups, ids)
	}
	for l := range leaders {
		p.Leaders = append(p.Leaders, grouping.Leader{ID: fmt.Sprintf("L%d", l), Capacity: 1 + r.IntN(2),
			Attrs: map[string]string{"organization": orgs[r.IntN(len(orgs))]},
			Sets:  map[string][]string{"languages": {langs[r.IntN(3)], langs[r.IntN(3)]}}})
	}
	p.Share = []string{"languages"}
	p.Conflict = []string{"organization"}
	for range r.IntN(4) {
		p.Scores = append(p.Scores, grouping.LeaderScore{Leader: fmt.Sprintf("L%d", r.IntN(leaders)), Group: r.IntN(groups), Score: float64(r.IntN(7))})
	}
	if r.IntN(3) == 0 {
		p.Forbidden = []grouping.LeaderScore{{Leader: "L0", Group: 0}}
	}
	return p
}

// bruteLeaders enumerates every assignment: the most groups covered, then
// the best score less balancing.
func bruteLeaders(p grouping.LeaderProblem, ok func(l, g int) bool) (int, float64) {
	G, L := len(p.Groups), len(p.Leaders)
	bestN, bestV := -1, math.Inf(-1)
	pick := make([]int, G)
	// Each pair's summed score, looked up once rather than at every leaf.
	score := make([][]float64, L)
	for l := range score {
		score[l] = make([]float64, G)
		for _, s := range p.Scores {
			if s.Leader == p.Leaders[l].ID && s.Group < G {
				score[l][s.Group] += s.Score
			}
		}
	}
	var rec func(g int)
	rec = func(g int) {
		if g == G {
			load := make([]int, L)
			n, v := 0, 0.0
			for gg, l := range pick {
				if l < 0 {
					continue
				}
				load[l]++
				n++
				v += score[l][gg]
			}
			for l, k := range load {
				if k > p.Leaders[l].Capacity {
					return
				}
				v -= float64(k*(k-1)/2) * 1 // Balance 0 means 1
			}
			if n > bestN || (n == bestN && v > bestV+1e-9) {
				bestN, bestV = n, v
			}
			return
		}
		pick[g] = -1
		rec(g + 1)
		for l := range L {
			if ok(l, g) {
				pick[g] = l
				rec(g + 1)
			}
		}
	}
	rec(0)
	return bestN, bestV
}

func TestAssignLeadersIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for trial := range 300 {
		p := randomLeaderProblem(r, 1+r.IntN(5), 1+r.IntN(3))
		members := map[grouping.MemberID]grouping.Member{}
		for _, m := range p.Members {
			members[m.ID] = m
		}
		ok := func(l, g int) bool {
			ld := p.Leaders[l]
			for _, f := range p.Forbidden {
				if f.Leader == ld.ID && f.Group == g {
					return false
				}
			}
			shared := false
			for _, lang := range ld.Sets["languages"] {
				all := true
				for _, id := range p.Groups[g] {
					if !slices.Contains(members[id].Sets["languages"], lang) {
						all = false
					}
				}
				shared = shared || all
			}
			if !shared {
				return false
			}
			for _, id := range p.Groups[g] {
				if members[id].Attrs["organization"] == ld.Attrs["organization"] {
					return false
				}
			}
			return true
		}
		wantN, wantV := bruteLeaders(p, ok)
		got, err := grouping.AssignLeaders(context.Background(), p)
		require.NoError(t, err)
		n, v := 0, got.Score
		load := map[string]int{}
		for g, id := range got.Leaders {
			if id == "" {
				continue
			}
			n++
			load[id]++
			l := slices.IndexFunc(p.Leaders, func(x grouping.Leader) bool { return x.ID == id })
			require.True(t, ok(l, g), "trial %d: %s may not lead group %d", trial, id, g)
		}
		for _, l := range p.Leaders {
			require.LessOrEqual(t, load[l.ID], l.Capacity)
			require.Equal(t, load[l.ID], got.Load[l.ID])
			v -= float64(load[l.ID] * (load[l.ID] - 1) / 2)
		}
		require.Equal(t, wantN, n, "trial %d: groups covered", trial)
		require.InDelta(t, wantV, v, 1e-9, "trial %d: score", trial)
		require.Len(t, got.Unassigned, len(p.Groups)-n)
	}
}

func TestAssignLeadersReasons(t *testing.T) {
	p := grouping.LeaderProblem{
		Members: []grouping.Member{
			{ID: "a", Attrs: map[string]string{"organization": "o1"}, Sets: map[string][]string{"languages": {"prs"}}},
			{ID: "b", Attrs: map[string]string{"organization": "o1"}, Sets: map[string][]string{"languages": {"en"}}},
			{ID: "c", Attrs: map[string]string{"organization": "o2"}, Sets: map[string][]string{"languages": {"en"}}},
			{ID: "d", Attrs: map[string]string{"organization": "o3"}, Sets: map[string][]string{"languages": {"en"}}},
		},
		Groups:   [][]grouping.MemberID{{"a"}, {"b"}, {"c"}, {"d"}, {}},
		Leaders:  []grouping.Leader{{ID: "k", Capacity: 1, Attrs: map[string]string{"organization": "o1"}, Sets: map[string][]string{"languages": {"en"}}}},
		Share:    []string{"languages"},
		Conflict: []string{"organization"},
	}
	got, err := grouping.AssignLeaders(context.Background(), p)
	require.NoError(t, err)
	codes := map[int]string{}
	for _, u := range got.Unassigned {
		codes[u.Group] = u.Reason.Code
	}
	assert.Equal(t, "no_leader_shares_languages", codes[0], "a Dari speaker's group")
	assert.Equal(t, "only_conflicting_leaders", codes[1], "the consultant's own organization")
	assert.Len(t, got.Unassigned, 2+1, "one of c and d waits: the leader is full")
	assert.NotContains(t, codes, 4, "an empty group needs no leader")
	assert.Contains(t, []string{codes[2], codes[3]}, "all_eligible_leaders_full")

	_, err = grouping.AssignLeaders(context.Background(), grouping.LeaderProblem{Groups: [][]grouping.MemberID{{"zed"}},
		Leaders: []grouping.Leader{{ID: "k"}, {ID: "k", Capacity: 1}}, Scores: []grouping.LeaderScore{{Leader: "q", Group: 3, Score: math.NaN()}}})
	require.Error(t, err)
	for _, f := range []string{"groups[0][0]", "leaders[0].capacity", "leaders[1].id", "scores[0].leader", "scores[0].group", "scores[0].score"} {
		assert.Contains(t, err.Error(), f)
	}
	assert.True(t, errors.Is(err, bsk.ErrInvalid))
}

func TestAssignLeadersReflectiveConsultationScale(t *testing.T) {
	// 97 groups, 20 consultants taking up to 5 each: every group covered,
	// loads balanced within one of each other.
	r := rand.New(rand.NewPCG(3, 1))
	var p grouping.LeaderProblem
	for g := range 97 {
		id := grouping.MemberID(fmt.Sprint("m", g))
		p.Members = append(p.Members, grouping.Member{ID: id, Attrs: map[string]string{"organization": fmt.Sprint("o", r.IntN(40))}, Sets: map[string][]string{"languages": {"en"}}})
		p.Groups = append(p.Groups, []grouping.MemberID{id})
	}
	for l := range 20 {
		p.Leaders = append(p.Leaders, grouping.Leader{ID: fmt.Sprint("c", l), Capacity: 5, Attrs: map[string]string{"organization": "coordinator"}, Sets: map[string][]string{"languages": {"en"}}})
	}
	p.Share, p.Conflict = []string{"languages"}, []string{"organization"}
	got, err := grouping.AssignLeaders(context.Background(), p)
	require.NoError(t, err)
	assert.Empty(t, got.Unassigned)
	lo, hi := 99, 0
	for _, n := range got.Load {
		lo, hi = min(lo, n), max(hi, n)
	}
	assert.LessOrEqual(t, hi-lo, 1, "loads %v", got.Load)
}

// TestAssignLeadersLargeScores: scores at the bound are solved exactly in
// integers; beyond it they are refused, never a hang or a wrong answer.
func TestAssignLeadersLargeScores(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for trial := range 200 {
		G, L := 2+r.IntN(6), 2+r.IntN(4)
		var p grouping.LeaderProblem
		for g := range G {
			id := grouping.MemberID(fmt.Sprint("m", g))
			p.Members = append(p.Members, grouping.Member{ID: id})
			p.Groups = append(p.Groups, []grouping.MemberID{id})
		}
		for l := range L {
			p.Leaders = append(p.Leaders, grouping.Leader{ID: fmt.Sprint("L", l), Capacity: 1 + r.IntN(2)})
			for g := range G {
				p.Scores = append(p.Scores, grouping.LeaderScore{Leader: fmt.Sprint("L", l), Group: g, Score: math.Round((r.Float64() - 0.5) * 2e9)})
			}
		}
		got, err := grouping.AssignLeaders(context.Background(), p)
		require.NoError(t, err, "trial %d", trial)
		wantN, wantV := bruteLeaders(p, func(l, g int) bool { return true })
		n := 0
		for _, id := range got.Leaders {
			if id != "" {
				n++
			}
		}
		v := got.Score
		for _, k := range got.Load {
			v -= float64(k * (k - 1) / 2)
		}
		require.Equal(t, wantN, n, "trial %d", trial)
		require.InDelta(t, wantV, v, 1e-6*math.Abs(wantV)+1e-6, "trial %d", trial)
	}
	for _, s := range []float64{1e15, -1e308, math.Inf(1)} {
		p := grouping.LeaderProblem{Members: []grouping.Member{{ID: "a"}}, Groups: [][]grouping.MemberID{{"a"}},
			Leaders: []grouping.Leader{{ID: "x", Capacity: 1}}, Scores: []grouping.LeaderScore{{Leader: "x", Group: 0, Score: s}}}
		_, err := grouping.AssignLeaders(context.Background(), p)
		require.Error(t, err, "score %v", s)
		assert.Contains(t, err.Error(), "scores[0].score")
	}
	// A cancelled context stops the solve with its error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := grouping.AssignLeaders(ctx, grouping.LeaderProblem{Members: []grouping.Member{{ID: "a"}}, Groups: [][]grouping.MemberID{{"a"}}, Leaders: []grouping.Leader{{ID: "x", Capacity: 1}}})
	assert.ErrorIs(t, err, context.Canceled)
}
