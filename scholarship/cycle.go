package scholarship

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/beststarts/workforce/bsk"
)

// Run is everything one cycle needs: the program, the cycle, the
// applications, the rules (built-in and agencies'), the rubric and the
// reviews, and the secret key of the decision records' inputs hashes.
type Run struct {
	Program      Program
	CycleID      string
	Applications []Application
	Rules        RuleSet[Application]
	Rubric       Rubric
	Reviews      []Review
	// HashKey keys each record's [InputsHash]: a secret of at least
	// [MinHashKeySize] bytes, the same for every cycle of a deployment
	// (see [NewHashKey]).
	HashKey []byte
}

// Result is a cycle's outcome: a verdict, score and decision record per
// application taken in (in input order), the ranking, the allocation, and
// the applications set aside at intake with why.
type Result struct {
	// SetAside lists the applications not taken in ([SkipAndReport]), in
	// input order; the other fields cover the rest.
	SetAside   []SetAside       `json:"set_aside"`
	Verdicts   []Verdict        `json:"verdicts"`
	Scores     []Score          `json:"scores"`
	Ranking    []string         `json:"ranking"`
	Allocation Allocation       `json:"allocation"`
	Records    []DecisionRecord `json:"records"`
	Equity     EquitySummary    `json:"equity"`
}

// DecisionRecord explains one application's decision to an auditor: the
// keyed hash of its inputs, the parameters in effect, the rules and
// versions applied, the outcome with every reason, the score breakdown and
// the allocation step. The same inputs and key give a byte-identical
// record.
//
// A record holds what its inputs imply, demographics among them (the
// score line of a criterion that reads them, the set-aside that funded the
// award): [DecisionRecord.WithoutDemographics] is the record for a reader
// who may not see the applicant's demographics.
type DecisionRecord struct {
	ApplicationID string `json:"application_id"`
	// InputsHash is the application's [InputsHash] under the run's key:
	// whoever holds the key and the application can check that the
	// record was made from it; nobody else learns anything from it.
	InputsHash string     `json:"inputs_hash"`
	ProgramID  string     `json:"program_id"`
	Cycle      Cycle      `json:"cycle"`
	Rules      []RuleInfo `json:"rules"`
	Outcome    Outcome    `json:"outcome"`
	Reasons    []Reason   `json:"reasons"`
	Score      Score      `json:"score"`
	Rank       int        `json:"rank"`
	// Step is "awarded", "waitlisted", or why the application was not funded.
	Step string `json:"step"`
	// Award is the award, when one was made.
	Award *Award `json:"award,omitempty"`
}

// JSON encodes the record canonically (struct order, sorted map keys).
func (r DecisionRecord) JSON() ([]byte, error) { return json.Marshal(r) }

// RunCycle runs a whole cycle: it takes the applications in under the
// program's [IntakePolicy] (an invalid application, a second application
// from one person or with one ID, or an application to another program or
// cycle is an error with [AllOrNothing] and set aside with its problems
// with [SkipAndReport]), evaluates every rule, scores, ranks, allocates and writes a
// decision record per application. A run without a hash key of at least
// [MinHashKeySize] bytes is an invalid-input error naming "hash_key".
func RunCycle(ctx context.Context, r Run) (Result, error) {
	if len(r.HashKey) < MinHashKeySize {
		return Result{}, bsk.Errors{bsk.Invalidf("hash_key", "a secret key of at least %d bytes is required to hash decision inputs (see NewHashKey)", MinHashKeySize)}
	}
	if err := r.Program.Validate(); err != nil {
		return Result{}, fmt.Errorf("program: %w", err)
	}
	c, err := r.Program.Cycle(r.CycleID)
	if err != nil {
		return Result{}, err
	}
	apps, setAside, err := intake(r.Program, c, r.Applications)
	if err != nil {
		return Result{}, err
	}
	verdicts := r.Rules.Evaluate(ctx, apps)
	scores, err := r.Rubric.Score(ctx, apps, r.Reviews)
	if err != nil && scores == nil {
		return Result{}, err
	}
	if err != nil {
		// A criterion failed: the affected scores are 0, so the applications
		// need review rather than being ranked on a partial score. The
		// reason carries the error's code only; its text, which may name
		// other applications, goes to the rule set's OnFailure.
		info := RuleInfo{Name: "rubric", Version: "1"}
		r.Rules.failed(info, err)
		for i := range verdicts {
			verdicts[i].add(Reason{Code: CodeCriterionFailed, Outcome: NeedsReview, Rule: info.Name, Version: info.Version,
				Params: map[string]string{"code": string(bsk.ErrorCode(err))}})
		}
	}
	order := Rank(apps, scores)
	ranked := make([]Candidate, len(order))
	res := Result{Verdicts: verdicts, Scores: scores, Ranking: make([]string, len(order)), Records: make([]DecisionRecord, len(apps)), SetAside: setAside}
	for k, i := range order {
		ranked[k].Application, ranked[k].Verdict = apps[i], verdicts[i]
		res.Ranking[k] = apps[i].ID
	}
	al, err := Allocate(c, ranked)
	if err != nil {
		return Result{}, err
	}
	res.Allocation = al
	// The allocation names applications by ID (unique once taken in) and
	// rank; the rank finds the application, and an index of IDs is made
	// only should an entry's rank not match its ID.
	var index map[string]int
	find := func(id string, rank int) (int, bool) {
		if rank >= 1 && rank <= len(order) && apps[order[rank-1]].ID == id {
			return order[rank-1], true
		}
		if index == nil {
			index = make(map[string]int, len(apps))
			for i := range apps {
				index[apps[i].ID] = i
			}
		}
		i, ok := index[id]
		return i, ok
	}
	rank := make([]int, len(apps))
	for k, i := range order {
		rank[i] = k + 1
	}
	steps := make([]string, len(apps))
	for _, list := range [][]Unfunded{al.Waitlist, al.Unfunded} {
		for _, u := range list {
			if i, ok := find(u.ApplicationID, u.Rank); ok {
				steps[i] = u.Code
			}
		}
	}
	awarded := make([]int, len(apps)) // 1 + the award's place in al.Awards
	for j, aw := range al.Awards {
		if i, ok := find(aw.ApplicationID, aw.Rank); ok {
			awarded[i] = j + 1
		}
	}
	info := r.Rules.Info()
	hasher := newHasher(r.HashKey)
	for i := range apps {
		a := &apps[i]
		// Built in place, field by field: a record holds the cycle, and
		// copying 100,000 of them shows (a composite literal is built
		// aside and copied).
		rec := &res.Records[i]
		rec.ApplicationID, rec.InputsHash, rec.ProgramID = a.ID, hasher.hash(a), r.Program.ID
		rec.Cycle, rec.Rules = c, info
		rec.Outcome, rec.Reasons, rec.Score, rec.Rank, rec.Step = verdicts[i].Outcome, verdicts[i].Reasons, scores[i], rank[i], steps[i]
		if j := awarded[i]; j > 0 {
			aw := al.Awards[j-1]
			rec.Step, rec.Award = "awarded", &aw
		}
	}
	res.Equity = Equity(apps, verdicts, al)
	return res, nil
}

// IntakePolicy says what [RunCycle] does with an application it cannot
// take in: invalid, a duplicate, or for another program or cycle.
type IntakePolicy string

// The intake policies.
const (
	// AllOrNothing refuses the whole run, naming every problem of every
	// application. The default.
	AllOrNothing IntakePolicy = "all_or_nothing"
	// SkipAndReport sets the application aside in [Result.SetAside] with
	// its problems, and decides the rest. Of two applications from one
	// person or with one ID, the first taken in stands.
	SkipAndReport IntakePolicy = "skip_and_report"
)

// Valid reports whether p is a known intake policy.
func (p IntakePolicy) Valid() bool { return p == AllOrNothing || p == SkipAndReport }

// Enum lists every intake policy code.
func (IntakePolicy) Enum() []string { return []string{string(AllOrNothing), string(SkipAndReport)} }

// SetAside is an application not taken in, with every problem found.
type SetAside struct {
	// Index is the application's place in [Run.Applications], from 0.
	Index int `json:"index"`
	// ApplicationID is the application's ID as given (it may be the
	// problem).
	ApplicationID string `json:"application_id"`
	// Problems are the application's problems, their fields relative to
	// the application.
	Problems bsk.Errors `json:"problems"`
}

// intake checks every application; it returns those taken in, in input
// order, and those set aside, or with [AllOrNothing] an error holding
// every problem.
func intake(prog Program, c Cycle, apps []Application) ([]Application, []SetAside, error) {
	skip := prog.Intake == SkipAndReport
	var all bsk.Problems
	people := make(map[string]int, len(apps))
	ids := make(map[string]int, len(apps))
	var taken []Application // a copy only once an application is set aside
	setAside := []SetAside{}
	for i := range apps {
		a := &apps[i] // not copied: most applications are taken in as they are
		var p bsk.Problems
		p.Merge("", a.Validate())
		if a.ProgramID != prog.ID {
			p.AddCode(bsk.CodeNotFound, "program_id", "application is for program %q, not %q", a.ProgramID, prog.ID)
		}
		if a.CycleID != c.ID {
			p.AddCode(bsk.CodeNotFound, "cycle_id", "application is for cycle %q, not %q", a.CycleID, c.ID)
		}
		if j, dup := people[a.Applicant.PersonID]; dup && a.Applicant.PersonID != "" {
			p.AddCode(bsk.CodeConflict, "applicant.person_id", "person %q already applied in this cycle (applications[%d])", a.Applicant.PersonID, j)
		}
		if j, dup := ids[a.ID]; dup && a.ID != "" {
			p.AddCode(bsk.CodeConflict, "id", "duplicate application id %q (also applications[%d])", a.ID, j)
		}
		err := p.Err()
		if err == nil || !skip {
			// All or nothing compares every application with every other;
			// skipping compares with those taken in, so a corrected
			// resubmission after an invalid one is taken.
			if _, seen := people[a.Applicant.PersonID]; !seen {
				people[a.Applicant.PersonID] = i
			}
			if _, seen := ids[a.ID]; !seen {
				ids[a.ID] = i
			}
		}
		switch {
		case err == nil:
			if taken != nil {
				taken = append(taken, *a)
			}
		case skip:
			if taken == nil {
				taken = append(make([]Application, 0, len(apps)-1), apps[:i]...)
			}
			var list bsk.Errors
			errors.As(err, &list)
			setAside = append(setAside, SetAside{Index: i, ApplicationID: a.ID, Problems: list})
		default:
			all.Merge(bsk.Index("applications", i), err)
		}
	}
	if err := all.Err(); err != nil {
		return nil, nil, err
	}
	if taken == nil && len(setAside) == 0 {
		taken = apps
	}
	return taken, setAside, nil
}
