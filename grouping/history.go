package grouping

import (
	"fmt"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// PastGroup is one group of an earlier session, from attendance history:
// who sat together in which breakout room of which session.
type PastGroup struct {
	// Session names the earlier session, such as "2026-03".
	Session string `json:"session"`
	// Members are who sat in the group.
	Members []MemberID `json:"members"`
}

// MetBefore returns the pair scores that keep apart members who met in
// earlier sessions, as meeting-rotation tools do for a training's
// monthly breakout rooms: for each pair of members (of members) who sat
// in one of the past groups together, a score of -weight for every
// session they met in. Added to [Problem.Pairs], they make the search
// prefer new pairs over repeated ones, and pairs who met often over
// none; past members who are not among members (absent this session)
// are skipped. The pairs come in member order, each pair once.
//
//	ps, err := grouping.MetBefore(p.Members, history, grouping.RepeatWeight)
//	p.Pairs = append(p.Pairs, ps...)
//
// Errors, in [bsk.Errors]: "weight" when it is not a finite number at
// least 0, "/history/<i>/members/<j>" for an empty ID
// ([bsk.CodeInvalid]), and for a member listed twice in one session
// ([bsk.CodeConflict]); "/history/<i>" where the groups up to it seat
// more than [MaxHistoryPairs] pairs of members together
// ([bsk.CodeInvalid]).
func MetBefore(members []Member, history []PastGroup, weight float64) (_ []PairScore, err error) {
	defer catch(&err, func() string { return fmt.Sprintf("grouping: pairs who met before (%d past groups)", len(history)) })
	var pr bsk.Problems
	if math.IsNaN(weight) || math.IsInf(weight, 0) || weight < 0 {
		pr.Add("weight", "must be a finite number at least 0")
	}
	at := make(map[MemberID]int, len(members))
	for i, m := range members {
		if _, dup := at[m.ID]; !dup {
			at[m.ID] = i
		}
	}
	// where[session][member] is the past group a member sat in.
	type place struct{ group, index int }
	where := map[string]map[MemberID]place{}
	met := map[[2]int]int{}
	seated := 0 // pairs of members seated together, with repeats
	for g, pg := range history {
		seen := where[pg.Session]
		if seen == nil {
			seen = map[MemberID]place{}
			where[pg.Session] = seen
		}
		var here []int
		for j, id := range pg.Members {
			f := fmt.Sprintf("/history/%d/members/%d", g, j)
			if id == "" {
				pr.Add(f, "is required")
				continue
			}
			if p, dup := seen[id]; dup {
				pr.AddCode(bsk.CodeConflict, f, "member %q sits twice in session %q (also /history/%d/members/%d)", id, pg.Session, p.group, p.index)
				continue
			}
			seen[id] = place{g, j}
			if i, ok := at[id]; ok {
				here = append(here, i)
			}
		}
		slices.Sort(here)
		if seated += len(here) * (len(here) - 1) / 2; seated > MaxHistoryPairs {
			pr.Add(fmt.Sprintf("/history/%d", g), "the history seats more than %d pairs of members together", MaxHistoryPairs)
			break
		}
		for x, a := range here {
			for _, b := range here[x+1:] {
				met[[2]int{a, b}]++
			}
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	keys := make([][2]int, 0, len(met))
	for k := range met {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	out := make([]PairScore, 0, len(keys))
	for _, k := range keys {
		out = append(out, PairScore{A: members[k[0]].ID, B: members[k[1]].ID, Score: -weight * float64(met[k])})
	}
	return out, nil
}

// MaxHistoryPairs is the most pairs of members the history given to
// [MetBefore] may seat together, counting a pair once per meeting: a
// year of monthly breakouts of 125 attendees in rooms of six seats about
// 4,000, and the bound keeps a hostile history (one room of everyone,
// many times) from exhausting memory.
const MaxHistoryPairs = 1_000_000

// RepeatWeight is a weight for [MetBefore] that outweighs the breakout
// preset's own criteria (mixed organizations and roles): a repeated pair
// costs more than any one pair's mix gains.
const RepeatWeight = 10
