package scholarship

import (
	"context"
	"encoding/json"
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
// application (in input order), the ranking and the allocation.
type Result struct {
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

// RunCycle runs a whole cycle: it validates every application (all or
// nothing: any problem, a duplicate application from one person, or an
// application to another program or cycle is an error and nothing is
// awarded), evaluates every rule, scores, ranks, allocates and writes a
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
	var p bsk.Problems
	people := map[string]int{}
	ids := map[string]int{}
	for i, a := range r.Applications {
		f := bsk.Index("applications", i)
		p.Merge(f, a.Validate())
		if a.ProgramID != r.Program.ID {
			p.AddCode(bsk.CodeNotFound, f+".program_id", "application is for program %q, not %q", a.ProgramID, r.Program.ID)
		}
		if a.CycleID != c.ID {
			p.AddCode(bsk.CodeNotFound, f+".cycle_id", "application is for cycle %q, not %q", a.CycleID, c.ID)
		}
		if j, dup := people[a.Applicant.PersonID]; dup && a.Applicant.PersonID != "" {
			p.AddCode(bsk.CodeConflict, f+".applicant.person_id", "person %q already applied in this cycle (applications[%d])", a.Applicant.PersonID, j)
		}
		people[a.Applicant.PersonID] = i
		if j, dup := ids[a.ID]; dup && a.ID != "" {
			p.AddCode(bsk.CodeConflict, f+".id", "duplicate application id %q (also applications[%d])", a.ID, j)
		}
		ids[a.ID] = i
	}
	if err := p.Err(); err != nil {
		return Result{}, err
	}
	apps := r.Applications
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
	res := Result{Verdicts: verdicts, Scores: scores, Ranking: make([]string, len(order)), Records: make([]DecisionRecord, len(apps))}
	for k, i := range order {
		ranked[k] = Candidate{apps[i], verdicts[i]}
		res.Ranking[k] = apps[i].ID
	}
	al, err := Allocate(c, ranked)
	if err != nil {
		return Result{}, err
	}
	res.Allocation = al
	rank := make(map[string]int, len(order))
	for k, i := range order {
		rank[apps[i].ID] = k + 1
	}
	awards := map[string]Award{}
	for _, a := range al.Awards {
		awards[a.ApplicationID] = a
	}
	steps := map[string]string{}
	for _, u := range al.Waitlist {
		steps[u.ApplicationID] = u.Code
	}
	for _, u := range al.Unfunded {
		steps[u.ApplicationID] = u.Code
	}
	info := r.Rules.Info()
	for i, a := range apps {
		rec := DecisionRecord{ApplicationID: a.ID, InputsHash: InputsHash(r.HashKey, a), ProgramID: r.Program.ID, Cycle: c, Rules: info,
			Outcome: verdicts[i].Outcome, Reasons: verdicts[i].Reasons, Score: scores[i], Rank: rank[a.ID], Step: steps[a.ID]}
		if aw, ok := awards[a.ID]; ok {
			rec.Step, rec.Award = "awarded", &aw
		}
		res.Records[i] = rec
	}
	res.Equity = Equity(apps, verdicts, al)
	return res, nil
}
