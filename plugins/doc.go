// Package plugins runs agencies' own rules as plug-ins: separate programs,
// in any language, that the county starts and talks to over gRPC without
// merging their code, trusting them with its process or secrets, or
// rebuilding anything. It is both the host and the SDK, like
// filippo.io/age's plugin package: the host turns a plug-in binary into
// the ordinary interfaces of the domain packages, and a plug-in's author
// implements those same interfaces and calls [Serve].
//
// # Host
//
// The county's administrator lists the plug-ins in a [Catalog], a JSON
// file with each plug-in's agency, name, path, SHA-256 checksum, arguments
// and whether it is enabled. [NewHost] (or [Open] for one plug-in) checks
// each checksum and launches the plug-in through HashiCorp go-plugin:
// gRPC only, a fixed handshake, protocol version 1, automatic mutual TLS,
// and none of the host's environment. The [Client] it returns describes
// the plug-in ([Client.Info]) and carries calls; the typed rules are built
// on it:
//
//   - [NewRule] returns a [Rule], a [scholarship.Rule] (eligibility);
//   - [NewCriterion] returns a [Criterion], a [scholarship.Criterion]
//     (rubric scores);
//   - [NewGroupingRule] returns a [GroupingRule], a [grouping.Rule]
//     (must-link and cannot-link pairs, pair scores, exclusions), asked
//     once per problem, never per solver move.
//
// A rule set cannot tell them from in-process rules. Each call carries a
// whole batch (a call costs about 0.2 ms), under a deadline.
//
// # Supervision and faults
//
// The checksum is checked again before every launch; a changed binary is
// refused with [bsk.CodeUnauthorized]. A running plug-in is pinged; one
// that crashes is restarted after a backoff that doubles while it keeps
// failing; one that misses [Options.CallTimeout] is killed and restarted.
// A plug-in that fails to start or is refused stays in its [Host] and is
// retried on the same backoff, its checksum checked each time, so that
// putting the registered binary back recovers it. [Client.Status] reports
// the [State] (running, restarting, refused, closed), the restarts, a
// reason safe for any role and the last error for administrators.
// A call in flight when a plug-in dies fails with an [*Error] naming the
// plug-in, the rule and the applications, with [bsk.CodeInternal]; a
// [scholarship.RuleSet] turns it into "needs review". A plug-in's coded
// errors cross the wire with their code. A panic on one application costs
// only that application. An [*Error]'s text is for the log and the
// administrators (it names the batch's items and may name the plug-in's
// file and checksums); the reasons applicants and agencies read carry only
// the failed rule, the plug-in and the error's code. Plug-in output is cut into bounded lines and
// logged to the host's zerolog logger with the plug-in's name; nothing a
// plug-in writes can break the host. [Client.Close] kills the process and
// waits for it; on Linux the kernel also kills plug-ins when the host
// dies, and the SDK exits when its parent goes away.
//
// # Reason texts
//
// A rule's [RuleInfo] may carry the texts of its reason codes per language
// ([Handler.WithTexts] on the SDK side); the host refuses a plug-in with a
// declared code that has no English text, and [Info.Texts] renders the
// reasons through [scholarship.Texts], English for a language without a
// text. A rule that declares texts and returns an undeclared code costs
// that subject a [RuleFailed] reason.
//
// # Testing a plug-in
//
// Package plugintest launches a built plug-in binary through the real host
// and runs table tests of its verdicts, reasons, texts, deadlines, panics
// and hangs; plugins/template is the folder an author copies to start.
//
// # Wire
//
// The gRPC service (plugin.proto) is only an envelope: two methods, Info
// and Call, each carrying a JSON document in a
// google.protobuf.BytesValue. The JSON documents ([Info], [Request],
// [Response], and per kind [CheckInput], [CheckOutput], [ScoreInput],
// [ScoreOutput]; [grouping.Problem] and [grouping.Amendment]) are the
// contract, with JSON Schemas under schema/ (plugin-info, plugin-request,
// plugin-response, plugin-check-input and -output, plugin-score-input and
// -output), so a plug-in can be written in any language with gRPC. README.md in this directory is the guide for
// plug-in authors.
//
// # Writing a plug-in in Go
//
//	func main() {
//		plugins.Serve(plugins.Plugin{
//			Name: "sixmonths", Version: "1.0.0", Agency: "Example Family Services",
//			Handlers: []plugins.Handler{
//				plugins.Eligibility(scholarship.RuleInfo{Name: "agency_six_months", Version: "1.0.0"}, rule),
//			},
//		})
//	}
//
// See the programs under plugins/examples.
package plugins
