package grouping

import (
	"fmt"
	"math"
	"slices"

	"github.com/beststarts/workforce/bsk"
)

// MemberID identifies a member of a grouping problem.
type MemberID string

// Member is someone to place in a group, described by attributes the
// constraints and criteria refer to by name.
type Member struct {
	// ID identifies the member.
	ID MemberID `json:"id"`
	// Attrs are categorical attributes by name, e.g. {"org": "org-017", "role": "supervisor"}.
	Attrs map[string]string `json:"attrs,omitempty"`
	// Sets are set-valued attributes by name, e.g. {"languages": ["en", "so"], "slots": ["tue-0900"]}.
	Sets map[string][]string `json:"sets,omitempty"`
	// Nums are numeric attributes by name, e.g. {"years": 4.5}.
	Nums map[string]float64 `json:"nums,omitempty"`
	// Pin fixes the member to a group, by index from 0.
	Pin *int `json:"pin,omitempty"`
}

// Bounds are a group's least and greatest size.
type Bounds struct {
	// Min is the least size, at least 0.
	Min int `json:"min"`
	// Max is the greatest size, at least Min and at least 1.
	Max int `json:"max"`
}

// ConstraintKind names a hard constraint.
type ConstraintKind string

// The hard constraints. Size bounds are always hard and come from the
// problem's bounds.
const (
	// Share: every group's members share at least one value of the set
	// attribute Attr (a language, a meeting slot).
	Share ConstraintKind = "share"
	// Same: every group's members have the same value of the categorical
	// attribute Attr (one organization).
	Same ConstraintKind = "same"
	// AtMost: a group holds at most Max members whose attribute Attr is Value.
	AtMost ConstraintKind = "at_most"
	// Separate: no group mixes two or more of Values of attribute Attr
	// (for example "supervisor" and "direct_service").
	Separate ConstraintKind = "separate"
)

var constraintKinds = []ConstraintKind{Share, Same, AtMost, Separate}

// Valid reports whether k is a known constraint kind.
func (k ConstraintKind) Valid() bool { return slices.Contains(constraintKinds, k) }

// Enum lists every constraint kind code.
func (ConstraintKind) Enum() []string {
	return []string{string(Share), string(Same), string(AtMost), string(Separate)}
}

// Constraint is a hard rule every group must keep.
type Constraint struct {
	// Kind is the rule.
	Kind ConstraintKind `json:"kind"`
	// Attr is the attribute it concerns.
	Attr string `json:"attr"`
	// Value is the attribute value AtMost counts.
	Value string `json:"value,omitempty"`
	// Values are the values Separate keeps apart.
	Values []string `json:"values,omitempty"`
	// Max is AtMost's limit.
	Max int `json:"max,omitempty"`
}

// CriterionKind names a soft criterion.
type CriterionKind string

// The soft criteria, in the spirit of CATME Team-Maker and GroupEng.
const (
	// Similar rewards pairs in a group that are alike on Attr: the same
	// categorical value, a shared value of a set attribute, or close
	// numeric values (negative squared difference).
	Similar CriterionKind = "similar"
	// Diverse rewards pairs that differ on Attr: different categorical
	// values, no shared set value, or distant numeric values.
	Diverse CriterionKind = "diverse"
	// Balance spreads a value evenly across groups: the count of members
	// whose Attr is Value, or the sum of numeric Attr (penalty: squared
	// deviation of each group's total from the average).
	Balance CriterionKind = "balance"
	// Isolation penalizes each member who is the only one in their group
	// with their value of Attr, among Values (all values when empty).
	Isolation CriterionKind = "isolation"
)

var criterionKinds = []CriterionKind{Similar, Diverse, Balance, Isolation}

// Valid reports whether k is a known criterion kind.
func (k CriterionKind) Valid() bool { return slices.Contains(criterionKinds, k) }

// Enum lists every criterion kind code.
func (CriterionKind) Enum() []string {
	return []string{string(Similar), string(Diverse), string(Balance), string(Isolation)}
}

// Criterion is a weighted soft goal.
type Criterion struct {
	// Name labels the criterion in explanations; defaults to kind:attr.
	Name string `json:"name,omitempty"`
	// Kind is the goal.
	Kind CriterionKind `json:"kind"`
	// Attr is the attribute it concerns.
	Attr string `json:"attr"`
	// Value is the categorical value Balance counts; empty with a numeric
	// Attr balances the sum.
	Value string `json:"value,omitempty"`
	// Values limits Isolation to these values.
	Values []string `json:"values,omitempty"`
	// Weight multiplies the criterion's score; it must be finite and at least 0.
	Weight float64 `json:"weight"`
}

func (c Criterion) label() string {
	if c.Name != "" {
		return c.Name
	}
	return string(c.Kind) + ":" + c.Attr
}

// Pair names two members.
type Pair struct {
	A MemberID `json:"a"`
	B MemberID `json:"b"`
}

// PairScore adds Score to the objective when A and B share a group
// (negative to keep them apart).
type PairScore struct {
	A     MemberID `json:"a"`
	B     MemberID `json:"b"`
	Score float64  `json:"score"`
}

// Preference adds Score to the objective when Member sits in Group (by
// index from 0). Re-grouping uses preferences to keep members where they
// were; a coordinator can use them to honour requests.
type Preference struct {
	Member MemberID `json:"member"`
	Group  int      `json:"group"`
	Score  float64  `json:"score"`
}

// Exclusion leaves a member out of the grouping, with the reason.
type Exclusion struct {
	Member MemberID `json:"member"`
	Reason Reason   `json:"reason"`
}

// Reason is a stable code with parameters.
type Reason struct {
	// Code is stable, e.g. "no_shared_language".
	Code string `json:"code"`
	// Params are values the text is rendered with.
	Params map[string]string `json:"params,omitempty"`
}

// Problem is a grouping problem: members, group count and size bounds,
// hard constraints, weighted soft criteria, and pairwise scores given
// either sparsely (Pairs) or as a dense matrix (Matrix, for problems that
// come as one, such as the Maximally Diverse Grouping Problem).
type Problem struct {
	// Members are the people to place.
	Members []Member `json:"members"`
	// Groups is the number of groups, at least 1.
	Groups int `json:"groups"`
	// Size bounds every group unless Bounds overrides it.
	Size Bounds `json:"size"`
	// Bounds, when set, gives each group its own bounds (one per group).
	Bounds []Bounds `json:"bounds,omitempty"`
	// Constraints must hold in every group.
	Constraints []Constraint `json:"constraints,omitempty"`
	// Criteria are weighted soft goals; the objective is their weighted sum.
	Criteria []Criterion `json:"criteria,omitempty"`
	// Pairs are explicit pair scores.
	Pairs []PairScore `json:"pairs,omitempty"`
	// Matrix, when set, is an n x n symmetric matrix of pair scores in
	// member order.
	Matrix [][]float64 `json:"matrix,omitempty"`
	// MustLink pairs share a group.
	MustLink []Pair `json:"must_link,omitempty"`
	// CannotLink pairs never share a group.
	CannotLink []Pair `json:"cannot_link,omitempty"`
	// Exclude leaves members out, with reasons.
	Exclude []Exclusion `json:"exclude,omitempty"`
	// Prefer scores members' places in particular groups.
	Prefer []Preference `json:"prefer,omitempty"`
	// Leading, when set, gives the groups leaders: only groups some
	// leader can lead are formed, and [Solution.Leaders] names each
	// group's leader.
	Leading *Leading `json:"leading,omitempty"`
	// AllowUnderfilled keeps groups below their minimum size when the
	// hard constraints let no one else in. Without it, sizes are hard: such
	// a group's members go to other groups where they fit, or are unplaced
	// with the reason [ReasonBelowMinimum]. With it, [Problem.Validate]
	// accepts fewer members to place than the groups' minimums add up to.
	AllowUnderfilled bool `json:"allow_underfilled,omitempty"`
	// AllowFewerGroups lets the search close groups it has formed: a
	// closed group's members move to other groups with room where every
	// hard constraint allows, so that fewer, fuller groups form where they
	// score higher. Closing leaves nobody out, but fuller groups leave
	// less room for the members the search places later. Objectives that
	// add up pair scores within groups rise with group size, so the groups
	// tend to their maximum: on county-shaped reflective consultation
	// problems (about 700 providers in groups of 6-8) about 85 groups form
	// where about 95 form without it, the objective is about 3.4% higher
	// and about 3 more people in 700 are left out (BENCHMARKS.md, "Closing
	// groups" and "Late acceptance").
	// Without it a group the search has formed empties only when a move
	// that gathers an organization's staff takes its last members.
	AllowFewerGroups bool `json:"allow_fewer_groups,omitempty"`
}

// MaxGroups is the most groups a problem may have. The solver keeps
// counts per group for every attribute value, so a group count far beyond
// any grouping's needs (a typo, a hostile request) would exhaust memory.
const MaxGroups = 100_000

// bounds returns group g's bounds.
func (p *Problem) bounds(g int) Bounds {
	if len(p.Bounds) > 0 {
		return p.Bounds[g]
	}
	return p.Size
}

// Validate reports every problem with p: an empty problem, bounds that no
// assignment can meet, more than [MaxGroups] groups, unknown member IDs in
// links, pins and exclusions, contradictory links, unknown kinds, NaN or
// infinite scores and weights.
func (p *Problem) Validate() (err error) {
	defer catch(&err, func() string { return "grouping: validating the problem" })
	var pr bsk.Problems
	n := len(p.Members)
	if n == 0 {
		pr.Add("members", "at least one member is required")
	}
	if p.Groups < 1 {
		pr.Add("groups", "at least one group is required")
	}
	if p.Groups > MaxGroups {
		pr.Add("groups", "%d groups is more than the %d a problem may have", p.Groups, MaxGroups)
	}
	index := make(map[MemberID]int, n)
	for i, m := range p.Members {
		f := bsk.Index("members", i)
		if m.ID == "" {
			pr.Add(f+".id", "is required")
		} else if j, dup := index[m.ID]; dup {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate member id %q (also members[%d])", m.ID, j)
		} else {
			index[m.ID] = i
		}
		if m.Pin != nil && (*m.Pin < 0 || *m.Pin >= p.Groups) {
			pr.Add(f+".pin", "group %d does not exist (0 to %d)", *m.Pin, p.Groups-1)
		}
		for k, v := range m.Nums {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				pr.Add(f+".nums."+k, "must be a finite number")
			}
		}
	}
	if len(p.Bounds) > 0 && len(p.Bounds) != p.Groups {
		pr.Add("bounds", "has %d entries for %d groups", len(p.Bounds), p.Groups)
	} else if p.Groups >= 1 && p.Groups <= MaxGroups {
		lo, hi := 0, 0
		for g := range p.Groups {
			b := p.bounds(g)
			f := "size"
			if len(p.Bounds) > 0 {
				f = bsk.Index("bounds", g)
			}
			if b.Min < 0 || b.Max < 1 || b.Max < b.Min {
				pr.Add(f, "bounds [%d, %d] are not 0 <= min <= max, max >= 1", b.Min, b.Max)
			}
			lo += b.Min
			hi += b.Max
		}
		placed := n - len(p.Exclude)
		switch {
		case placed > hi:
			pr.Add("size", "%d members to place is outside [%d, %d], the sum of the groups' minimum and maximum sizes", placed, lo, hi)
		case placed < lo && !p.AllowUnderfilled:
			pr.Add("size", "%d members to place is outside [%d, %d], the sum of the groups' minimum and maximum sizes (allow_underfilled keeps groups below their minimum)", placed, lo, hi)
		}
	}
	for i, c := range p.Constraints {
		f := bsk.Index("constraints", i)
		if !c.Kind.Valid() {
			pr.Add(f+".kind", "unknown constraint kind %q", c.Kind)
		}
		if c.Attr == "" {
			pr.Add(f+".attr", "is required")
		}
		if c.Kind == AtMost && (c.Value == "" || c.Max < 0) {
			pr.Add(f, "at_most needs a value and a max of at least 0")
		}
		if c.Kind == Separate && len(c.Values) < 2 {
			pr.Add(f+".values", "separate needs at least two values")
		}
	}
	for i, c := range p.Criteria {
		f := bsk.Index("criteria", i)
		if !c.Kind.Valid() {
			pr.Add(f+".kind", "unknown criterion kind %q", c.Kind)
		}
		if c.Attr == "" {
			pr.Add(f+".attr", "is required")
		}
		if math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) || c.Weight < 0 {
			pr.Add(f+".weight", "must be a finite number at least 0")
		}
	}
	checkPair := func(f string, a, b MemberID) {
		if _, ok := index[a]; !ok {
			pr.AddCode(bsk.CodeNotFound, f+".a", "unknown member %q", a)
		}
		if _, ok := index[b]; !ok {
			pr.AddCode(bsk.CodeNotFound, f+".b", "unknown member %q", b)
		}
		if a == b {
			pr.Add(f, "a member cannot be paired with themselves")
		}
	}
	for i, s := range p.Pairs {
		f := bsk.Index("pairs", i)
		checkPair(f, s.A, s.B)
		if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) {
			pr.Add(f+".score", "must be a finite number")
		}
	}
	if p.Matrix != nil {
		if len(p.Matrix) != n {
			pr.Add("matrix", "has %d rows for %d members", len(p.Matrix), n)
		}
		for i, row := range p.Matrix {
			if len(row) != len(p.Matrix) {
				pr.Add(bsk.Index("matrix", i), "has %d columns; want %d", len(row), len(p.Matrix))
				continue
			}
			// Symmetry is checked against whole rows only: a short row
			// is reported on its own.
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					pr.Add(fmt.Sprintf("matrix[%d][%d]", i, j), "must be a finite number")
				} else if j < i && len(p.Matrix[j]) == len(p.Matrix) && v != p.Matrix[j][i] {
					pr.Add(fmt.Sprintf("matrix[%d][%d]", i, j), "differs from matrix[%d][%d]: the matrix must be symmetric", j, i)
				}
			}
		}
	}
	for i, l := range p.MustLink {
		checkPair(bsk.Index("must_link", i), l.A, l.B)
	}
	for i, l := range p.CannotLink {
		checkPair(bsk.Index("cannot_link", i), l.A, l.B)
	}
	for i, pr2 := range p.Prefer {
		f := bsk.Index("prefer", i)
		if _, ok := index[pr2.Member]; !ok {
			pr.AddCode(bsk.CodeNotFound, f+".member", "unknown member %q", pr2.Member)
		}
		if pr2.Group < 0 || pr2.Group >= p.Groups {
			pr.Add(f+".group", "group %d does not exist (0 to %d)", pr2.Group, p.Groups-1)
		}
		if math.IsNaN(pr2.Score) || math.IsInf(pr2.Score, 0) {
			pr.Add(f+".score", "must be a finite number")
		}
	}
	if p.Leading != nil {
		p.Leading.validate(p, &pr)
	}
	excluded := map[MemberID]bool{}
	for i, e := range p.Exclude {
		if _, ok := index[e.Member]; !ok {
			pr.AddCode(bsk.CodeNotFound, bsk.Index("exclude", i)+".member", "unknown member %q", e.Member)
		}
		if e.Reason.Code == "" {
			pr.Add(bsk.Index("exclude", i)+".reason.code", "is required")
		}
		excluded[e.Member] = true
	}
	if pr.Len() == 0 {
		// Contradictions: a cannot-link inside a must-link component, or
		// two members of one component pinned to different groups.
		uf := newUnionFind(n)
		for _, l := range p.MustLink {
			uf.union(index[l.A], index[l.B])
		}
		for i, l := range p.CannotLink {
			if uf.find(index[l.A]) == uf.find(index[l.B]) {
				pr.Add(bsk.Index("cannot_link", i), "%q and %q are also linked by must_link", l.A, l.B)
			}
		}
		pins := map[int]int{}
		for i, m := range p.Members {
			if m.Pin == nil {
				continue
			}
			r := uf.find(i)
			if g, ok := pins[r]; ok && g != *m.Pin {
				pr.Add(bsk.Index("members", i)+".pin", "must-linked members are pinned to groups %d and %d", g, *m.Pin)
			}
			pins[r] = *m.Pin
		}
		for i, l := range p.MustLink {
			if excluded[l.A] != excluded[l.B] {
				pr.Add(bsk.Index("must_link", i), "only one of %q and %q is excluded", l.A, l.B)
			}
		}
	}
	return pr.Err()
}

type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra < rb {
		u[rb] = ra
	} else if rb < ra {
		u[ra] = rb
	}
}
