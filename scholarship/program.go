package scholarship

import (
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// ProgramKind is the kind of support a program gives.
type ProgramKind string

// The program kinds.
const (
	// ESITCareerPathways grows and diversifies the birth-to-three
	// early-intervention workforce: tuition, books and release time toward a
	// degree, with a service commitment.
	ESITCareerPathways ProgramKind = "esit_career_pathways"
	// EndorsementSupport pays the costs of IMH endorsement.
	EndorsementSupport ProgramKind = "imh_endorsement"
	// TrainingReimbursement reimburses billable time lost to training.
	TrainingReimbursement ProgramKind = "training_reimbursement"
	// AgencyDefined is a program an agency defines.
	AgencyDefined ProgramKind = "agency"
)

var programKinds = []ProgramKind{ESITCareerPathways, EndorsementSupport, TrainingReimbursement, AgencyDefined}

// Valid reports whether k is a known program kind.
func (k ProgramKind) Valid() bool { return slices.Contains(programKinds, k) }

// Enum lists every program kind code.
func (ProgramKind) Enum() []string {
	return []string{string(ESITCareerPathways), string(EndorsementSupport), string(TrainingReimbursement), string(AgencyDefined)}
}

// Program is a scholarship program whose parameters change from cycle to
// cycle.
type Program struct {
	// ID identifies the program.
	ID string `json:"id"`
	// Name is the program's public name.
	Name string `json:"name"`
	// Kind is what kind of support it gives.
	Kind ProgramKind `json:"kind"`
	// Cycles lists the program's cycles; each cycle's parameters apply from
	// its Effective date until the next cycle's.
	Cycles []Cycle `json:"cycles"`
	// Intake is what a run does with an application it cannot take in;
	// empty means [AllOrNothing].
	Intake IntakePolicy `json:"intake,omitempty"`
}

// Pool is a set-aside: a share of a cycle's budget reserved for applicants
// who meet a condition. Money a pool does not use falls back to the
// general pool.
type Pool struct {
	// Name identifies the pool, e.g. "multilingual".
	Name string `json:"name"`
	// Amount is the money set aside.
	Amount Cents `json:"amount"`
	// Criterion is the condition an applicant must meet to draw on the pool.
	Criterion PoolCriterion `json:"criterion"`
}

// PoolCriterion names a built-in condition for drawing on a pool.
type PoolCriterion string

// The pool criteria.
const (
	// PoolMultilingual: the applicant works in a language besides English.
	PoolMultilingual PoolCriterion = "multilingual"
	// PoolBIPOC: the applicant identifies as Black, Indigenous or a person of color.
	PoolBIPOC PoolCriterion = "bipoc"
	// PoolRural: the applicant serves a rural place.
	PoolRural PoolCriterion = "rural"
	// PoolFirstGeneration: the applicant is the first in their family to attend college.
	PoolFirstGeneration PoolCriterion = "first_generation"
)

var poolCriteria = []PoolCriterion{PoolMultilingual, PoolBIPOC, PoolRural, PoolFirstGeneration}

// Valid reports whether c is a known pool criterion.
func (c PoolCriterion) Valid() bool { return slices.Contains(poolCriteria, c) }

// Demographic reports whether the criterion reads the applicant's
// demographics ([PoolBIPOC]): an award's pool then tells who the applicant
// is, and is withheld from readers who may not see demographics.
func (c PoolCriterion) Demographic() bool { return c == PoolBIPOC }

// Enum lists every pool criterion code.
func (PoolCriterion) Enum() []string {
	return []string{string(PoolMultilingual), string(PoolBIPOC), string(PoolRural), string(PoolFirstGeneration)}
}

// Meets reports whether the application meets the pool's criterion, with
// any language besides English counting for [PoolMultilingual] (see
// [Cycle.Meets] for a cycle's priority languages).
func (c PoolCriterion) Meets(a Application) bool {
	switch c {
	case PoolMultilingual:
		return a.multilingual()
	case PoolBIPOC:
		return a.Applicant.Demographics.BIPOC()
	case PoolRural:
		return a.Answers.ServesRural || a.Applicant.Place.Rural()
	case PoolFirstGeneration:
		return a.Answers.FirstGeneration
	}
	return false
}

// Meets reports whether the application meets the pool's criterion in
// this cycle: for [PoolMultilingual], working in one of the cycle's
// PriorityLanguages when it lists any.
func (c Cycle) Meets(p Pool, a Application) bool {
	if p.Criterion == PoolMultilingual && len(c.PriorityLanguages) > 0 {
		return slices.ContainsFunc(a.Applicant.Languages, func(l bsk.Language) bool {
			return l != bsk.English && slices.Contains(c.PriorityLanguages, l)
		})
	}
	return p.Criterion.Meets(a)
}

// FitPolicy says what allocation does with the next award that no longer
// fits the money left.
type FitPolicy string

// The fit policies.
const (
	// SkipToFit skips the award and goes on down the ranking to the next one
	// that fits. The default.
	SkipToFit FitPolicy = "skip"
	// Partial awards what money is left, and stops.
	Partial FitPolicy = "partial"
)

// Cycle holds the parameters of one program cycle.
type Cycle struct {
	// ID identifies the cycle, e.g. "2026-fall".
	ID string `json:"id"`
	// Effective is when these parameters take effect (UTC).
	Effective time.Time `json:"effective"`
	// Budget is the money the cycle may award.
	Budget Cents `json:"budget"`
	// Caps bound the award per application in each category; a category
	// without a cap is not covered.
	Caps map[Category]Cents `json:"caps"`
	// CombinedCaps bound several categories together, such as tuition and
	// fees under one yearly limit.
	CombinedCaps []CombinedCap `json:"combined_caps,omitempty"`
	// Hourly lists the categories paid by the hour (release time); each is
	// covered, and also capped when Caps names it.
	Hourly []HourlyItem `json:"hourly,omitempty"`
	// Shares split the cost of categories between the scholarship, the
	// recipient and the employer.
	Shares []CostShare `json:"shares,omitempty"`
	// Payees says who is paid for a category; a category not listed is paid
	// to the recipient (an hourly item may name its own payee).
	Payees map[Category]Payee `json:"payees,omitempty"`
	// CutOrder is the order categories are cut in when a combined,
	// per-applicant or lifetime cap binds, or a partial award is made:
	// first the categories listed, then the rest from the last of
	// [Category.Enum] to the first (the order when CutOrder is empty).
	CutOrder []Category `json:"cut_order,omitempty"`
	// PerApplicantCap bounds one applicant's award in the cycle; 0 means no
	// bound beyond the category caps.
	PerApplicantCap Cents `json:"per_applicant_cap,omitempty"`
	// LifetimeCap bounds what one person may receive from the program over
	// all cycles; 0 means no bound.
	LifetimeCap Cents `json:"lifetime_cap,omitempty"`
	// Pools are set-asides, drawn on in order before the general pool.
	Pools []Pool `json:"pools,omitempty"`
	// Eligibility, when set, chooses the built-in rules and their
	// thresholds ([BuiltinRules]); nil keeps the rules of the program's
	// kind.
	Eligibility *Eligibility `json:"eligibility,omitempty"`
	// Fit is the policy for an award that no longer fits.
	Fit FitPolicy `json:"fit,omitempty"`
	// MinPartial is the smallest partial award worth making, with [Partial].
	MinPartial Cents `json:"min_partial,omitempty"`
	// CommitmentMonths is the months of qualifying work in King County owed
	// after completion (T.E.A.C.H. asks 12).
	CommitmentMonths int `json:"commitment_months,omitempty"`
	// CommitmentTo is whom the commitment is owed: the county (any
	// qualifying work in King County, the default) or the sponsoring
	// employer.
	CommitmentTo Commitment `json:"commitment_to,omitempty"`
	// CompletionIncentive is a bonus paid after completion once the
	// recipient has served IncentiveAfterMonths more with the employer
	// (BA Degree Pathways: 6 months; T.E.A.C.H.: 12); see
	// [Ledger.Incentive].
	CompletionIncentive  Cents `json:"completion_incentive,omitempty"`
	IncentiveAfterMonths int   `json:"incentive_after_months,omitempty" jsonschema:"minimum=0,maximum=120"`
	// RequiredDocuments lists the documents every application must include.
	RequiredDocuments []string `json:"required_documents,omitempty"`
	// QualifyingPrograms lists the degree or certificate programs that
	// qualify; empty means enrollment is not required.
	QualifyingPrograms []string `json:"qualifying_programs,omitempty"`
	// Level is the endorsement level an endorsement-support cycle pays for.
	Level bsk.Endorsement `json:"level,omitempty"`
	// PriorityLanguages are the languages the county needs most: an
	// applicant meets the [PoolMultilingual] set-aside when they work in one
	// of them ([Cycle.Meets]); empty means any language besides English
	// counts. Pass them to [PriorityCriteria] for the rubric to agree.
	PriorityLanguages []bsk.Language `json:"priority_languages,omitempty"`
}

// CycleAt returns the cycle whose parameters are in effect at t: the one
// with the latest Effective date not after t. None is a not-found error.
func (p Program) CycleAt(t time.Time) (Cycle, error) {
	best := -1
	for i, c := range p.Cycles {
		if !c.Effective.After(t) && (best < 0 || c.Effective.After(p.Cycles[best].Effective)) {
			best = i
		}
	}
	if best < 0 {
		return Cycle{}, bsk.NotFoundf("cycles", "program %q has no cycle in effect on %s", p.ID, t.Format(time.DateOnly))
	}
	return p.Cycles[best], nil
}

// Cycle returns the cycle with the given ID, or a not-found error.
func (p Program) Cycle(id string) (Cycle, error) {
	for _, c := range p.Cycles {
		if c.ID == id {
			return c, nil
		}
	}
	return Cycle{}, bsk.NotFoundf("cycle_id", "program %q has no cycle %q", p.ID, id)
}

// Validate reports every problem with the program and its cycles.
func (p Program) Validate() error {
	var pr bsk.Problems
	if msg := bsk.IDProblem(p.ID); msg != "" {
		pr.Add("id", "%s", msg)
	}
	if p.Name == "" {
		pr.Add("name", "is required")
	} else if msg := bsk.TextProblem(p.Name); msg != "" {
		pr.Add("name", "%s", msg)
	}
	if !p.Kind.Valid() {
		pr.Add("kind", "unknown program kind %q", p.Kind)
	}
	if len(p.Cycles) == 0 {
		pr.Add("cycles", "at least one cycle is required")
	}
	if p.Intake != "" && !p.Intake.Valid() {
		pr.Add("intake", "unknown intake policy %q (all_or_nothing or skip_and_report)", p.Intake)
	}
	seen := map[string]int{}
	for i, c := range p.Cycles {
		f := bsk.Index("cycles", i)
		pr.Merge(f, c.Validate())
		if j, dup := seen[c.ID]; dup {
			pr.AddCode(bsk.CodeConflict, bsk.JoinField(f, "id"), "duplicate cycle id %q (also cycles[%d])", c.ID, j)
		}
		seen[c.ID] = i
	}
	return pr.Err()
}

// Validate reports every problem with the cycle's parameters.
func (c Cycle) Validate() error {
	var p bsk.Problems
	if c.ID == "" {
		p.Add("id", "is required")
	}
	if c.Effective.IsZero() {
		p.Add("effective", "is required")
	}
	checkAmount(&p, "budget", c.Budget)
	if len(c.Caps) == 0 && len(c.Hourly) == 0 {
		p.Add("caps", "at least one category must be covered")
	}
	for _, cat := range sortedCategories(c.Caps) {
		if !cat.Valid() {
			p.Add("caps."+string(cat), "unknown category %q", cat)
		}
		checkAmount(&p, "caps."+string(cat), c.Caps[cat])
	}
	c.validateCosts(&p)
	if c.Eligibility != nil {
		p.Merge("eligibility", c.Eligibility.Validate())
	}
	checkAmount(&p, "per_applicant_cap", c.PerApplicantCap)
	checkAmount(&p, "lifetime_cap", c.LifetimeCap)
	var pooled Cents
	for i, pool := range c.Pools {
		f := bsk.Index("pools", i)
		if pool.Name == "" {
			p.Add(bsk.JoinField(f, "name"), "is required")
		} else if msg := bsk.TextProblem(pool.Name); msg != "" {
			p.Add(bsk.JoinField(f, "name"), "%s", msg)
		}
		checkAmount(&p, bsk.JoinField(f, "amount"), pool.Amount)
		if !pool.Criterion.Valid() {
			p.Add(bsk.JoinField(f, "criterion"), "unknown pool criterion %q", pool.Criterion)
		}
		pooled = addCents(pooled, pool.Amount)
	}
	if pooled > c.Budget {
		p.Add("pools", "set-asides total %s, more than the budget %s", pooled, c.Budget)
	}
	if c.Fit != "" && c.Fit != SkipToFit && c.Fit != Partial {
		p.Add("fit", "unknown fit policy %q (skip or partial)", c.Fit)
	}
	checkAmount(&p, "min_partial", c.MinPartial)
	if c.CommitmentMonths < 0 || c.CommitmentMonths > 120 {
		p.Add("commitment_months", "%d is outside 0 to 120", c.CommitmentMonths)
	}
	if c.CommitmentTo != "" && !c.CommitmentTo.Valid() {
		p.Add("commitment_to", "unknown commitment %q (county or employer)", c.CommitmentTo)
	}
	checkAmount(&p, "completion_incentive", c.CompletionIncentive)
	if c.IncentiveAfterMonths < 0 || c.IncentiveAfterMonths > 120 {
		p.Add("incentive_after_months", "%d is outside 0 to 120", c.IncentiveAfterMonths)
	}
	if c.Level != "" && !c.Level.Valid() {
		p.Add("level", "unknown endorsement level %q", c.Level)
	}
	for i, l := range c.PriorityLanguages {
		if !l.Valid() {
			p.Add(bsk.Index("priority_languages", i), "unknown language code %q", l)
		}
	}
	return p.Err()
}

func checkAmount(p *bsk.Problems, field string, c Cents) {
	switch {
	case c < 0:
		p.Add(field, "%d cents is negative", int64(c))
	case c > MaxAmount:
		p.Add(field, "%d cents is more than the largest amount, %s", int64(c), MaxAmount)
	}
}

func sortedCategories[V any](m map[Category]V) []Category {
	out := make([]Category, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
