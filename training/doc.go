// Package training runs the program year's trainings: who may register and
// who waits, the interpreters to book, attendance read from the project's
// files and from video-meeting reports, each provider's transcript and
// endorsement progress, and who the trainings reach and keep.
//
// It imports [bsk] for the domain, the rule machinery of
// [github.com/beststarts/workforce/scholarship] for eligibility and its
// endorsement computation for progress, and the disclosure control of
// [github.com/beststarts/workforce/survey] for every published table and
// its paired analysis for a certificate cohort's outcomes, and the presets
// of [github.com/beststarts/workforce/grouping] for the cohort's reflection
// groups.
//
// # The catalog
//
// [NewCatalog] indexes a year's organizations, providers, offerings and
// sessions, validated once; attendance stays outside it and is passed to
// each call, so one catalog serves any set of records.
//
// # Registration
//
// A [Roster] holds the registrations of an offering or one session of it:
// a registration takes a seat while one is free and waits otherwise; a
// cancellation promotes the first on the waitlist, with a
// [bsk.WaitlistNotice]; the seats held never exceed the capacity.
// [Roster.Admit] first judges the applicant ([Catalog.ApplicantFor]) with eligibility rules, any
// [scholarship.Rule] of [Applicant]: [Audience] takes date-effective
// periods (a community of leaders open only to BIPOC leaders of grantees
// in one levy period and to every agency serving young children in the
// next), [SameOrganization] keeps an organization's group to its staff. A
// refusal is a [*Refusal] with every reason's code and parameters.
//
// # Interpretation
//
// [Catalog.PlanInterpretation] turns registrations into bookings, one per
// session and language (ASL "ase" included), with who needs it, how many
// interpreters, and the day to book by; a session held in a language needs
// no interpreter into it ([NeedsInterpreter]). [Changes] lists what to
// book, cancel or update when registrations change.
//
// # Attendance
//
// [Catalog.ImportCSV] reads the project's own attendance CSV;
// [Catalog.ImportZoom] reads a meeting's participants report, matching
// people by email then name through a [Directory], merging re-joins, and
// listing the rows that match no one for review. Both stream and are all
// or nothing: a bad row (an unknown session or provider, a leave before
// the join, a row twice) returns every problem, each a [bsk.Error] naming
// the row and column, and no records.
//
// # Hours, transcripts and progress
//
// Credit is per session ([bsk.Session.CreditFor]): a community of leaders'
// quarterly training counts as training hours and its monthly mentorship
// as reflective; a certificate's modules as training and its reflection
// groups as reflective. [Catalog.Transcript] lists a provider's sessions
// with hours by credit kind, competency area (the offering's topic) and
// year; [Catalog.Progress] gives every provider's endorsement progress
// ([scholarship.ProgressOf]): the highest level met and what each level
// above still asks.
//
// # Reach and retention
//
// [Catalog.Reach] counts attendees and first-time attendees per session
// and month, the monthly return rate (the seeds report about three in
// four), and shares by role, region, rural reach, language, agency kind
// and grantee, every table through [survey.Disclosure.ProtectCounts].
//
// # Reflective consultation in operation
//
// A published reflective consultation run becomes the year's meetings:
//
//   - [Series] turns a group's weekly meeting slot into a monthly series of
//     sessions, 60 to 90 minutes, skipping holidays, with IDs that depend
//     only on the offering and the month ("rc-run-1-g03-2026-03"), so the
//     same series always gets the same sessions.
//   - [Invoice] turns the sessions consultants led and the attendance that
//     shows each group met into invoice lines, one per consultant and month,
//     at an hourly rate in integer cents; a session already on an invoice
//     is refused ([bsk.CodeConflict]). [WriteInvoiceCSV] writes the lines
//     for the coordinator's approval.
//   - [LeaderRule] is a [scholarship.Rule] over [Leader]: a consultant may
//     lead groups once they have completed the Reflective Practice training
//     and intergroup dialogue, as their attendance shows; the reason names
//     what is missing ([LeaderReasonText] renders it, as [Text] renders
//     every reason of the package, in any of [scholarship.Languages]).
//
// # The certificate cohort
//
// A [Cohort] is the 14-month Infant and Early Childhood Mental Health
// certificate: an offering of kind certificate_cohort, its day-long
// monthly [Module]s (each with a clinician who teaches the morning and a
// mentor who leads the afternoon's reflection groups; a module without
// both is refused, naming it), and how many modules a participant attends
// to complete. [NewCohort] validates it and holds its enrolment in a
// [Roster]: up to the capacity (100 by default), then a waitlist promoted
// in the order enrolled when a participant withdraws ([Cohort.Enrol],
// [Cohort.Withdraw]).
//
//   - [Cohort.Interpretation] books the modules' interpreters from the
//     seated participants' languages ([Catalog.PlanInterpretation]).
//   - [Cohort.ReflectionGroups] forms the afternoon reflection groups with
//     grouping's mentorship preset in its small-group form: groups of 6
//     to 8 led by the modules' mentors, sharing a language with them.
//   - [Cohort.Completion] gives each participant's modules attended and
//     required and their status (completed, in progress, incomplete,
//     withdrawn) with a typed reason.
//   - [Cohort.Outcomes] measures the change between the participants'
//     answers before and after ([survey.ComparePaired]).
//
// # Post-session evaluations
//
// A survey response carries the session it evaluates
// ([survey.Response].Session, the CSV and REDCap "session" column) and
// [survey.BySession] breaks any estimate down by session: nothing in this
// package is needed for that link.
package training
