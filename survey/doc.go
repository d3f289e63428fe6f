// Package survey turns the annual evaluation survey into the figures the
// county publishes: "94 percent of the 137 providers who initiated the
// endorsement process reported it was responsive to their needs", by race
// and ethnicity, place, gender, age and income, with disclosure control
// that no caller can forget.
//
// # Instruments and responses
//
// An [Instrument] is versioned per cycle; its items have stable codes and
// kinds: yes/no, 5-point Likert (the indicator is "agree or strongly
// agree" unless configured), single choice, multi-select, ranking, numeric
// and free text (kept, never aggregated). A [Response] carries the answers
// and the respondent's attributes for disaggregation (bsk demographics,
// role, organization kind, session), an optional survey weight and, when
// the sample was drawn by design, its stratum, cluster (primary sampling
// unit) and the stratum's population size. A [Set]
// stores responses by column, one byte per answer: a million responses to
// twenty items take about 130 MB, respondent IDs and attributes included.
//
// # Imports
//
// [ImportCSV] reads a CSV whose header names item codes and respondent
// columns (race is the 2024 combined question; a hispanic_latino column
// holds the 1997 standard's separate ethnicity question, folded into race
// by [bsk.CombineRace1997]; race_detail lists the 2024 standard's
// detailed groups and race_write_in_<category> holds a category's
// write-in, each implying its category; stratum, cluster and stratum_size
// describe the sample design); [ParseREDCapDictionary] builds an instrument from a REDCap data
// dictionary and [ImportREDCap] reads a REDCap records export (record_id,
// redcap_event_name, checkbox columns field___code, missing-data codes).
// Both stream: they keep the columnar responses, never the file. Both are
// all or nothing unless told to skip bad rows: a failed import returns no
// set, only every problem found; with [ImportOptions.SkipBadRows] every
// skipped row is listed with its problems.
//
// # Errors
//
// Every error is a [bsk.Error] (in a [bsk.Errors] list when there can be
// several), tested with errors.Is against bsk.ErrInvalid, bsk.ErrNotFound
// (an unknown item code or column) or bsk.ErrConflict (a duplicate
// respondent, item or column). Import problems name the row by its line in
// the file, the header being line 1, and the column by its header, in one
// form everywhere:
//
//	rows[12].q3: "6" is not one of [1 2 3 4 5]
//	rows[7].weight: must be a positive, finite number: the instrument is weighted
//	rows[9]: has 4 fields; the header has 5
//
// Problems of a [Response] given to [Set.Add] name its field
// ("answers.q3", "weight"); problems of a [Query] name the query's field
// ("breakdowns[1][0]", "disclosure.name").
//
// # Estimates
//
// [Set.Estimate] gives, per item, the number answering, the number meeting
// the indicator, the percentage with its standard error and a 95%
// interval, and the Likert mean with its standard error: program-wide, and broken down by any combination of
// dimensions crossed (race, gender, age band, region, place, income, role,
// organization kind, session), every margin included. Race has three
// views, one per breakdown: [ByRace], the 2024 minimum categories;
// [ByRaceDetail], the detailed groups, those under the standard's
// threshold rolled up into their category's other group; and [ByRace1997]
// with [ByEthnicity1997], race and ethnicity as the 1997 standard asked
// them (each answer mapped by [bsk.Race1997]: Hispanic or Latino the
// separate ethnicity question, Middle Eastern or North African White), so
// that trends across the change of standard compare like with like.
// Multi-race
// respondents count "alone or in combination" (in every group they chose)
// or as "multiple", as the caller chooses. [Compare] tests a change between
// cycles. The intervals use [BetaQuantile], the inverse of the regularized
// incomplete beta function [RegIncBeta], implemented here.
//
// # Standard errors and intervals
//
// Weighted data, and data whose respondents carry a stratum, cluster or
// stratum size, get design-based standard errors by Taylor linearization,
// as R's survey package computes them: a percentage is a ratio estimator
// (sum of w y over sum of w); each respondent's influence w (y - p) / sum w
// is summed by cluster, and the clusters' spread within each stratum,
// times (1 - n/N) n/(n-1) (n the stratum's clusters, N its population
// size when given), is added up. Without strata and clusters each
// respondent is a cluster, sampled with replacement: R's
// svydesign(ids = ~1, weights = ~w). A group is a domain: respondents
// outside it, or who did not answer, have influence 0 but still count in
// n, as in R's svyby on the design of those who answered. A stratum with
// a single cluster adds nothing. Unweighted data without a design keep
// the binomial forms sqrt(p(1-p)/n) and s/sqrt(n).
//
// [Cell.SE] is in percentage points, [Cell.RSE] is SE over the estimate
// (the caution flag's measure), and [Cell.EffectiveN] is the design-based
// effective sample size p(1-p)/Var(p). [Query.Interval] names the
// interval: [IntervalBeta] (Korn-Graubard on the design-based effective
// n, R's svyciprop(method = "beta"), the default for weighted or designed
// data), [IntervalLogit] (svyciprop(method = "logit")), [IntervalWilson]
// (the default for unweighted data) and [IntervalClopperPearson] (the
// default under [NCHS] for unweighted data). A test compares estimates,
// SEs and intervals with R to 1e-6 (testdata/r).
//
// # Trends
//
// [CompareReleases] gives the change of every cell between two releases
// of an instrument's cycles (the same item codes and breakdowns), and
// [CompareReports] between two reports. Only the published figures are
// used, so a cell hidden or top-coded in either release has no trend
// figure and says why ([TrendCell.Missing]): a trend never reveals what
// disclosure control hid. Percentages are tested by the two-proportion z
// test on the cells' design-based standard errors, z = (p2 - p1) /
// sqrt(SE1^2 + SE2^2) ([DifferenceTest]); a Likert item's means by the
// difference of means on their standard errors; the p-values are
// adjusted by Holm's method ([Holm], R's p.adjust(p, "holm")) over every
// cell tested.
//
// # Paired before and after
//
// [ComparePaired] matches two sets' respondents by ID (the certificate's
// evaluation asks the same people before and after) and measures one
// item's change: for an item with an indicator, the four kinds of pair,
// the paired difference in points with its 95% Wald interval, and
// McNemar's test (exact below [ExactMcNemarBelow] discordant pairs,
// otherwise chi-square with continuity correction, as R's mcnemar.test);
// for a Likert or numeric item, the mean paired difference with its t
// interval (R's t.test(paired = TRUE)). Respondents in one set only and
// those who answered once are counted, not compared. The disclosure
// standard hides every figure when the pairs are fewer than its
// threshold or a kind of pair is a small count.
//
// A [Set] stores answers by column, one byte per answer, and respondent
// attributes as small codes. An estimate computes each respondent's cell
// once per breakdown, then reads each item's column once, adding one to a
// counter per answer; margins are summed from the cells afterwards. A
// million responses to twenty items, crossed by five dimensions, take a
// fraction of a second.
//
// # Disclosure control
//
// Every figure passes through a [Disclosure] standard. The default is
// [WADOH], the Washington State Department of Health small-numbers
// standard: non-zero counts under 10 and the percentages derived from
// them are hidden, with their complements ("94% of 137" also reveals 8);
// a survey that reached 80% or more of the eligible population
// ([Query.Population]), or whose population is not given, is treated as
// counts; below 80%, equal-weight estimates from fewer than 10
// respondents are top-coded as "0-5%" or "95-100%". [PHSKC] (Public
// Health - Seattle & King County: numerators 0-9 hidden, a caution flag
// at a relative standard error of 30% or more) and [NCHS] (the National
// Center for Health Statistics standard for proportions: effective n
// under 30, Korn-Graubard interval widths) are presets. Figures without
// disclosure control come only from [Unsuppressed]; a standard that sets
// no rule is refused.
//
// [Set.Estimate] is the analyst's view of one query: every hidden or
// top-coded cell names the rule that hid it ("wa_doh:complement_under_10",
// "wa_doh:secondary"), and secondary suppression hides more cells until
// no hidden cell can be recomputed from the total and the other cells of
// its line (row, column, or any line of a crossed table) of that table.
// That protects one table, not several: readers who may choose the
// standard, the population and the breakdowns can combine tables to pin
// hidden cells. Publish figures to readers through a release.
//
// # Releases
//
// A [Release] fixes, once, what may be published from a set: the
// standard, the eligible population, the race mode, the items and the
// breakdowns. [Release.Validate] refuses a standard that sets no rule,
// unknown items and dimensions, and releases beyond the caps.
// [Set.Publish] computes every table of the release, with disclosure
// control computed jointly over all of them: every hidden cell gets a
// witness, a move of T respondents (T the standard's
// [Disclosure.Threshold], 10 under WA DOH and PHSKC) between cells of the
// finest crossing of the release's dimensions that changes no published
// figure in any table, margin or total, and changes the hidden count, and
// separately its complement, by T. So no combination of a release's
// tables narrows a hidden count to fewer than T+1 possible values; the
// tests check this against an exact integer-programming attacker. An item
// with a hidden cell that has no witness (its total is hidden, or no cells
// are large enough) is withheld whole. Published cells carry neutral
// rules only ("wa_doh:suppressed", "wa_doh:top_coded"), and [Sentence]
// names the standard of a hidden cell, never its rule or figure. Readers
// take tables from the [Publication] with [Publication.Select], which
// refuses a breakdown or item the release does not publish. A breakdown
// by detailed race group that must be withheld is published with the
// minimum categories instead, when the release does not hold that
// breakdown already ([Publication.RolledUp]).
//
// The caps, checked before any table is computed: at most
// [MaxBreakdowns] (16) breakdowns in a release and in one selection, at
// most [MaxDimensions] (3) dimensions crossed in one breakdown, at most
// [MaxCells] cells in one breakdown's table, and at most
// [MaxReleaseCells] (50,000) cells over every item's tables, about 12 MB
// of JSON.
//
// Other packages put their own tables of counts (the scholarship equity
// summary: applicants, eligible and awarded by race or place) through the
// same control with [Disclosure.ProtectCounts].
//
// # Rankings, frequencies and sentences
//
// [Set.Rank] orders a ranking item's options by Borda count, with the
// share who put each in their top three, ties reported as ties.
// [Set.Frequencies] counts a multi-select item's options. [Sentence]
// writes a cell the way the county reports it; [Report.WriteCSV] and
// encoding/json give the tables as files. Every CSV cell that begins
// with "=", "+", "-", "@", a tab or a carriage return is escaped with a
// leading "'" ([CSVField]), so that no spreadsheet runs it as a formula.
package survey
