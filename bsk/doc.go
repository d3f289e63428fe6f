// Package bsk is the domain model of the Best Starts for Kids early-childhood
// workforce programs of King County, Washington: the organizations that
// serve families with children under five, the providers who work for them,
// the offerings that support those providers (trainings, reflective
// consultation groups, communities of practice, a certificate cohort, a
// community of leaders, intergroup dialogue, large group workshops) and who
// attended what.
//
// It imports only the standard library and nothing else of this module, so
// any county system can depend on it. The algorithm packages (grouping,
// scholarship, survey) build on it.
//
// # Enumerations
//
// Every enumeration ([Strategy], [Role], [Language], [Place],
// [RaceEthnicity], [Endorsement] and the rest) is a string type with stable
// lowercase codes that survive JSON round trips unchanged. Each has Valid,
// and Enum, which lists its codes in a stable order. Languages use ISO 639
// codes; American Sign Language is "ase". Race and ethnicity follow the
// 2024 standard's combined question, with its detailed groups
// ([RaceDetail], six under each minimum category) and write-ins;
// [CombineRace1997] maps answers collected with a separate ethnicity
// question, and [Race1997] maps combined answers back to the 1997 scheme
// for trends across the change of standard.
//
// # Validation
//
// Every type has Validate, which reports every problem at once, each with
// the path of the field it concerns:
//
//	providers[3].languages[0]: unknown language code "xx"
//
// [Workforce.Validate] also checks the references between records and
// duplicate IDs.
//
// IDs hold only [IDCharacters] (ASCII letters, digits, '-', '_', '.', ':'),
// at most [MaxIDLength] bytes, never begin with '.' and never hold "..", so
// an ID is safe in a URL path, a file name or a log line ([IDProblem]).
// Names and labels (a provider's or an organization's name, an offering's
// title and topic) refuse control characters, bidirectional embeddings,
// overrides and isolates, and zero-width characters, which would make a
// name display differently from what it holds ([TextProblem]).
//
// # Errors
//
// The whole module shares one coded error type, [Error], with the codes
// invalid, not_found, conflict, unauthorized, internal and rate_limited. Test for a code
// with [errors.Is] and a sentinel ([ErrInvalid], [ErrNotFound], ...) or read
// it with [ErrorCode]. A Validate error is an [Errors] list whose elements
// [errors.As] finds one by one. Build such lists with [Problems].
//
// # Privacy
//
// [Demographics] are self-reported, used only for equity reporting, and
// must be published only as aggregates with small numbers suppressed (see the
// survey package).
package bsk
