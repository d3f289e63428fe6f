package grouping

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// Options tune the solver. The zero value works: a 2-second limit, seed 0,
// one thread.
type Options struct {
	// TimeLimit bounds the search; 0 means 2 seconds. A context deadline
	// that comes sooner wins. The solver is anytime: it returns the best
	// solution found when time is up.
	TimeLimit time.Duration `json:"time_limit,omitempty"`
	// Iterations, when above 0, stops the search after this many rounds of
	// perturbation and local search, whatever the time (then, on large
	// problems, polishes the best grouping in at most three passes); with a
	// seed it makes the result the same on every machine.
	Iterations int `json:"iterations,omitempty"`
	// Seed seeds the search; the same seed and iterations give the same
	// solution.
	Seed uint64 `json:"seed,omitempty"`
	// Threads runs independent searches with seeds Seed, Seed+1, ... and
	// keeps the best; 0 means 1, and more than 256 count as 256.
	Threads int `json:"threads,omitempty"`
	// SwapSample bounds the swap partners tried per member in each local
	// search pass; 0 tries every partner up to 600 members and, above,
	// 48 sampled partners, or 8 beside the groups of members alike on
	// the main similarity (one organization's staff) when the problem has
	// one: quicker to a good grouping, where 48 reaches further in a
	// search of a minute or more.
	SwapSample int `json:"swap_sample,omitempty"`
	// Starts bounds the first groupings the search builds, each improved
	// by local search, before it searches on from the one that places the
	// most members, then the highest objective; 0 means [DefaultStarts],
	// and more than [MaxStarts] count as MaxStarts. Without Iterations they share a tenth of the time
	// limit: as many are built as fit in it, at least one. More starts
	// place more members where languages and meeting times make placing
	// hard, at some cost to the objective, since the starts that place the
	// most are seldom those that score best (BENCHMARKS.md, "Late
	// acceptance": on county-sized problems at 10 s, over 15 runs, 32
	// starts left out 743 people where 8 left out 760, and scored 0.4%
	// lower). Pure pair problems (the MDGP) breed a population of their
	// own and ignore it.
	Starts int `json:"starts,omitempty"`
	// Start, when set, is a grouping to start from (a warm start): a
	// coordinator's draft, last year's groups. Its members go to their
	// groups first, in order, where the hard constraints allow; the search
	// places the rest and improves on it. It lists at most the problem's
	// group count of groups, each member at most once.
	Start [][]MemberID `json:"start,omitempty"`
	// Progress, when set, is called after the first feasible grouping and
	// then after every search round that finds a better one, at most about
	// five times a second, from the solver's goroutines (one call at a
	// time). It must return quickly. If it panics, Solve stops and returns
	// an internal error naming it.
	Progress func(Progress) `json:"-"`
}

// Progress reports a running search.
type Progress struct {
	// Placed counts members in a group in the best grouping so far.
	Placed int `json:"placed"`
	// Members counts the problem's members.
	Members int `json:"members"`
	// Objective is the best objective so far.
	Objective float64 `json:"objective"`
	// Iterations counts search rounds so far (of the reporting thread).
	Iterations int `json:"iterations"`
	// Elapsed is the time since the search began.
	Elapsed time.Duration `json:"elapsed"`
	// Remaining is the time left before the limit (0 with Iterations).
	Remaining time.Duration `json:"remaining"`
}

// progress throttles and serializes Progress calls across threads, keeping
// the best objective any thread has reported.
type progress struct {
	mu       sync.Mutex
	fn       func(Progress)
	start    time.Time
	deadline time.Time
	last     time.Time
	best     float64
	seen     bool
	iterated bool
}

func (p *progress) report(m *model, assign []int, obj float64, iter int) {
	if p == nil || p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := timeNow()
	if p.seen && (obj <= p.best+eps || now.Sub(p.last) < 200*time.Millisecond) {
		return
	}
	p.seen, p.best, p.last = true, obj, now
	placed := 0
	for u, g := range assign {
		if g >= 0 {
			placed += len(m.units[u])
		}
	}
	pr := Progress{Placed: placed, Members: m.n, Objective: obj, Iterations: iter, Elapsed: now.Sub(p.start)}
	if !p.iterated {
		pr.Remaining = max(0, p.deadline.Sub(now))
	}
	callForeign("the Progress function", func() { p.fn(pr) })
}

// Solve finds groups for p: every member ends in exactly one group or in
// the unplaced list with a reason, every hard constraint holds in every
// group (sizes below a minimum that cannot be reached are reported in
// Solution.Underfilled), and the solution carries its objective broken
// down by criterion and group, with explanations. Bad problems are a
// [bsk.CodeInvalid] error naming the problem.
//
// Solve never panics: a panic in the search (a bug) or in opts.Progress is
// returned as a [bsk.CodeInternal] error whose cause is a [*PanicError],
// with the seed, thread and search round that reproduce it in the message.
func Solve(ctx context.Context, p *Problem, opts Options) (sol *Solution, err error) {
	defer catch(&err, func() string { return fmt.Sprintf("grouping: solving (seed %d; %s)", opts.Seed, shape(p)) })
	start := time.Now()
	limit := opts.TimeLimit
	if limit <= 0 {
		limit = 2 * time.Second
	}
	deadline := start.Add(limit)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := checkStart(p, opts.Start); err != nil {
		return nil, err
	}
	threads := min(max(1, opts.Threads), maxThreads)
	prog := &progress{fn: opts.Progress, start: start, deadline: deadline, iterated: opts.Iterations > 0}
	// A thread that panics cancels the others and its error is returned.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]threadResult, threads)
	var wg sync.WaitGroup
	for t := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each thread owns its aggregates.
			results[t] = runThread(ctx, cancel, func() (*model, error) { return compile(p) }, p, opts, t, threads, deadline, prog)
		}()
	}
	wg.Wait()
	best := -1
	iters := 0
	for t, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		iters += r.iters
		if best < 0 || r.obj > results[best].obj+1e-9 {
			best = t
		}
	}
	r := results[best]
	sol = explain(r.m, r.assign, r.why)
	if p.Leading != nil {
		// The flow is quick and exact; it runs even when the search ended
		// at the context's deadline.
		if err := assignLeaders(context.WithoutCancel(ctx), p, sol); err != nil {
			return nil, err
		}
	}
	sol.Seed = opts.Seed + uint64(best)
	sol.Iterations = iters
	sol.Seconds = time.Since(start).Seconds()
	return sol, nil
}

// maxThreads bounds Options.Threads.
const maxThreads = 256

// threadResult is what one search thread found.
type threadResult struct {
	assign []int
	obj    float64
	iters  int
	err    error
	m      *model
	why    map[int]Reason
}

// runThread builds thread t's model and runs its search. A panic in either
// (a bug, or the caller's Progress function) becomes the result's error,
// an internal error naming the seed and the search round, and cancels the
// other threads through cancel.
func runThread(ctx context.Context, cancel context.CancelFunc, build func() (*model, error), p *Problem, opts Options, t, threads int, deadline time.Time, prog *progress) (res threadResult) {
	seed := opts.Seed + uint64(t)
	var r *search
	defer func() {
		if v := recover(); v != nil {
			round := "while building the model"
			switch {
			case r != nil && r.round == 0:
				round = "while building the first grouping (search round 0)"
			case r != nil:
				round = fmt.Sprintf("in search round %d", r.round)
			}
			res = threadResult{err: recovered(v, fmt.Sprintf("grouping: the search with seed %d (thread %d of %d, options seed %d) panicked %s; "+
				"iterations %d, time limit %v, swap sample %d; %s", seed, t, threads, opts.Seed, round, opts.Iterations, opts.TimeLimit, opts.SwapSample, shape(p)))}
			cancel()
		}
	}()
	m, err := build()
	if err != nil {
		return threadResult{err: err}
	}
	r = &search{m: m, rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), deadline: deadline, ctx: ctx,
		maxIter: opts.Iterations, sample: opts.SwapSample, progress: prog, start: startUnits(m, opts.Start), begin: timeNow(), starts: startsOf(opts)}
	assign, obj, iters := r.run()
	return threadResult{assign, obj, iters, nil, m, r.unplaced}
}

type search struct {
	m        *model
	rng      *rand.Rand
	deadline time.Time
	ctx      context.Context
	maxIter  int
	sample   int
	unplaced map[int]Reason
	progress *progress
	mark     []int // per group: gen when last visited in a neighborhood
	order    []int // localSearch's list of units to visit, reused
	gen      int
	stranded []int       // units construction left out that a later state may admit
	start    [][]int     // the warm start's units by group, nil without one
	round    int         // the search round under way, from 1; 0 while constructing
	begin    time.Time   // when the search began, for moreStarts' share of the time
	starts   int         // first groupings to build (see moreStarts)
	pairs    []pairCount // the Share checks' value pairs (sharingBoth), counted once
}

const eps = 1e-9

func (r *search) done(iter int) bool {
	if r.maxIter > 0 {
		return iter >= r.maxIter || r.ctx.Err() != nil
	}
	return r.ctx.Err() != nil || timeNow().After(r.deadline)
}

var timeNow = time.Now

// run builds a solution and improves it by iterated local search: local
// search to a local optimum over moves and swaps, then a perturbation of
// the current solution by random swaps whose strength grows while the
// search stalls. A round's result becomes the current solution when late
// acceptance admits it (see lateAcceptance); the best solution found is
// kept apart and returned.
func (r *search) run() ([]int, float64, int) {
	s := newState(r.m)
	r.construct(s)
	s.obj = s.objective()
	if r.m.pure() {
		return r.runPure(s)
	}
	r.localSearch(s, nil)
	s = r.moreStarts(s)
	best := slices.Clone(s.assign)
	bestObj := s.obj
	r.progress.report(r.m, best, bestObj, 0)
	nUnits := len(r.m.units)
	minK, maxK := 2, max(3, nUnits/6)
	if r.m.related != nil {
		minK = min(perturbFloor, maxK-1)
	}
	k := minK
	iter := 0
	touched := make([]bool, r.m.groups)
	// The state holds the current grouping, cur its objective; best and
	// bestLead keep the best grouping found. The journal keeps the changes
	// since the state was last accepted, so that returning there costs
	// what the round changed.
	bestLead := slices.Clone(s.lead)
	cur := bestObj
	late := newLateAcceptance(lateWindow(nUnits), cur)
	s.record()
	retryAt := 256
	closable := r.m.p.AllowFewerGroups && roomToClose(r.m)
	// Where the local search samples its partners, the search keeps the
	// last part of its time for a polish of the best grouping (with
	// Iterations, it polishes after the last round), and goes on from the
	// result while time is left.
	movable := movableUnits(r.m, s)
	polishAt, polished := time.Time{}, r.sampleSize(movable) >= movable
	if r.maxIter <= 0 {
		polishAt = r.deadline.Add(-r.deadline.Sub(r.begin) / polishShare)
	}
	for ; !r.done(iter); iter++ {
		r.round = iter + 1
		if !polished && r.maxIter <= 0 && timeNow().After(polishAt) {
			// The state is at the current grouping, nothing journaled.
			polished = true
			if cur < bestObj-eps {
				s.loadLed(best, bestLead)
			}
			s.logging = false
			r.polish(s, 0)
			if s.obj > bestObj+eps {
				copy(best, s.assign)
				copy(bestLead, s.lead)
				bestObj = s.obj
				r.progress.report(r.m, best, bestObj, iter+1)
			}
			cur = s.obj
			s.record()
			continue
		}
		clear(touched)
		if closable && r.rng.IntN(closeEvery) == 0 {
			r.closeGroup(s, touched)
		} else if r.m.blocks != nil && r.rng.IntN(3) == 0 {
			r.consolidate(s, touched)
		} else {
			r.perturb(s, k, touched)
		}
		r.localSearch(s, touched)
		if s.obj > bestObj+eps {
			copy(best, s.assign)
			copy(bestLead, s.lead)
			bestObj = s.obj
			r.progress.report(r.m, best, bestObj, iter+1)
		}
		if s.obj > cur+eps {
			k = minK
		} else if k++; k > maxK {
			k = minK
		}
		if late.accept(s.obj, cur, iter) {
			cur = s.obj
			s.record()
		} else {
			s.rewind(cur)
		}
		// Now and then, with the state at the current grouping (nothing
		// journaled), members left out get another chance; a placement
		// makes it the best, since placing comes before the objective.
		if len(r.stranded) > 0 && iter >= retryAt && len(s.journal) == 0 {
			retryAt = iter + 256
			s.logging = false
			if r.retryStranded(s, 4) {
				s.obj = s.objective()
				r.localSearch(s, nil)
				copy(best, s.assign)
				copy(bestLead, s.lead)
				bestObj, cur = s.obj, s.obj
				r.progress.report(r.m, best, bestObj, iter+1)
			}
			s.record()
		}
	}
	s.rewind(cur)
	if cur < bestObj-eps {
		s.loadLed(best, bestLead)
	}
	if !polished && r.maxIter > 0 {
		s.logging = false
		r.polish(s, polishPasses)
		if s.obj > bestObj+eps {
			copy(best, s.assign)
			bestObj = s.obj
		}
	}
	if r.dissolveUnderfilled(s) {
		copy(best, s.assign)
		bestObj = s.objective()
	}
	// The reasons of members still left out are given for the groups as
	// they end, not as construction found them.
	for _, u := range r.stranded {
		r.unplaced[u] = r.whyUnplaceable(s, u)
	}
	return best, bestObj, iter
}

// DefaultStarts is the first groupings the search builds when
// Options.Starts is 0, and MaxStarts the most it builds.
const (
	DefaultStarts = 8
	MaxStarts     = 256
)

// startShare is the part of the time limit the first groupings may take.
const startShare = 10

// startsOf is the number of first groupings opts asks for.
func startsOf(opts Options) int {
	if opts.Starts <= 0 {
		return DefaultStarts
	}
	return min(opts.Starts, MaxStarts)
}

// moreStarts builds further first groupings after s, each improved by
// local search, and returns the state of the best: the one that places
// the most members, and of those the highest objective. Construction is
// random, and on a county's workforce two constructions place up to ten
// members apart, a difference the search rarely closes (it places a
// member left out only where a move makes room). It builds r.starts in
// all with Iterations, so that the result stays the same on every
// machine, and otherwise as many as fit in a tenth of the time limit, at
// least one.
func (r *search) moreStarts(s *state) *state {
	type start struct {
		assign, lead []int
		obj          float64
		placed       int
		unplaced     map[int]Reason
		stranded     []int
	}
	snap := func(s *state, n int) start {
		return start{assign: slices.Clone(s.assign), lead: slices.Clone(s.lead), obj: s.obj, placed: n,
			unplaced: r.unplaced, stranded: slices.Clone(r.stranded)}
	}
	best := snap(s, placed(s))
	last := true // s holds best
	until := r.begin.Add(r.deadline.Sub(r.begin) / startShare)
	for range r.starts - 1 {
		if r.stop() || (r.maxIter <= 0 && timeNow().After(until)) {
			break
		}
		s = newState(r.m)
		r.construct(s)
		s.obj = s.objective()
		r.localSearch(s, nil)
		n := placed(s)
		last = n > best.placed || (n == best.placed && s.obj > best.obj+eps)
		if last {
			best = snap(s, n)
		}
	}
	r.unplaced, r.stranded = best.unplaced, best.stranded
	if !last {
		s.loadLed(best.assign, best.lead)
	}
	return s
}

// placed counts the members in a group that will stand: one at or above
// its minimum, or any group when the problem allows groups below it.
func placed(s *state) int {
	n := 0
	for g, k := range s.sizes {
		if k >= s.m.bounds[g].Min || s.m.p.AllowUnderfilled {
			n += k
		}
	}
	return n
}

// dissolveUnderfilled keeps sizes hard unless the problem allows groups
// below their minimum: the members of a group that could not reach its
// minimum move to groups at or above theirs where every constraint
// allows, or are left out with [ReasonBelowMinimum]. It reports whether
// it changed the state.
func (r *search) dissolveUnderfilled(s *state) bool {
	if r.m.p.AllowUnderfilled {
		return false
	}
	type out struct {
		u      int
		reason Reason
	}
	var outs []out
	for g := range r.m.groups {
		b := r.m.bounds[g]
		if s.sizes[g] == 0 || s.sizes[g] >= b.Min {
			continue
		}
		reason := Reason{Code: ReasonBelowMinimum, Params: map[string]string{
			"group": itoa(g), "size": itoa(s.sizes[g]), "min": itoa(b.Min), "allow": "allow_underfilled"}}
		for _, u := range slices.Clone(s.members[g]) {
			s.unplace(u)
			outs = append(outs, out{u, reason})
		}
	}
	if len(outs) == 0 {
		return false
	}
	for _, o := range outs {
		bestH, bestD := -1, math.Inf(-1)
		for h := range r.m.groups {
			if s.sizes[h] < r.m.bounds[h].Min {
				continue // empty, or dissolved: joining would not reach the minimum
			}
			if d, ok := s.moveDelta(o.u, h, false); ok && d > bestD {
				bestH, bestD = h, d
			}
		}
		if bestH >= 0 {
			s.place(o.u, bestH)
			delete(r.unplaced, o.u)
		} else {
			r.unplaced[o.u] = o.reason
		}
	}
	s.obj = s.objective()
	return true
}

// construct places units: pinned first, then the most constrained, each
// into the feasible group that most needs members.
func (r *search) construct(s *state) {
	r.unplaced = map[int]Reason{}
	var stranded []int // units construction found no room for
	units := r.rng.Perm(len(r.m.units))
	for _, u := range units {
		if g := r.m.pin[u]; g >= 0 {
			s.place(u, g)
			if !s.checksOK(g, -1) || s.cannotIn(u, g, -1) || s.sizes[g] > r.m.bounds[g].Max {
				s.unplace(u)
				r.unplaced[u] = Reason{Code: "pin_breaks_constraint", Params: map[string]string{"group": itoa(g)}}
			}
		}
	}
	r.precheckShare(s)
	// The caller's warm start, where the hard constraints allow.
	r.warm(s, r.start)
	// Units with a preferred group (a re-grouping's previous
	// group) go there first, where it is feasible.
	if r.m.prefer != nil {
		byGroup := make([][]int, r.m.groups)
		for _, u := range units {
			best, score := -1, 0.0
			for _, p := range r.m.prefer.prefs[u] {
				if p.Score > score {
					best, score = p.Group, p.Score
				}
			}
			if best >= 0 {
				byGroup[best] = append(byGroup[best], u)
			}
		}
		r.warm(s, byGroup)
	}
	// Units go in random order, except that units alike on the main
	// similarity (one organization's staff) come one after another, so
	// that they fill groups together. Seeding groups with the most
	// constrained members first was tried: it narrows the groups' shared
	// values and strands more members.
	if r.m.related != nil {
		first := make([]int, len(r.m.units)) // a group's position: its first unit's
		for i := range first {
			first[i] = -1
		}
		pos := make([]int, len(r.m.units))
		for i, u := range units {
			pos[u] = i
		}
		key := make([]int, len(r.m.units))
		for _, u := range units {
			k := pos[u]
			if rel := r.m.relatedTo(u); len(rel) > 0 {
				k = len(units)
				for _, v := range rel {
					k = min(k, pos[v])
				}
			}
			key[u] = k
		}
		// Within a block, members alike on the hard constraints come
		// together (as a coordinator sorts an agency's staff by role,
		// language and time), so that the groups they fill can hold them.
		prof := make([]string, len(r.m.units))
		for _, u := range units {
			prof[u] = r.profile(u)
		}
		slices.SortStableFunc(units, func(a, b int) int {
			if key[a] != key[b] {
				return key[a] - key[b]
			}
			return strings.Compare(prof[a], prof[b])
		})
	}
	// Large problems look only at the groups that hold related units, the
	// groups below their minimum and one empty group: the groups a full
	// scan would choose from, since a group below its minimum comes first
	// and a related one scores best. They look at every group when none of
	// those admits the unit.
	var near, open []int
	var empty []int // empty groups, in order
	if r.m.related != nil {
		for h := range r.m.groups {
			if s.sizes[h] == 0 {
				empty = append(empty, h)
			}
		}
		slices.Reverse(empty)
	}
	for _, u := range units {
		if _, out := r.unplaced[u]; out || s.assign[u] >= 0 || r.m.pin[u] >= 0 {
			continue
		}
		bestH, bestNeed, bestD := -1, math.MinInt, math.Inf(-1)
		try := func(h int) {
			if s.sizes[h] == 0 {
				s.fitEmpty(u, h)
			}
			d, ok := s.moveDelta(u, h, false)
			if !ok {
				return
			}
			need := r.m.bounds[h].Min - s.sizes[h]
			if need > 0 {
				need = 1 << 20 // below minimum: fill first
			} else {
				need = r.m.bounds[h].Max - s.sizes[h]
			}
			if need > bestNeed || (need == bestNeed && d > bestD) {
				bestH, bestNeed, bestD = h, need, d
			}
		}
		if r.m.related != nil {
			near = near[:0]
			for _, v := range r.m.relatedTo(u) {
				if h := s.assign[v]; h >= 0 && !slices.Contains(near, h) {
					near = append(near, h)
				}
			}
			for len(empty) > 0 && s.sizes[empty[len(empty)-1]] > 0 {
				open = append(open, empty[len(empty)-1])
				empty = empty[:len(empty)-1]
			}
			open = slices.DeleteFunc(open, func(h int) bool { return s.sizes[h] >= r.m.bounds[h].Min })
			for _, h := range open {
				if !slices.Contains(near, h) {
					near = append(near, h)
				}
			}
			if len(empty) > 0 {
				near = append(near, empty[len(empty)-1])
			}
			for _, h := range near {
				try(h)
			}
		}
		if bestH < 0 {
			emptyTried := map[Bounds]bool{}
			for h := range r.m.groups {
				// Empty groups with the same bounds are alike: try one.
				if s.sizes[h] == 0 {
					if emptyTried[r.m.bounds[h]] {
						continue
					}
					emptyTried[r.m.bounds[h]] = true
				}
				try(h)
			}
		}
		if bestH < 0 {
			r.unplaced[u] = r.whyUnplaceable(s, u)
			stranded = append(stranded, u)
			continue
		}
		s.place(u, bestH)
	}
	r.reinsert(s, stranded)
	r.repairMinimum(s)
}

// warm places each group's listed units in it, in order, where the hard
// constraints allow. When the leaders can lead every group of the start
// whole, a matching gives them (leadStart), so that such a start stays
// whole; otherwise an empty group first takes a leader who can lead all
// its units, when one is free.
func (r *search) warm(s *state, groups [][]int) {
	if len(groups) == 0 {
		return
	}
	todos := make([][]int, len(groups))
	for g, us := range groups {
		for _, u := range us {
			if _, out := r.unplaced[u]; !out && s.assign[u] < 0 && r.m.pin[u] < 0 {
				todos[g] = append(todos[g], u)
			}
		}
	}
	s.leadStart(todos)
	for g, todo := range todos {
		if len(todo) == 0 {
			continue
		}
		if s.sizes[g] == 0 && !s.fitEmptyAll(todo, g) {
			s.fitEmpty(todo[0], g)
		}
		for _, u := range todo {
			if _, ok := s.moveDelta(u, g, false); ok {
				s.place(u, g)
			}
		}
	}
}

// profile describes unit u's first member by the values the hard
// constraints look at: the categorical value each Separate, Same or
// AtMost constraint reads, then the first value of each Share attribute.
func (r *search) profile(u int) string {
	mem := r.m.p.Members[r.m.units[u][0]]
	var b strings.Builder
	// Categorical values first (a role that must stay apart), then the
	// first value of each shared set.
	for _, share := range []bool{false, true} {
		for _, c := range r.m.p.Constraints {
			if (c.Kind == Share) != share {
				continue
			}
			if share {
				if v := mem.Sets[c.Attr]; len(v) > 0 {
					b.WriteString(v[0])
				}
			} else {
				b.WriteString(mem.Attrs[c.Attr])
			}
			b.WriteByte(0)
		}
	}
	return b.String()
}

// reinsert places units that construction stranded: directly into a
// group that admits them, or in place of a member who can move to another
// group with room (one ejection). Each try scans every group's members,
// so it stops at the time limit; the units not tried stay stranded with
// their reasons, for the search to try again.
func (r *search) reinsert(s *state, stranded []int) {
	r.stranded = r.stranded[:0]
	for i, u := range stranded {
		if r.stop() {
			r.stranded = append(r.stranded, stranded[i:]...)
			return
		}
		if r.placeDirect(s, u) || r.placeByEjection(s, u) {
			delete(r.unplaced, u)
		} else {
			r.stranded = append(r.stranded, u)
		}
	}
}

// retryStranded tries again to place a few of the units construction
// left out, now that the search has rearranged the groups, and reports
// whether it placed any. Placing a member comes before the objective: a
// placement stands even when it lowers the objective.
func (r *search) retryStranded(s *state, tries int) bool {
	placed := false
	for range min(tries, len(r.stranded)) {
		i := r.rng.IntN(len(r.stranded))
		u := r.stranded[i]
		if r.placeDirect(s, u) || r.placeByEjection(s, u) {
			delete(r.unplaced, u)
			r.stranded = slices.Delete(r.stranded, i, i+1)
			placed = true
		}
	}
	return placed
}

func (r *search) placeDirect(s *state, u int) bool {
	bestH, bestD := -1, math.Inf(-1)
	for h := range r.m.groups {
		if s.sizes[h] == 0 && !s.fitEmpty(u, h) {
			continue
		}
		if d, ok := s.moveDelta(u, h, false); ok && d > bestD {
			bestH, bestD = h, d
		}
	}
	if bestH < 0 {
		return false
	}
	s.place(u, bestH)
	return true
}

// placeByEjection puts u into a group h in place of a member v, and v
// into another group with room, when every constraint allows.
func (r *search) placeByEjection(s *state, u int) bool {
	if r.m.pin[u] >= 0 {
		return false
	}
	members := make([][]int, r.m.groups)
	for v, g := range s.assign {
		if g >= 0 {
			members[g] = append(members[g], v)
		}
	}
	k := s.unitSize(u)
	for h := range r.m.groups {
		for _, v := range members[h] {
			if r.m.pin[v] >= 0 || s.unitSize(v) != k || !s.admits(u, h, v) || s.cannotIn(u, h, v) {
				continue
			}
			s.unplace(v)
			s.place(u, h)
			if s.checksOK(h, -1) {
				for h2 := range r.m.groups {
					if h2 == h {
						continue
					}
					if _, ok := s.moveDelta(v, h2, false); ok {
						s.place(v, h2)
						return true
					}
				}
			}
			s.unplace(u)
			s.place(v, h)
		}
	}
	return false
}

// precheckShare leaves out units that cannot share a value of a Share
// attribute with enough others to fill even the smallest group: no
// assignment could place them.
func (r *search) precheckShare(s *state) {
	minMin := minSize(r.m)
	for _, c := range r.m.checks {
		cc, ok := c.(*catCheck)
		if !ok || cc.con.Kind != Share || minMin <= 1 {
			continue
		}
		holders := make([]int, cc.nv)
		for _, vals := range cc.vals {
			for _, v := range slices.Compact(slices.Sorted(slices.Values(vals))) {
				holders[v]++
			}
		}
		for u, vals := range cc.vals {
			if s.assign[u] >= 0 {
				continue
			}
			most := 0
			for _, v := range vals {
				most = max(most, holders[v])
			}
			if most < minMin {
				params := map[string]string{"constraint": string(Share), "attr": cc.con.Attr, "with": itoa(most - 1), "needed": itoa(minMin - 1)}
				if v := r.unitAttr(u, cc.con.Attr); v != "" {
					params["values"] = v
				}
				r.unplaced[u] = Reason{Code: "no_group_shares_" + cc.con.Attr, Params: params}
			}
		}
	}
}

// minSize is the smallest minimum size of m's groups.
func minSize(m *model) int {
	n := math.MaxInt
	for _, b := range m.bounds {
		n = min(n, b.Min)
	}
	return n
}

// maxPairValues bounds the value pairs sharingBoth counts (the product of
// two attributes' value counts), so that its table stays small.
const maxPairValues = 1 << 16

// sharingBoth is why unit u could join no group at all for want of
// others who share two Share attributes with it at once (a language and a
// meeting time), though each alone it shares with enough: a group's
// members all hold one value of each, so when fewer units than the
// smallest group hold both of some pair of u's values, none can hold u.
// It reads the pairs of u's values of each two Share checks, counted once
// per search (pairHolders). Units that share too little of one attribute
// alone are left out before construction (precheckShare).
func (r *search) sharingBoth(u int) (why Reason, ok bool) {
	minMin := minSize(r.m)
	if minMin <= 1 {
		return Reason{}, false
	}
	if r.pairs == nil {
		r.pairs = pairHolders(r.m)
	}
	for _, pc := range r.pairs {
		a, b := pc.a, pc.b
		most := 0
		for _, v := range a.vals[u] {
			for _, w := range b.vals[u] {
				most = max(most, pc.holders[v*b.nv+w])
			}
		}
		if most >= minMin {
			continue
		}
		params := map[string]string{"constraint": string(Share), "attr": a.con.Attr, "also": b.con.Attr,
			"with": itoa(max(0, most-1)), "needed": itoa(minMin - 1)}
		if v := r.unitAttr(u, a.con.Attr); v != "" {
			params["values"] = v
		}
		return Reason{Code: ReasonNoGroupSharesPrefix + a.con.Attr, Params: params}, true
	}
	return Reason{}, false
}

// pairCount counts, for two Share checks a and b, the units that hold
// each pair of values (v of a, w of b) at index v*b.nv+w.
type pairCount struct {
	a, b    *catCheck
	holders []int
}

// pairHolders counts the value pairs of every two Share checks of m whose
// table stays within maxPairValues. A unit of several members counts for
// a pair its members hold between them, which can only overcount: a unit
// left out for the pairs is left out by a true count too.
func pairHolders(m *model) []pairCount {
	var shares []*catCheck
	for _, c := range m.checks {
		if cc, ok := c.(*catCheck); ok && cc.con.Kind == Share {
			shares = append(shares, cc)
		}
	}
	out := []pairCount{}
	for i, a := range shares {
		for _, b := range shares[i+1:] {
			if a.nv*b.nv > maxPairValues {
				continue
			}
			holders := make([]int, a.nv*b.nv)
			seen := make([]int, a.nv*b.nv) // the last unit counted, plus one
			for u := range a.vals {
				for _, v := range a.vals[u] {
					for _, w := range b.vals[u] {
						if k := v*b.nv + w; seen[k] != u+1 {
							seen[k] = u + 1
							holders[k]++
						}
					}
				}
			}
			out = append(out, pairCount{a, b, holders})
		}
	}
	return out
}

// repairMinimum moves units into groups below their minimum from groups
// above theirs, where the constraints allow.
func (r *search) repairMinimum(s *state) {
	for g := range r.m.groups {
		for s.sizes[g] < r.m.bounds[g].Min {
			bestU, bestD := -1, math.Inf(-1)
			for u, h := range s.assign {
				if h < 0 || h == g || s.sizes[h]-s.unitSize(u) < r.m.bounds[h].Min {
					continue
				}
				if s.sizes[g] == 0 && !s.fitEmpty(u, g) {
					continue
				}
				if d, ok := s.moveDelta(u, g, true); ok && d > bestD {
					bestU, bestD = u, d
				}
			}
			if bestU < 0 {
				break
			}
			s.move(bestU, g, 0)
		}
	}
}

// whyUnplaceable names the hard constraint that keeps u out of every group
// with room, and says how many groups are full. When every group has a
// leader and no leader could lead u whatever the group (none shares a
// language with them, say), that is the reason, since no grouping of the
// members would place u: it names what would, a leader who can. Next, when
// too few others share two Share attributes with u at once
// (sharingBoth), no grouping would place u either, and that is the reason.
func (r *search) whyUnplaceable(s *state, u int) Reason {
	full := 0
	for h := range r.m.groups {
		if s.sizes[h]+s.unitSize(u) > r.m.bounds[h].Max {
			full++
		}
	}
	if why, ok := r.noLeaderFor(s, u); ok {
		if full > 0 {
			why.Params["full_groups"] = itoa(full)
		}
		return why
	}
	if why, ok := r.sharingBoth(u); ok {
		return why
	}
	blocked := map[string]int{}
	for h := range r.m.groups {
		if s.sizes[h]+s.unitSize(u) > r.m.bounds[h].Max {
			continue
		}
		if s.cannotIn(u, h, -1) {
			blocked["cannot_link"]++
			continue
		}
		if s.sizes[h] == 0 {
			s.fitEmpty(u, h)
		}
		s.raw(u, h, +1)
		for _, c := range r.m.checks {
			if !c.ok(h) {
				con := c.constraint()
				blocked[string(con.Kind)+":"+con.Attr]++
				break
			}
		}
		s.raw(u, h, -1)
	}
	if full == r.m.groups {
		return Reason{Code: "groups_full"}
	}
	worst, n := "", -1
	for k, v := range blocked {
		if v > n || (v == n && k < worst) {
			worst, n = k, v
		}
	}
	kind, attr, _ := strings.Cut(worst, ":")
	params := map[string]string{"constraint": kind}
	if attr != "" {
		params["attr"] = attr
	}
	if full > 0 {
		// The constraint blocks the groups with room; the others are full.
		params["full_groups"] = itoa(full)
	}
	vals := r.unitAttr(u, attr)
	if vals != "" {
		params["values"] = vals
	}
	code := "no_feasible_group"
	switch kind {
	case string(Share):
		code = "no_group_shares_" + attr
	case string(Same):
		code = "no_group_with_same_" + attr
	case "cannot_link":
		code = "cannot_link_everywhere"
	case string(leaderShare), string(leaderConflict):
		code = ReasonNoLeaderFits
	}
	return Reason{Code: code, Params: params}
}

func (r *search) unitAttr(u int, attr string) string {
	if attr == "" {
		return ""
	}
	var vals []string
	for _, i := range r.m.units[u] {
		mem := r.m.p.Members[i]
		if v, ok := mem.Attrs[attr]; ok {
			vals = append(vals, v)
		}
		vals = append(vals, mem.Sets[attr]...)
	}
	slices.Sort(vals)
	return strings.Join(slices.Compact(vals), ",")
}

// localSearch applies improving moves and swaps until none is left.
//
// With focus (large problems, after a perturbation) it looks only at the
// units of the groups marked in focus, then at those of the groups its own
// moves change, pass after pass. A pass lists only those units and draws
// random partners without listing the placed units, so that its cost
// follows the focus rather than the problem's size: at 10,000 providers
// the search makes about 40% more rounds in 10 s than when every pass
// walked all units (BENCHMARKS.md, "Passes that cost what they look at,
// and a chain move").
func (r *search) localSearch(s *state, focus []bool) {
	movable := movableUnits(r.m, s)
	sample := r.sampleSize(movable)
	full := sample >= movable
	var next []bool
	if !full {
		next = make([]bool, r.m.groups)
	} else {
		focus = nil
	}
	// units lists the movable members a pass visits: every one, or with
	// focus those of the groups marked, so that a pass costs what the
	// focus holds rather than the whole problem.
	units := r.order[:0]
	defer func() { r.order = units[:0] }()
	for pass := 0; pass < 1000; pass++ {
		if r.stop() {
			return
		}
		improved := false
		switch {
		case full && pass > 0:
			// Every pass visits every unit, in a new order.
		case focus == nil:
			units = units[:0]
			for u, g := range s.assign {
				if g >= 0 && r.m.pin[u] < 0 {
					units = append(units, u)
				}
			}
		default:
			units = units[:0]
			for g, in := range focus {
				if in {
					for _, w := range s.members[g] {
						if r.m.pin[w] < 0 {
							units = append(units, w)
						}
					}
				}
			}
		}
		r.rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
		for _, u := range units {
			g0 := s.assign[u]
			if focus != nil && !focus[g0] {
				continue
			}
			bestD, bestH, bestV := eps, -1, -1
			if full {
				for h := range r.m.groups {
					if d, ok := s.moveDelta(u, h, true); ok && d > bestD {
						bestD, bestH, bestV = d, h, -1
					}
				}
				for _, v := range units {
					if s.assign[v] == s.assign[u] {
						continue
					}
					if d, ok := s.swapDelta(u, v); ok && d > bestD {
						bestD, bestH, bestV = d, -1, v
					}
				}
			} else {
				// Large problems (or a small swap sample). First the groups
				// of members alike on the main similarity (the same
				// organization, say), when the problem has one: moving
				// there, or swapping with any member there. Then random
				// partners: moving to their group, or swapping with them.
				// Sampling is decided here, by the movable members and the
				// sample; the model has related units only for large
				// problems with a main similarity, so a problem that mixes
				// organizations, or a small one with a small sample, samples
				// random partners alone.
				g := s.assign[u]
				if rel := r.m.relatedTo(u); len(rel) > 1 {
					if len(r.mark) != r.m.groups {
						r.mark = make([]int, r.m.groups)
					}
					r.gen++
					tried := 0
					start := r.rng.IntN(len(rel))
					for k := range len(rel) {
						// rel from start on, then from its beginning.
						i := start + k
						if i >= len(rel) {
							i -= len(rel)
						}
						h := s.assign[rel[i]]
						if h < 0 || h == g || r.mark[h] == r.gen {
							continue
						}
						r.mark[h] = r.gen
						if d, ok := s.moveDelta(u, h, true); ok && d > bestD {
							bestD, bestH, bestV = d, h, -1
						}
						// Swaps into h only where a value that h's members
						// but one share is u's (swapInPossible).
						if s.swapInPossible(u, h) {
							for _, w := range s.members[h] {
								if r.m.pin[w] >= 0 {
									continue
								}
								if d, ok := s.swapDelta(u, w); ok && d > bestD {
									bestD, bestH, bestV = d, -1, w
								}
							}
						}
						if tried++; tried >= 6 {
							break
						}
					}
				}
				for range sample / 2 {
					v := r.placedUnit(s)
					if v < 0 {
						break
					}
					h := s.assign[v]
					if h == g || h < 0 {
						continue
					}
					if d, ok := s.moveDelta(u, h, true); ok && d > bestD {
						bestD, bestH, bestV = d, h, -1
					}
					if d, ok := s.swapDelta(u, v); ok && d > bestD {
						bestD, bestH, bestV = d, -1, v
					}
				}
			}
			switch {
			case bestV >= 0:
				if next != nil {
					next[g0], next[s.assign[bestV]] = true, true
				}
				s.swap(u, bestV, bestD)
				improved = true
			case bestH >= 0:
				if next != nil {
					next[g0], next[bestH] = true, true
				}
				s.move(u, bestH, bestD)
				improved = true
			}
		}
		if !improved {
			return
		}
		if next != nil {
			// Later passes look only at the groups this pass changed.
			if focus == nil {
				focus = make([]bool, r.m.groups)
			}
			focus, next = next, focus
			clear(next)
		}
	}
}

// perturb makes k random feasible swaps or moves, marking the groups it
// changes in touched when touched is not nil.
func (r *search) perturb(s *state, k int, touched []bool) {
	var units, groups []int
	if r.m.related != nil {
		u := r.placedUnit(s)
		if u < 0 {
			return
		}
		units, groups = r.neighbourhood(s, u, perturbWider)
	} else {
		for u, g := range s.assign {
			if g >= 0 && r.m.pin[u] < 0 {
				units = append(units, u)
			}
		}
	}
	if len(units) < 2 {
		return
	}
	for done, tries := 0, 0; done < k && tries < 20*k; tries++ {
		if r.m.leads != nil && r.rng.IntN(8) == 0 {
			// Another leader for a group opens moves its own leader barred.
			g := s.assign[units[r.rng.IntN(len(units))]]
			if r.relead(s, g, touched) {
				done++
			}
			continue
		}
		u, v := units[r.rng.IntN(len(units))], units[r.rng.IntN(len(units))]
		if r.rng.IntN(4) == 0 {
			h := r.rng.IntN(r.m.groups)
			if groups != nil {
				h = groups[r.rng.IntN(len(groups))]
			}
			if d, ok := s.moveDelta(u, h, true); ok {
				if touched != nil {
					touched[s.assign[u]], touched[h] = true, true
				}
				s.move(u, h, d)
				done++
			}
			continue
		}
		if d, ok := s.swapDelta(u, v); ok {
			if touched != nil {
				touched[s.assign[u]], touched[s.assign[v]] = true, true
			}
			s.swap(u, v, d)
			done++
		}
	}
}

// placedUnit returns a placed, movable unit drawn at random, or -1 when
// there is none. It draws among all units and keeps the first that is
// placed and movable, so that a draw costs no list of the placed units;
// after a few misses it lists them.
func (r *search) placedUnit(s *state) int {
	for range 32 {
		if u := r.rng.IntN(len(s.assign)); s.assign[u] >= 0 && r.m.pin[u] < 0 {
			return u
		}
	}
	var units []int
	for u, g := range s.assign {
		if g >= 0 && r.m.pin[u] < 0 {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return -1
	}
	return units[r.rng.IntN(len(units))]
}

// movableUnits counts the units of s in a group and not pinned there.
func movableUnits(m *model, s *state) int {
	n := 0
	for u, g := range s.assign {
		if g >= 0 && m.pin[u] < 0 {
			n++
		}
	}
	return n
}

// sampleSize is the number of random swap partners the local search
// weighs per unit when movable units are placed: every one (the local
// search is then exhaustive) when it is at least movable.
func (r *search) sampleSize(movable int) int {
	if r.sample > 0 {
		return r.sample
	}
	switch {
	case movable <= 600:
		return movable
	case r.m.related != nil:
		// The groups of related units come first; a few random
		// partners are enough beside them, and more search rounds
		// gain more than more partners (BenchmarkCountySearch).
		return 8
	default:
		return 48
	}
}

// polishShare is the part of the time limit kept for the polish: the
// search's last 1/polishShare. polishPasses bounds the polish's passes
// when Options.Iterations bounds the search instead of the time.
const (
	polishShare  = 50
	polishPasses = 3
)

// polish improves s by a local search over every move and every swap,
// pass after pass until none improves it, stop says so, or, with
// passes > 0, after that many passes. Where the local search samples its
// partners (large problems), the best grouping it reaches is seldom a
// local optimum of the whole neighbourhood: on county-shaped problems at
// 2 s, a polish in the last 40 ms instead of search rounds raises the
// result by about 0.05% (BENCHMARKS.md, "A last local search over every
// partner"). Swaps into a group are weighed only where one can fit
// (swapInPossible), so a pass costs the moves to every group and the
// swaps with the members of the groups that could take the unit.
func (r *search) polish(s *state, passes int) {
	units := r.order[:0]
	for u, g := range s.assign {
		if g >= 0 && r.m.pin[u] < 0 {
			units = append(units, u)
		}
	}
	defer func() { r.order = units[:0] }()
	r.rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	for pass := 0; passes <= 0 || pass < passes; pass++ {
		improved := false
		for _, u := range units {
			if r.stop() {
				return
			}
			g := s.assign[u]
			bestD, bestH, bestV := eps, -1, -1
			for h := range r.m.groups {
				if h == g {
					continue
				}
				if d, ok := s.moveDelta(u, h, true); ok && d > bestD {
					bestD, bestH, bestV = d, h, -1
				}
				if s.sizes[h] == 0 || !s.swapInPossible(u, h) {
					continue
				}
				for _, w := range s.members[h] {
					if d, ok := s.swapDelta(u, w); ok && d > bestD {
						bestD, bestH, bestV = d, -1, w
					}
				}
			}
			switch {
			case bestV >= 0:
				s.swap(u, bestV, bestD)
				improved = true
			case bestH >= 0:
				s.move(u, bestH, bestD)
				improved = true
			}
		}
		if !improved {
			return
		}
	}
}

// lateWindow is how many search rounds back late acceptance looks on a
// problem of n units: a round's result is kept when it scores at least as
// well as the current solution, or as well as the current solution did
// that many rounds before. Keeping only improvements, the search stayed
// on the first local optimum its perturbations could not leave; looking
// back, it crosses plateaus and shallow dips. But a round changes one
// neighbourhood while the objective compared is the whole grouping's, and
// the more neighbourhoods a problem has, the more the whole gains over a
// fixed number of rounds: a fixed window would let ever deeper dips in.
// So the window is acceptReach / n rounds, from 2 to acceptWindow.
//
// Measured on reflective consultation problems (BENCHMARKS.md, "Late
// acceptance"): at 700 providers (a window of 50, 15 runs each) 0.50%
// higher at 2 s and 0.52% at 10 s than keeping only improvements, 0.62%
// at 2 s with [Problem.AllowFewerGroups]; at 2,000 providers and 2 s (17)
// 0.31-0.48% higher on three workforces, where 50 gave +0.5, -0.6 and
// -0.3%; at 10,000 providers and 10 s (3) -0.35 to +0.61%, where 50 gave
// -0.3 to -0.9%.
func lateWindow(n int) int { return min(acceptWindow, max(2, acceptReach/max(1, n))) }

// acceptWindow is the longest window of late acceptance, and acceptReach
// over the number of units the window below it (see lateWindow).
const (
	acceptWindow = 50
	acceptReach  = 35_000
)

// lateAcceptance is late acceptance hill climbing (Burke and Bykov, "The
// late acceptance hill-climbing heuristic", European Journal of
// Operational Research 258, 2017): it remembers the current objective of
// the last rounds, in a ring, and accepts a result that is no worse than
// the current objective or than the one remembered for this round's
// place in the ring. A remembered objective is raised, never lowered, so
// the threshold only rises while the search stalls.
type lateAcceptance struct{ hist []float64 }

func newLateAcceptance(window int, obj float64) *lateAcceptance {
	l := &lateAcceptance{hist: make([]float64, max(1, window))}
	for i := range l.hist {
		l.hist[i] = obj
	}
	return l
}

// accept reports whether round iter's result obj replaces the current
// solution, whose objective is cur, and remembers the current objective
// that follows.
func (l *lateAcceptance) accept(obj, cur float64, iter int) bool {
	i := iter % len(l.hist)
	ok := obj >= cur-eps || obj >= l.hist[i]-eps
	if ok {
		cur = obj
	}
	l.hist[i] = max(l.hist[i], cur)
	return ok
}

// perturbFloor is the fewest random swaps of a perturbation on large
// problems whose members are related (one agency's staff): the strength
// grows from here, not from 2, while the search stalls. There, a
// perturbation reshuffles an organization's neighbourhood of about a
// hundred members, and weaker ones seldom lead anywhere local search does
// not already reach: on county-shaped problems (700 providers) 30 scores
// 0.2-0.3% higher at 2 s and 10 s, and at 2,000 and 10,000 providers
// 0.15% and 0.8% higher on average over three workforces (BENCHMARKS.md,
// "A stronger first perturbation").
const perturbFloor = 30

// perturbWider is how many further organizations a perturbation's
// neighbourhood takes in (see neighbourhood).
const perturbWider = 2

// neighbourhood returns the movable units of the groups that hold u's
// related units (one organization's staff, say), widened by the groups
// that hold the related units of wider members drawn at random from
// those groups, and all those groups. A perturbation there reshuffles
// members the main similarity ties together. Within one organization's
// groups alone, the staff of another organization met there could only
// move among them, never toward their own organization's other groups;
// widened, both organizations can gather (BENCHMARKS.md, "A wider
// perturbation": 1.9% higher on county-sized problems at 2 s).
func (r *search) neighbourhood(s *state, u, wider int) (units, groups []int) {
	if len(r.mark) != r.m.groups {
		r.mark = make([]int, r.m.groups)
	}
	r.gen++
	add := func(h int) {
		if h < 0 || r.mark[h] == r.gen {
			return
		}
		r.mark[h] = r.gen
		groups = append(groups, h)
		for _, w := range s.members[h] {
			if r.m.pin[w] < 0 {
				units = append(units, w)
			}
		}
	}
	add(s.assign[u])
	for _, v := range r.m.relatedTo(u) {
		add(s.assign[v])
	}
	for range wider {
		if len(units) == 0 {
			break
		}
		v := units[r.rng.IntN(len(units))]
		for _, w := range r.m.relatedTo(v) {
			add(s.assign[w])
		}
	}
	return units, groups
}

// checkStart reports a warm start that does not fit p: more groups than
// p has, unknown members, members listed twice.
func checkStart(p *Problem, start [][]MemberID) error {
	if start == nil {
		return nil
	}
	var pr bsk.Problems
	if len(start) > p.Groups {
		pr.Add("start", "has %d groups; the problem has %d", len(start), p.Groups)
	}
	known := make(map[MemberID]bool, len(p.Members))
	for _, m := range p.Members {
		known[m.ID] = true
	}
	seen := map[MemberID]string{}
	for g, ids := range start {
		for i, id := range ids {
			f := bsk.Index(bsk.Index("start", g), i)
			switch {
			case !known[id]:
				pr.AddCode(bsk.CodeNotFound, f, "unknown member %q", id)
			case seen[id] != "":
				pr.AddCode(bsk.CodeConflict, f, "member %q is also in %s", id, seen[id])
			default:
				seen[id] = f
			}
		}
	}
	return pr.Err()
}

// startUnits turns a checked warm start into units by group, each unit
// once, in the order its first member is listed.
func startUnits(m *model, start [][]MemberID) [][]int {
	if start == nil {
		return nil
	}
	index := make(map[MemberID]int, m.n)
	for i, mem := range m.p.Members {
		index[mem.ID] = i
	}
	out := make([][]int, min(len(start), m.groups))
	seen := make([]bool, len(m.units))
	for g := range out {
		for _, id := range start[g] {
			i, ok := index[id]
			if !ok {
				continue
			}
			if u := m.unitOf[i]; u >= 0 && !seen[u] {
				seen[u] = true
				out[g] = append(out[g], u)
			}
		}
	}
	return out
}
