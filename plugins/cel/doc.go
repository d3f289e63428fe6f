// Package cel runs agencies' declarative rules: a short YAML (or JSON) file
// of conditions in CEL, the Common Expression Language (https://cel.dev),
// instead of a plug-in program. An agency without a Go developer writes
// its eligibility rule as a few conditions; the county compiles the file,
// checks it against the variables it declares, and runs it in process
// under a cost limit and a deadline. It is a third kind of rule beside the
// built-in rules of package scholarship and the plug-ins of package
// plugins: a compiled file is a [scholarship.Rule] (see [Compile]) or a
// [grouping.Rule] (see [CompileGrouping]).
//
// # A rule file
//
//	name: agency_minimum_hours
//	version: 1.0.0
//	description: the agency supports staff who work at least 20 hours a week
//	variables: [hours_per_week]      # what the conditions read (see Variables)
//	settings:
//	  required: 20                   # the rule's own constants
//	checks:
//	  - require: hours_per_week >= required   # false gives the reason below
//	    outcome: ineligible                   # or needs_review, eligible
//	    code: agency_hours_short
//	    field: applicant.hours_per_week
//	    params:                                # CEL expressions
//	      hours: hours_per_week
//	      required: required
//	    text:                                  # English required; {param}s
//	      en: "You work {hours} hours a week; the agency supports staff who work at least {required}."
//
// A check has exactly one of require (a reason when false) and when (a
// reason when true); for_each repeats it over a list, naming each element
// item. [File] and [Check] describe every key, [Variables] and
// [MemberVariables] every variable with its CEL type. The examples folder
// holds CEL twins of the example Go plug-ins, and a test runs the same
// cases through both and requires identical verdicts.
//
// # Errors
//
// Compile reports every problem at once, as [bsk.Errors] of
// [bsk.CodeInvalid], each naming the field of the file ("checks[0].require")
// and the rule, with the line and column in the file: a condition that
// reads an undeclared name, compares a number with a text or is not true
// or false is refused before it runs. A rule may not read the applicant's
// demographics unless [Options.Demographics] allows.
//
// # Limits
//
// A hostile or careless rule cannot hang or exhaust the server: a file
// holds at most [MaxFileSize] bytes and [MaxChecks] checks, an expression
// at most [MaxExpression] characters; each evaluation of an expression
// stops past [Options.CostLimit] (a failure on that application only: it
// gets a needs-review [RuleFailed] reason), and each call stops past
// [Options.Timeout]. CEL itself has no loops beyond bounded macros over
// lists, no I/O and no clock.
package cel
