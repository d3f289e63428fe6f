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
// role, organization kind, session) and an optional survey weight. A [Set]
// stores responses by column, so a million responses to twenty items fit
// in a few tens of megabytes.
//
// # Imports
//
// [ImportCSV] reads a CSV whose header names item codes and respondent
// columns; [ParseREDCapDictionary] builds an instrument from a REDCap data
// dictionary and [ImportREDCap] reads a REDCap records export (record_id,
// redcap_event_name, checkbox columns field___code, missing-data codes).
// Both stream, and are all or nothing unless told to skip bad rows, in
// which case every skipped row is listed with its problems. Problems name
// the row's line and the column: "rows[12].q3".
//
// # Estimates and disclosure control
//
// [Set.Estimate] gives, per item, the number answering, the number meeting
// the indicator, the percentage with a 95% interval (Wilson for simple
// random samples; Korn-Graubard on Kish's effective sample size for
// weighted data) and the Likert mean, program-wide and broken down by one
// dimension or two crossed. Multi-race respondents count "alone or in
// combination" or as "multiple", as the caller chooses. [Compare] tests a
// change between cycles.
//
// Every figure passes through a [Disclosure] standard, and every hidden or
// top-coded cell names the rule that hid it. The default is [WADOH], the
// Washington State Department of Health small-numbers standard; [PHSKC]
// (Public Health - Seattle & King County's practice) and [NCHS] (the
// National Center for Health Statistics standard for proportions) are
// presets. Secondary suppression makes sure no hidden cell can be
// recomputed from a row's or column's total and its other cells, and the
// complement rule remembers that "94% of 137" also reveals 8. Figures
// without disclosure control come only from [Unsuppressed].
//
// # Rankings, frequencies and sentences
//
// [Set.Rank] orders a ranking item's options by Borda count, with the
// share who put each in their top three, ties reported as ties.
// [Set.Frequencies] counts a multi-select item's options. [Sentence]
// writes a cell the way the county reports it; [Report.WriteCSV] and
// encoding/json give the tables as files.
package survey
