// Package grouping forms groups: reflective consultation groups, intergroup
// dialogue groups, training breakout rooms and mentorship groups, and any
// problem of the same shape.
//
// # The problem
//
// A [Problem] lists members with attributes (categorical, set-valued such
// as languages and meeting slots, numeric), the number of groups and their
// size bounds (one pair for all groups or one per group), hard constraints
// and weighted soft criteria:
//
//   - hard: size bounds, [Share] (every group's members share a value, such
//     as a language or a meeting slot), [Same] (one value per group, such as
//     one organization), [AtMost] (at most K members with a value),
//     [Separate] (no group mixes these values, such as supervisors and
//     direct-service staff), must-link and cannot-link pairs, pins;
//   - soft, in the spirit of CATME Team-Maker and GroupEng: [Similar] and
//     [Diverse] on any attribute, [Balance] (spread a value evenly),
//     [Isolation] (nobody the only one of their value in a group), explicit
//     pair scores or a dense score matrix, and group preferences.
//
// [Problem.Validate] reports every fault at once, with the field at fault,
// as a [bsk.CodeInvalid] error (unknown member IDs are [bsk.CodeNotFound]).
//
// # Solving
//
// [Solve] is anytime: it stops at the time limit or the context's deadline
// and returns the best grouping found. The same seed and a fixed number of
// iterations give the same grouping on every machine. It builds feasible
// starts greedily in random orders ([Options.Starts], eight by default, or
// as many as fit in a tenth of the time limit), improves each by local
// search and keeps the one that places the most members, then the highest
// objective; from there it alternates local search over moves and swaps
// with perturbation (iterated local search), keeping a round's result when
// it scores at least as well as the current grouping did some rounds
// before (late acceptance: 50 rounds on a county's 700 providers, fewer on
// larger problems), so that the search crosses plateaus and shallow dips
// while the best grouping found is kept apart; every move is scored from
// per-group attribute counts in O(attribute values of the member), never
// from an n x n matrix, so 10,000 members fit easily; whether a group keeps a
// shared language and meeting time (its leader's too) is read from bit
// masks of the values all its members, or all but one, hold, and a swap's
// checks are asked in the order that turns most swaps down. On large
// problems the local search samples swap partners, first in the groups of
// members alike on the main similarity (one organization's staff) with a
// few random partners beside them when a criterion or constraint wants
// members alike, at random otherwise (breakout rooms that mix
// organizations); the perturbations stay inside those groups and the
// groups of up to two other organizations met there, each at least 30
// random swaps strong, a failed
// round is undone from a journal of its moves, and members construction
// could not place are tried again as the groups change. Where a criterion
// or constraint wants members alike (one organization's staff), a third of
// the perturbations are compound moves that gather an organization: a
// block of its staff moves to, or trades places with members of, another
// of its groups; two of its groups are split again with each
// organization's staff together; two pairs trade groups; a member joins
// its organization's staff in a full group, whose odd member out moves on
// to a third group (and, where sizes require, one of that group's members
// into the first). Each is applied whole and kept only if every group it
// changes keeps every hard constraint. With
// [Problem.AllowFewerGroups], one round in 128 closes a group instead: its
// members move to formed groups with room, nobody left out, so that fewer,
// fuller groups form where they score higher. Where the local search
// samples its partners, the last fiftieth of the time limit (with
// [Options.Iterations], the end of the search) goes to a polish: a local
// search from the best grouping over every move and every swap.
// Construction takes one organization's staff after another, sorted by the
// values the hard constraints read (role, first language, first meeting
// time). [Options.Start] gives a warm start, such as a coordinator's
// draft: its members go to their groups first where the rules allow, and
// the search improves on it. Problems that are pure pair
// scores with size bounds (the Maximally Diverse Grouping Problem) use a
// population of groupings improved by tabu search over the score table and
// bred by a crossover that inherits whole groups; BENCHMARKS.md compares it
// with the published state of the art on MDGPLIB instances.
//
// When the hard constraints cannot all hold for someone (a Dari speaker
// with no other Dari speaker free at their time), that member is listed in
// [Solution.Unplaced] with a coded [Reason]; Solve does not fail.
//
// Sizes are hard: a group that cannot reach its minimum is not formed. Its
// members join other groups where every constraint allows, or are unplaced
// with [ReasonBelowMinimum], whose parameters name the group's size, its
// minimum and the setting that would keep it, [Problem.AllowUnderfilled].
// [Solution.Underfilled] lists the groups left empty (and, with that
// setting, those kept below their minimum).
//
// # Groups formed with their leaders
//
// A problem's [Leading] lists the leaders (consultants, mentors), each
// with a capacity, and the rules that pair a leader with a group: set
// attributes the leader shares with every member (a language, a meeting
// slot) and categorical attributes the leader must not share with any
// (their own organization). The solver then forms only groups a leader
// can lead: every group carries a leader in the search, each move and swap
// is checked against it as against any hard constraint, empty groups take
// whichever free leader fits their first member, and perturbations hand a
// group to another leader with capacity left or trade leaders between
// groups. When the search ends, the leaders are assigned to the groups
// exactly by [AssignLeaders]' min-cost flow, which leads at least every
// group the search led, and spreads the load; [Solution.Leaders] names
// each group's leader. With the leaders' total capacity at least the
// group count every group formed is led; otherwise [Solution.Unled] lists
// the groups left over, with the reason. A member no leader can lead (no
// consultant speaks their language) is unplaced with [ReasonNoLeaderFits].
// [ReflectiveConsultation] makes its consultants the leaders ([LeadingOf]);
// [Mentorship] with a leader capacity makes the mentors the leaders of
// small groups, several each ([PresetOptions].LeaderCapacity).
//
// # Failures
//
// Bad input is a coded error ([bsk.CodeInvalid], [bsk.CodeNotFound],
// [bsk.CodeConflict]) naming the field, never a panic; a problem has at
// most [MaxGroups] groups. A panic anyway (a bug in the search, or in code
// the caller hands in: an agency's [Rule], an [Options] Progress function)
// never reaches the caller's process: [Solve], [Regroup], [AssignLeaders],
// [AssignLeading], [AssignChoices], [AssignCases], [Apply], [NewProblem],
// [CohortOf], the preset builders and the Validate methods recover it, in
// whichever of their goroutines it happens, and return a
// [bsk.CodeInternal] error whose cause is a [*PanicError] with the site
// and the stack. For a search the message gives the thread's seed and
// the search round: one thread with that seed and Iterations at that
// round takes the same steps on the same problem.
// The other threads stop. [Evaluate], which returns no error, gives NaN.
//
// # Explanations
//
// Every [Solution] carries its objective broken down by criterion and by
// group, the soft criteria left unmet and for whom, and for each member why
// they sit where they do. [Evaluate] recomputes the objective from scratch,
// independently of the solver's bookkeeping, for tests and audits.
//
// # Presets
//
// [ReflectiveConsultation], [IntergroupDialogue], [TrainingBreakouts] and
// [Mentorship] build problems from bsk providers that encode the program's
// policies; [PresetOptions] adjusts them and the returned Problem can be
// edited further. [MemberOf] turns a provider into a member, with the
// meeting slots inside their weekly availability.
//
// [CohortOf] is the program's rule for whom a preset groups and who leads,
// from the providers on file (a [Selection] narrows it to named providers
// or organizations, and can name the leaders whatever their role, such as
// mentors who are also reflective consultants); [NewProblem] takes its
// two lists.
//
// # Breakouts with history
//
// A training's monthly breakout rooms should not seat together again the
// attendees who met in earlier sessions, as meeting-rotation tools
// arrange. [MetBefore] turns attendance history ([PastGroup]: who sat in
// which room of which session) into pair scores that cost a weight for
// every earlier meeting; added to [Problem.Pairs] they are one more term
// of the objective, weighed against the preset's criteria
// ([RepeatWeight] outweighs them). [AssignLeading]
// gives a solution's groups the problem's leaders under the same rules as
// the search, on the members' own meeting slots, and keeps each group's
// previous leader where it can ([LeaderContinuity]).
//
// # Leaders and choices
//
// [AssignLeaders] gives groups already formed their consultants or mentors
// (Solve does this itself for a problem with [Leading]): each leader
// takes at most Capacity groups, shares a language and a meeting slot with
// the whole group, and never leads a group with a member of their own
// organization; as many groups as possible are covered, then the pairs'
// scores (continuity with last year's consultant) are maximized and the
// load is spread, exactly, by a min-cost flow. [AssignChoices] places
// members in offerings (communities of practice by topic and language) by
// their ranked choices, with capacities, optimally and deterministically.
// Groups and members left out carry a coded reason.
//
// # Caseloads
//
// [AssignCases] gives the cases of a [Caseload] (families) to clinicians
// so that complex, intensive cases are spread evenly: each case to a
// clinician who speaks one of its languages, within every clinician's
// weekly hours, paired cases to two distinct clinicians or none, with a
// bonus for keeping a case with its current clinician. It staffs the
// most provider places first, then minimizes the cost, with the
// module's min-cost flow: exact for single-provider cases of equal
// hours, and otherwise repaired into a plan that keeps every rule, with
// the flow's optimum reported as the bound ([CaseloadPlan] BoundOpen and
// BoundCost) so the gap is known. Each case left out carries a coded
// [Reason] with parameters.
//
// # Agency rules and re-grouping
//
// An agency's [Rule] is asked once per problem and answers with links, pair
// scores and exclusions that [Apply] adds; the plugins package adapts
// out-of-process plug-ins to it. [Regroup] re-forms groups mid-year after
// joins and leaves, moving as few existing members as the criteria allow,
// and reports the [Diff].
package grouping
