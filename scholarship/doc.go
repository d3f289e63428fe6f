// Package scholarship decides who gets public money for workforce
// scholarships, and explains every decision: the ESIT Career Pathways
// Scholarship, IMH endorsement support, training-time reimbursement, or a
// program an agency defines.
//
// # A cycle
//
// A [Program] has [Cycle]s whose parameters (category caps, budget,
// set-aside pools, commitment terms) take effect on a date. [RunCycle]
// takes a cycle's [Application]s through:
//
//   - costs: [QuoteFor] prices an application under the cycle's cost
//     model: per-category caps, combined caps ([CombinedCap], tuition and
//     fees together), hourly items ([HourlyItem], release time at a rate
//     for the hours a week, paid to the employer), cost shares by party
//     ([CostShare]: scholarship, recipient, employer), then the
//     per-applicant and lifetime caps, cutting categories in the order the
//     program states ([Cycle.CutOrder]).
//   - eligibility: a [RuleSet] evaluates every [Rule] (built-in ones from
//     [BuiltinRules], chosen by the cycle's [Eligibility] when it has one,
//     an agency's Go rules, out-of-process plug-ins) on the
//     whole batch and returns a [Verdict] per application: eligible, needs
//     review or ineligible, with every [Reason] (a stable code, parameters,
//     the field, the rule and its version). [Reason.Text] renders a reason
//     in any of [Languages] from the message catalogs under texts/.
//   - scoring: a [Rubric] of weighted criteria, automatic ([Criterion],
//     such as [PriorityCriteria]) or scored by several reviewers, with
//     optional reviewer normalization; [Rank] breaks ties by submission time,
//     then application ID.
//   - allocation: [Allocate] funds set-aside pools first, then the general
//     pool in rank order, under caps and a fit policy, tops up a partial
//     award from the pools after it, and waitlists the rest; [Reallocate]
//     re-offers declined money without touching other awards.
//   - declines: [Decline] applies declined awards to a cycle's [Result]
//     and returns the allocation after them and the decision records that
//     agree with it: the freed money goes back to its pools and is offered
//     as [Allocate] offers money (set-asides to their groups first,
//     partial awards topped up), and a decliner's record says declined
//     with a [CodeDeclined] reason.
//   - records: one [DecisionRecord] per application, byte-identical for the
//     same inputs and key.
//
// After the cycle, a [Ledger] records disbursements, completion,
// withdrawal, failed courses and leaving the county or the sponsoring
// employer, in any order, and computes the repayment owed ([Ledger.Owed]),
// prorated by the unmet months of the service commitment, and the
// completion incentive due ([Ledger.Incentive]).
// [CheckReadiness] tells a provider which endorsement level they can apply
// for now and what is missing for the next; [Assess] reads a dated record
// (degree date, work periods, dated hours) against every level and mentor
// track, with the steps left and the yearly renewal; [ProgressOf] reads the
// same steps as a path: the highest level met now and, for each level or
// mentor track above it, what is missing ([RecordOf] builds the record from
// a provider and their dated hours; the training package supplies them
// from attendance).
//
// # Decision records and who reads them
//
// A record carries [InputsHash], a keyed hash (HMAC-SHA256) of the
// application under the deployment's secret ([Run.HashKey], from
// [NewHashKey]): whoever holds the key and the application checks the
// record with [VerifyInputsHash]; without the key the hash reveals
// nothing, where an unkeyed hash would give the applicant's demographics
// away to anyone who tried every combination. A record also holds what
// the demographics imply: [DecisionRecord.WithoutDemographics] is the
// record for a reader who may not see them, without the lines of
// [Weighted.Demographic] criteria, with a total of the lines shown, and
// without the name of a demographic set-aside. A rule that fails leaves a
// reason with its code only; its full error goes to [RuleSet.OnFailure].
//
// # Equity
//
// [Equity] counts applicants, eligible applicants, awards and amounts by
// race and ethnicity, gender, age, region and income. The counts identify
// people in small groups, so [EquitySummary.Protect] puts them through the
// survey package's disclosure control (WA DOH by default) before anyone
// who may not see individual records reads them; a hidden figure names the
// standard that hid it, never which of its rules.
//
// # Review
//
// [AssignReviewers] gives each application [ReviewSettings.PerApplication]
// reviewers within their capacities, spread evenly and matched by the
// language the application is written in, and never a reviewer with a
// conflict of interest ([ConflictKind]): the applicant's organization, the
// applicant's supervisors or supervisees along [bsk.Provider.ReportsTo] to
// a depth, a declared conflict, or a reviewer who applied in the cycle. It
// is an exact minimum-cost flow; an application left short gets a
// [ReviewShortfall] with the constraint that bound. [BlindPolicy.BlindView]
// hides the name, demographics or employer from a role, lists the fields
// hidden and records the view ([BlindAudit]).
//
// # Several funds
//
// A [FundPlan] draws one cycle on several [Fund]s, each with its rules,
// budget and tier. [FundPlan.Decline] and [FundPlan.Return] give money
// back to its fund and promote the waitlist across the funds in tier
// order; every step is in [FundAllocation.Steps] and each application's
// [FundDecision].
//
// # Completion and the pipeline
//
// [Completion] records coursework progress against an award and writes
// completion or withdrawal to its [Ledger]. [Pipeline] counts each race,
// place, language and agency-kind group at every step from applied to
// completed ([PipelineSteps]), with rates and the four-fifths ratio
// ([FourFifths]), every figure through survey's disclosure control so that
// no hidden count can be recovered by subtraction across the steps or
// from the totals.
//
// # Rules are generic
//
// [Rule], [RuleSet] and [Verdict] are generic over the subject, so the same
// machinery judges who may enroll in an offering. A rule sees a whole
// batch in one call: a plug-in pays its call cost once.
//
// # Money
//
// Money is integer [Cents]; amounts are checked against [MaxAmount] and
// never overflow.
package scholarship
