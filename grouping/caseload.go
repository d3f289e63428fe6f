package grouping

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/internal/flow"
)

// ClinicianID identifies a clinician in a [Caseload].
type ClinicianID string

// CaseID identifies a case (a family) in a [Caseload].
type CaseID string

// Clinician takes cases up to a number of weekly hours.
type Clinician struct {
	// ID identifies the clinician.
	ID ClinicianID `json:"id"`
	// Languages are the languages the clinician serves families in.
	Languages []string `json:"languages"`
	// Hours is the clinician's weekly hours for cases, 0 to [MaxCaseHours].
	Hours int `json:"hours"`
}

// Case is a family or case to assign.
type Case struct {
	// ID identifies the case.
	ID CaseID `json:"id"`
	// Languages are the languages the family can be served in; a
	// clinician must speak one of them.
	Languages []string `json:"languages"`
	// Hours is the case's weekly hours, for each of its clinicians
	// (1 to [MaxCaseHours]).
	Hours int `json:"hours"`
	// Intensive marks complex, intensive needs: such cases are spread
	// evenly across clinicians.
	Intensive bool `json:"intensive,omitempty"`
	// Paired cases need two providers: both assigned, distinct
	// clinicians, or neither.
	Paired bool `json:"paired,omitempty"`
	// Current lists the clinicians who serve the case now (at most one,
	// two for a paired case); keeping the case with them earns the
	// problem's Continuity bonus for each.
	Current []ClinicianID `json:"current,omitempty"`
}

// Caseload asks for clinicians for cases: every case assigned whole (both
// providers of a paired case, on distinct clinicians), a clinician who
// speaks one of the case's languages, no clinician past their hours.
// Among assignments that staff the most provider places, the one with the
// least cost is sought: Spread times k for the k-th intensive case (from
// 0) a clinician takes, which spreads intensive cases evenly, less
// Continuity for each provider place kept with a current clinician.
type Caseload struct {
	// Clinicians are who may take cases.
	Clinicians []Clinician `json:"clinicians"`
	// Cases are the cases to assign.
	Cases []Case `json:"cases"`
	// Spread is the cost of each further intensive case a clinician
	// takes (the k-th, from 0, costs k times Spread); 0 means 10,
	// negative turns spreading off.
	Spread int `json:"spread,omitempty"`
	// Continuity is the bonus for each provider place kept with a current
	// clinician, 0 to [MaxCaseWeight]; 0 means none.
	Continuity int `json:"continuity,omitempty"`
}

// Limits of a [Caseload].
const (
	// MaxCaseHours is the most weekly hours of a clinician or a case.
	MaxCaseHours = 168
	// MaxCaseWeight is the largest Spread or Continuity.
	MaxCaseWeight = 1_000_000
	// MaxCaseloadPairs bounds cases times clinicians, which the solver's
	// network may hold as arcs.
	MaxCaseloadPairs = 4_000_000
)

// Reason codes of cases a [CaseloadPlan] leaves unassigned.
const (
	// ReasonNoLanguage: no clinician speaks any of the case's languages.
	// Params: "languages", the case's languages joined by ",".
	ReasonNoLanguage = "no_clinician_speaks_language"
	// ReasonCaseTooLong: clinicians speak the case's language, but none
	// has as many weekly hours as the case needs. Params: "hours", the
	// case's hours, and "most", the most hours of such a clinician.
	ReasonCaseTooLong = "case_hours_exceed_every_clinician"
	// ReasonNoSecondClinician: a paired case has only one clinician who
	// speaks its language with hours enough. Params: "clinician", that
	// clinician.
	ReasonNoSecondClinician = "no_second_clinician"
	// ReasonNoHoursLeft: clinicians could take the case, but their hours
	// went to other cases. Params: "hours", the case's hours, "needed",
	// the providers it needs, and "eligible", how many clinicians could
	// take it.
	ReasonNoHoursLeft = "no_hours_left"
)

// CaseloadPlan is the assignment of a [Caseload].
type CaseloadPlan struct {
	// Assigned gives each case (in problem order) its clinicians, in
	// ID order; empty for a case left unassigned.
	Assigned [][]ClinicianID `json:"assigned"`
	// Unassigned lists the cases left out, in problem order, with why.
	Unassigned []UnassignedCase `json:"unassigned"`
	// Load gives each clinician's load, in problem order.
	Load []ClinicianLoad `json:"load"`
	// Open counts the provider places (one per case, two per paired
	// case) left unstaffed.
	Open int `json:"open"`
	// Kept counts the provider places kept with a current clinician.
	Kept int `json:"kept"`
	// Cost is the plan's cost: spreading less continuity.
	Cost int64 `json:"cost"`
	// Bound is what no plan can beat: at least BoundOpen places open,
	// and with that many open a cost of at least BoundCost. It is the
	// min-cost flow's optimum with cases counted, not timed, against
	// clinicians' hours, and paired cases allowed half staffed (those
	// with two clinicians who may take them).
	BoundOpen int `json:"bound_open"`
	// BoundCost is the least cost of a plan with BoundOpen places open.
	BoundCost int64 `json:"bound_cost"`
	// Optimal reports that the plan meets the bound (Open == BoundOpen
	// and Cost == BoundCost), so no plan is better. When Open ==
	// BoundOpen, Cost - BoundCost bounds how much better one could be.
	Optimal bool `json:"optimal"`
}

// UnassignedCase is a case left out of a plan, with the reason.
type UnassignedCase struct {
	// Case is the case left out.
	Case CaseID `json:"case"`
	// Reason is one of the caseload reason codes, with its parameters.
	Reason Reason `json:"reason"`
}

// ClinicianLoad is one clinician's share of a plan.
type ClinicianLoad struct {
	// Clinician is whose load this is.
	Clinician ClinicianID `json:"clinician"`
	// Hours are the weekly hours taken, at most the clinician's.
	Hours int `json:"hours"`
	// Cases and Intensive count the cases taken, and the intensive ones.
	Cases     int `json:"cases"`
	Intensive int `json:"intensive"`
}

// need is the number of providers case c needs.
func (c *Case) need() int {
	if c.Paired {
		return 2
	}
	return 1
}

// spread returns the cost of each further intensive case.
func (p *Caseload) spread() int64 {
	switch {
	case p.Spread == 0:
		return 10
	case p.Spread < 0:
		return 0
	}
	return int64(p.Spread)
}

// Validate reports every problem with the caseload, naming the field:
// missing or duplicate IDs (duplicates are [bsk.CodeConflict]), hours out
// of range, cases without languages, current clinicians that do not exist
// ([bsk.CodeNotFound]) or more of them than the case needs, weights out of
// range, and a problem too large.
func (p Caseload) Validate() (err error) {
	defer catch(&err, func() string { return "grouping: validating the caseload" })
	var pr bsk.Problems
	if len(p.Clinicians) == 0 {
		pr.Add("clinicians", "at least one clinician is required")
	}
	if len(p.Clinicians) > 0 && len(p.Cases) > MaxCaseloadPairs/len(p.Clinicians) {
		pr.Add("cases", "%d cases and %d clinicians is more than the %d case-clinician pairs a caseload may have", len(p.Cases), len(p.Clinicians), MaxCaseloadPairs)
	}
	if p.Spread > MaxCaseWeight {
		pr.Add("spread", "must be at most %d", MaxCaseWeight)
	}
	if p.Continuity < 0 || p.Continuity > MaxCaseWeight {
		pr.Add("continuity", "must be 0 to %d", MaxCaseWeight)
	}
	langs := func(f string, l []string) {
		if len(l) == 0 {
			pr.Add(f, "at least one language is required")
		}
		for k, s := range l {
			if strings.TrimSpace(s) == "" {
				pr.Add(bsk.Index(f, k), "must not be blank")
			}
		}
	}
	clin := make(map[ClinicianID]int, len(p.Clinicians))
	for i, c := range p.Clinicians {
		f := bsk.Index("clinicians", i)
		if c.ID == "" {
			pr.Add(f+".id", "is required")
		} else if j, dup := clin[c.ID]; dup {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate clinician id %q (also clinicians[%d])", c.ID, j)
		} else {
			clin[c.ID] = i
		}
		langs(f+".languages", c.Languages)
		if c.Hours < 0 || c.Hours > MaxCaseHours {
			pr.Add(f+".hours", "must be 0 to %d", MaxCaseHours)
		}
	}
	cases := make(map[CaseID]int, len(p.Cases))
	for i, c := range p.Cases {
		f := bsk.Index("cases", i)
		if c.ID == "" {
			pr.Add(f+".id", "is required")
		} else if j, dup := cases[c.ID]; dup {
			pr.AddCode(bsk.CodeConflict, f+".id", "duplicate case id %q (also cases[%d])", c.ID, j)
		} else {
			cases[c.ID] = i
		}
		langs(f+".languages", c.Languages)
		if c.Hours < 1 || c.Hours > MaxCaseHours {
			pr.Add(f+".hours", "must be 1 to %d", MaxCaseHours)
		}
		if len(c.Current) > c.need() {
			pr.Add(f+".current", "%d current clinicians for a case that needs %d", len(c.Current), c.need())
		}
		for k, id := range c.Current {
			cf := bsk.Index(f+".current", k)
			if _, ok := clin[id]; !ok {
				pr.AddCode(bsk.CodeNotFound, cf, "no clinician %q", id)
			} else if slices.Index(c.Current, id) < k {
				pr.Add(cf, "clinician %q is listed twice", id)
			}
		}
	}
	return pr.Err()
}

// caseState is the solver's view of a caseload: who may take what, and
// the plan so far.
type caseState struct {
	p        *Caseload
	spread   int64
	eligible [][]int // clinicians who speak case i's language and have its hours
	current  []map[int]bool
	on       [][]int // case i's clinicians
	hours    []int   // hours taken per clinician
	intense  []int   // intensive cases per clinician
}

// AssignCases assigns the caseload's cases to its clinicians; see
// [Caseload] for the rules and the objective. It first solves a min-cost
// flow that counts cases against hours (each clinician takes at most as
// many as the shortest of their possible cases would fill) and lets a
// paired case go half staffed: its optimum is the plan's bound. When that
// flow's plan keeps every clinician's hours and staffs every paired case
// whole, it is the plan, exactly optimal (always so when all cases take
// the same hours and none is paired). Otherwise, when hours bind, the
// flow is solved again (at most twice) with the counts of the clinicians
// it overloaded lowered and shorter cases preferred; then half-staffed
// pairs get a second clinician or none, a clinician still over their
// hours hands a case to another clinician or gives one up, open cases are
// placed where cheapest (shortest first, making room by moving one case
// if need be), and single places move while that lowers the cost. The
// plan reports the gap to the bound. The result is deterministic.
//
// Errors: [bsk.CodeInvalid], [bsk.CodeConflict] or [bsk.CodeNotFound] from
// [Caseload.Validate]; ctx's error; [bsk.CodeInternal] for a bug (a panic
// is recovered into one, as everywhere in the package).
func AssignCases(ctx context.Context, p Caseload) (_ *CaseloadPlan, err error) {
	defer catch(&err, func() string {
		return fmt.Sprintf("grouping: assigning cases (%d cases, %d clinicians)", len(p.Cases), len(p.Clinicians))
	})
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s := newCaseState(&p)
	boundOpen, boundCost, err := s.solve(ctx)
	if err != nil {
		return nil, err
	}
	s.repair()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.plan(boundOpen, boundCost), nil
}

func newCaseState(p *Caseload) *caseState {
	C := len(p.Clinicians)
	s := &caseState{p: p, spread: p.spread(), hours: make([]int, C), intense: make([]int, C),
		eligible: make([][]int, len(p.Cases)), current: make([]map[int]bool, len(p.Cases)), on: make([][]int, len(p.Cases))}
	idx := make(map[ClinicianID]int, C)
	for j, c := range p.Clinicians {
		idx[c.ID] = j
	}
	for i, cs := range p.Cases {
		for j, c := range p.Clinicians {
			if c.Hours >= cs.Hours && slices.ContainsFunc(cs.Languages, func(l string) bool { return slices.Contains(c.Languages, l) }) {
				s.eligible[i] = append(s.eligible[i], j)
			}
		}
		s.current[i] = map[int]bool{}
		for _, id := range cs.Current {
			s.current[i][idx[id]] = true
		}
	}
	return s
}

// placeCost is the cost of putting case i on clinician j now.
func (s *caseState) placeCost(i, j int) int64 {
	var c int64
	if s.p.Cases[i].Intensive {
		c += s.spread * int64(s.intense[j])
	}
	if s.current[i][j] {
		c -= int64(s.p.Continuity)
	}
	return c
}

// removeGain is the cost saved by taking case i off clinician j.
func (s *caseState) removeGain(i, j int) int64 {
	var c int64
	if s.p.Cases[i].Intensive {
		c += s.spread * int64(s.intense[j]-1)
	}
	if s.current[i][j] {
		c -= int64(s.p.Continuity)
	}
	return c
}

func (s *caseState) put(i, j int) {
	s.on[i] = append(s.on[i], j)
	s.hours[j] += s.p.Cases[i].Hours
	if s.p.Cases[i].Intensive {
		s.intense[j]++
	}
}

func (s *caseState) take(i, j int) {
	k := slices.Index(s.on[i], j)
	s.on[i] = slices.Delete(s.on[i], k, k+1)
	s.hours[j] -= s.p.Cases[i].Hours
	if s.p.Cases[i].Intensive {
		s.intense[j]--
	}
}

func (s *caseState) fits(i, j int) bool {
	return s.hours[j]+s.p.Cases[i].Hours <= s.p.Clinicians[j].Hours && !slices.Contains(s.on[i], j)
}

// staffable reports whether case i has as many clinicians who may take
// it as it needs; the flow leaves out the others.
func (s *caseState) staffable(i int) bool {
	return len(s.eligible[i]) >= s.p.Cases[i].need()
}

// countCaps returns each clinician's count capacity in the relaxation:
// the most of their possible cases their hours could hold.
func (s *caseState) countCaps() []int {
	p := s.p
	hours := make([][]int, len(p.Clinicians))
	for i, cs := range p.Cases {
		if !s.staffable(i) {
			continue
		}
		for _, j := range s.eligible[i] {
			hours[j] = append(hours[j], cs.Hours)
		}
	}
	caps := make([]int, len(p.Clinicians))
	for j, c := range p.Clinicians {
		caps[j] = fitCount(hours[j], c.Hours)
	}
	return caps
}

// fitCount sorts hours and returns how many of them, smallest first, fit
// in limit.
func fitCount(hours []int, limit int) int {
	slices.Sort(hours)
	n, sum := 0, 0
	for _, h := range hours {
		if sum+h > limit {
			break
		}
		sum += h
		n++
	}
	return n
}

// flow solves the min-cost flow with the given count capacities and
// returns the places it leaves open, its cost (with byHours, the hours'
// weight included) and each case's clinicians. Nodes: source, cases, classes, each clinician's intensive
// node and main node, sink. A paired case reaches each clinician who may
// take it by an arc of capacity 1, so its two places go to distinct
// clinicians. Single-provider cases alike in languages, hours and
// intensity share a class node, which reaches each clinician who may take
// them (far fewer arcs than a case-by-case network, and the same optimum:
// the cases of a class differ only in their current clinician, which each
// reaches directly at the continuity bonus). An intensive case reaches
// its clinician's main node through parallel arcs of increasing cost (the
// k-th costs k times Spread); the main node lets through at most caps[j]
// cases.
//
// With byHours, each case also costs its hours times a weight above any
// other cost: the flow keeps the most cases, then the fewest hours, then
// the least cost. That is the flow solved again once hours bind.
func (s *caseState) flow(ctx context.Context, caps []int, byHours bool) (int, int64, [][]int, error) {
	p := s.p
	N, C := len(p.Cases), len(p.Clinicians)
	// Classes of single-provider cases, in order of their first case.
	classOf := make([]int, N)
	var classFirst []int
	byKey := map[string]int{}
	for i, cs := range p.Cases {
		classOf[i] = -1
		if cs.Paired || !s.staffable(i) {
			continue
		}
		langs := slices.Clone(cs.Languages)
		slices.Sort(langs)
		key := fmt.Sprintf("%d|%t|%q", cs.Hours, cs.Intensive, slices.Compact(langs))
		k, ok := byKey[key]
		if !ok {
			k = len(classFirst)
			byKey[key] = k
			classFirst = append(classFirst, i)
		}
		classOf[i] = k
	}
	K := len(classFirst)
	src, sink := 0, 1+N+K+2*C
	cnode := func(k int) int { return 1 + N + k }
	inode := func(j int) int { return 1 + N + K + j }
	mnode := func(j int) int { return 1 + N + K + C + j }
	net := flow.New(N + K + 2*C + 2)
	into := func(i, j int) int {
		if p.Cases[i].Intensive {
			return inode(j)
		}
		return mnode(j)
	}
	places := 0
	type arc struct{ a, i, j int } // case (or class) i to clinician j
	var direct, shared []arc
	classSize := make([]int, K)
	classArc := make([]int, N) // each class member's arc into its class
	intensive := make([]int, C)
	for i, cs := range p.Cases {
		places += cs.need()
		if !s.staffable(i) {
			continue
		}
		var hourCost int64
		if byHours {
			hourCost = int64(cs.Hours) * s.hourWeight()
		}
		net.AddArc(src, 1+i, cs.need(), hourCost)
		bonus := -int64(p.Continuity)
		if k := classOf[i]; k >= 0 {
			classSize[k]++
			classArc[i] = net.AddArc(1+i, cnode(k), 1, 0)
			for j := range s.current[i] {
				if slices.Contains(s.eligible[i], j) {
					direct = append(direct, arc{net.AddArc(1+i, into(i, j), 1, bonus), i, j})
				}
			}
		} else {
			for _, j := range s.eligible[i] {
				var cost int64
				if s.current[i][j] {
					cost = bonus
				}
				direct = append(direct, arc{net.AddArc(1+i, into(i, j), 1, cost), i, j})
			}
		}
		if cs.Intensive {
			for _, j := range s.eligible[i] {
				intensive[j]++
			}
		}
	}
	for k, i := range classFirst {
		for _, j := range s.eligible[i] {
			shared = append(shared, arc{net.AddArc(cnode(k), into(i, j), classSize[k], 0), k, j})
		}
	}
	for j := range p.Clinicians {
		for k := range min(caps[j], intensive[j]) {
			net.AddArc(inode(j), mnode(j), 1, s.spread*int64(k))
		}
		net.AddArc(mnode(j), sink, caps[j], 0)
	}
	got, cost, err := net.Solve(ctx, src, sink, -1)
	if err != nil {
		return 0, 0, nil, err
	}
	on := make([][]int, N)
	for _, a := range direct {
		if net.FlowOn(a.a) > 0 {
			on[a.i] = append(on[a.i], a.j)
		}
	}
	// A class's flow to each clinician goes to its cases that sent a unit
	// into the class, in problem order.
	units := make([][]int, K) // per class: clinicians, one per unit, in arc order
	for _, a := range shared {
		for range net.FlowOn(a.a) {
			units[a.i] = append(units[a.i], a.j)
		}
	}
	for i := range p.Cases {
		k := classOf[i]
		if k < 0 || len(on[i]) > 0 || len(units[k]) == 0 {
			continue
		}
		if net.FlowOn(classArc[i]) > 0 {
			on[i] = append(on[i], units[k][0])
			units[k] = units[k][1:]
		}
	}
	return places - got, cost, on, nil
}

// hourWeight exceeds the spread and continuity costs of any plan.
func (s *caseState) hourWeight() int64 {
	w := int64(s.p.Continuity)
	for _, c := range s.p.Clinicians {
		k := int64(min(c.Hours, len(s.p.Cases)))
		w += s.spread * k * (k - 1) / 2
	}
	return 1 + 2*w
}

// maxFlowRounds bounds the flows solved again with tighter capacities.
const maxFlowRounds = 2

// solve takes the relaxation's optimum as the bound, then solves the flow
// again with the count capacity of each clinician it put over their hours
// lowered to the most of the cases it gave them that fit (and shorter
// cases preferred, see flow), until every
// clinician keeps their hours (or maxFlowRounds), and starts the plan
// from that flow.
func (s *caseState) solve(ctx context.Context) (int, int64, error) {
	p := s.p
	caps := s.countCaps()
	boundOpen, boundCost, on, err := s.flow(ctx, caps, false)
	if err != nil {
		return 0, 0, err
	}
	for round := 0; ; round++ {
		taken := make([][]int, len(p.Clinicians))
		for i, js := range on {
			for _, j := range js {
				taken[j] = append(taken[j], p.Cases[i].Hours)
			}
		}
		over := false
		for j, c := range p.Clinicians {
			sum := 0
			for _, h := range taken[j] {
				sum += h
			}
			if sum > c.Hours {
				caps[j] = fitCount(taken[j], c.Hours)
				over = true
			}
		}
		if !over || round == maxFlowRounds {
			break
		}
		if _, _, on, err = s.flow(ctx, caps, true); err != nil {
			return 0, 0, err
		}
	}
	for i, js := range on {
		for _, j := range js {
			s.put(i, j)
		}
	}
	return boundOpen, boundCost, nil
}

// repair makes the flow's plan keep every rule, then improves it.
func (s *caseState) repair() {
	p := s.p
	// Half-staffed pairs get a second clinician with hours for them, or
	// none.
	for i, cs := range p.Cases {
		if len(s.on[i]) == 0 || len(s.on[i]) == cs.need() {
			continue
		}
		if j := s.cheapest(i); j >= 0 {
			s.put(i, j)
		} else {
			s.drop(i)
		}
	}
	// Clinicians over their hours hand a case to another clinician with
	// hours for it (the cheapest such move), or else give up a case whole:
	// the longest, then the one whose loss costs least, then the later.
	for j, c := range p.Clinicians {
		for s.hours[j] > c.Hours {
			mk, mj, mcost := -1, -1, int64(0)
			for k := range p.Cases {
				if !slices.Contains(s.on[k], j) {
					continue
				}
				if j2, c2 := s.cheapestCost(k); j2 >= 0 {
					if d := c2 - s.removeGain(k, j); mk < 0 || d < mcost {
						mk, mj, mcost = k, j2, d
					}
				}
			}
			if mk >= 0 {
				s.take(mk, j)
				s.put(mk, mj)
				slices.Sort(s.on[mk])
				continue
			}
			best, bestKey := -1, [2]int64{}
			for k := range p.Cases {
				if !slices.Contains(s.on[k], j) {
					continue
				}
				key := [2]int64{-int64(p.Cases[k].Hours), -s.removeGain(k, j)}
				if best < 0 || key[0] < bestKey[0] || (key[0] == bestKey[0] && key[1] <= bestKey[1]) {
					best, bestKey = k, key
				}
			}
			s.drop(best)
		}
	}
	// Open cases go where cheapest, shortest first (the most places for
	// the hours); a single-provider case that fits nowhere may take the
	// place of a case that moves to another clinician.
	order := make([]int, 0, len(p.Cases))
	for i := range p.Cases {
		if len(s.on[i]) == 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return p.Cases[a].Hours - p.Cases[b].Hours })
	for _, i := range order {
		for len(s.on[i]) < p.Cases[i].need() {
			j := s.cheapest(i)
			if j < 0 {
				break
			}
			s.put(i, j)
		}
		if len(s.on[i]) < p.Cases[i].need() {
			s.drop(i)
			if !p.Cases[i].Paired {
				s.eject(i)
			}
		}
	}
	// Single places move while that lowers the cost.
	for range 2 * len(p.Clinicians) {
		moved := false
		for i := range p.Cases {
			for k := 0; k < len(s.on[i]); k++ {
				from := s.on[i][k]
				gain := s.removeGain(i, from)
				s.take(i, from)
				to, c := s.cheapestCost(i)
				if to >= 0 && c < gain {
					s.put(i, to)
					moved = true
				} else {
					s.put(i, from)
				}
				slices.Sort(s.on[i])
			}
		}
		if !moved {
			break
		}
	}
}

// eject places single-provider case i on a clinician j without the hours
// for it by moving one of j's cases, k, to another clinician with hours
// for k; it reports whether it found such a move (the first, in
// clinician and case order).
func (s *caseState) eject(i int) bool {
	p := s.p
	for _, j := range s.eligible[i] {
		room := p.Clinicians[j].Hours - s.hours[j]
		for k := range p.Cases {
			if k == i || p.Cases[k].Hours+room < p.Cases[i].Hours || !slices.Contains(s.on[k], j) {
				continue
			}
			for _, j2 := range s.eligible[k] {
				if j2 != j && s.fits(k, j2) {
					s.take(k, j)
					s.put(k, j2)
					slices.Sort(s.on[k])
					s.put(i, j)
					return true
				}
			}
		}
	}
	return false
}

// drop takes case i off all its clinicians.
func (s *caseState) drop(i int) {
	for len(s.on[i]) > 0 {
		s.take(i, s.on[i][0])
	}
}

// cheapest is the clinician who can take case i at least cost, -1 for none.
func (s *caseState) cheapest(i int) int {
	j, _ := s.cheapestCost(i)
	return j
}

func (s *caseState) cheapestCost(i int) (int, int64) {
	best, bestCost := -1, int64(0)
	for _, j := range s.eligible[i] {
		if !s.fits(i, j) {
			continue
		}
		if c := s.placeCost(i, j); best < 0 || c < bestCost {
			best, bestCost = j, c
		}
	}
	return best, bestCost
}

// plan reports the state, with each unassigned case's reason.
func (s *caseState) plan(boundOpen int, boundCost int64) *CaseloadPlan {
	p := s.p
	out := &CaseloadPlan{Assigned: make([][]ClinicianID, len(p.Cases)), Unassigned: []UnassignedCase{},
		Load: make([]ClinicianLoad, len(p.Clinicians)), BoundOpen: boundOpen, BoundCost: boundCost}
	for j, c := range p.Clinicians {
		out.Load[j] = ClinicianLoad{Clinician: c.ID, Hours: s.hours[j], Intensive: s.intense[j]}
	}
	for i, cs := range p.Cases {
		ids := []ClinicianID{}
		for _, j := range s.on[i] {
			ids = append(ids, p.Clinicians[j].ID)
			out.Load[j].Cases++
			if s.current[i][j] {
				out.Kept++
			}
		}
		slices.Sort(ids)
		out.Assigned[i] = ids
		if len(ids) == 0 {
			out.Open += cs.need()
			out.Unassigned = append(out.Unassigned, UnassignedCase{Case: cs.ID, Reason: s.reason(i)})
		}
	}
	out.Cost = CaseloadCost(*p, out.Assigned)
	out.Optimal = out.Open == out.BoundOpen && out.Cost == out.BoundCost
	return out
}

// reason says why case i is unassigned.
func (s *caseState) reason(i int) Reason {
	p := s.p
	cs := &p.Cases[i]
	most, speak := 0, false
	for _, c := range p.Clinicians {
		if slices.ContainsFunc(cs.Languages, func(l string) bool { return slices.Contains(c.Languages, l) }) {
			speak = true
			most = max(most, c.Hours)
		}
	}
	switch {
	case !speak:
		return Reason{Code: ReasonNoLanguage, Params: map[string]string{"languages": strings.Join(cs.Languages, ",")}}
	case len(s.eligible[i]) == 0:
		return Reason{Code: ReasonCaseTooLong, Params: map[string]string{"hours": strconv.Itoa(cs.Hours), "most": strconv.Itoa(most)}}
	case len(s.eligible[i]) < cs.need():
		return Reason{Code: ReasonNoSecondClinician, Params: map[string]string{"clinician": string(p.Clinicians[s.eligible[i][0]].ID)}}
	}
	return Reason{Code: ReasonNoHoursLeft, Params: map[string]string{"hours": strconv.Itoa(cs.Hours),
		"needed": strconv.Itoa(cs.need()), "eligible": strconv.Itoa(len(s.eligible[i]))}}
}

// CaseloadCost recomputes a plan's cost from scratch, independently of
// the solver: for each clinician, Spread times 0+1+...+(k-1) for k
// intensive cases, less Continuity for each place kept with a current
// clinician. assigned gives each case (in problem order) its clinicians;
// unknown IDs are ignored. It checks no rule; it is for tests and audits.
func CaseloadCost(p Caseload, assigned [][]ClinicianID) int64 {
	intense := map[ClinicianID]int64{}
	var cost int64
	for i, ids := range assigned {
		if i >= len(p.Cases) {
			break
		}
		cs := p.Cases[i]
		for _, id := range ids {
			if cs.Intensive {
				intense[id]++
			}
			if slices.Contains(cs.Current, id) {
				cost -= int64(p.Continuity)
			}
		}
	}
	sp := p.spread()
	for _, c := range p.Clinicians {
		k := intense[c.ID]
		cost += sp * k * (k - 1) / 2
	}
	return cost
}
