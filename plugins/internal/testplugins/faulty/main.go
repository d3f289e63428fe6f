// Command faulty is a plug-in that misbehaves on request, for the host's
// tests: its rules panic, hang, crash, flood their output or return coded
// errors, and its -mode flag makes it speak another protocol version,
// answer with malformed JSON, fail its handshake or declare a reason code
// without an English text (badtexts). Its "telltale" rule repeats the
// demographics it is sent, for hosts that must send none; its eligibility
// rules over applications "fragile", "stall", "die" and "offtext" panic on
// one applicant, hang, exit mid-call and give a code they declare no text
// for.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

func main() {
	name := flag.String("name", "faulty", "the name to report")
	mode := flag.String("mode", "normal", "normal, protocol2, garbage, nohandshake or badtexts")
	flag.Parse()
	switch *mode {
	case "protocol2":
		serveForeign(2, "", *name)
	case "garbage":
		serveForeign(plugins.ProtocolVersion, "{not json", *name)
	case "nohandshake":
		fmt.Println("hello, I am not a plug-in")
		os.Exit(0)
	case "badtexts":
		// A reason code with a Spanish text and no English one.
		plugins.Serve(plugins.Plugin{Name: *name, Version: "0.1.0", Agency: "Test Agency", Handlers: []plugins.Handler{
			plugins.Eligibility(scholarship.RuleInfo{Name: "tenure", Version: "2.0.0"}, scholarship.Rule[subject](tenure)).
				WithTexts(scholarship.Texts{"tenure_short": {scholarship.SpanishText: "Le faltan meses."}}),
		}})
		return
	}
	plugins.Serve(plugins.Plugin{
		Name: *name, Version: "0.1.0", Agency: "Test Agency",
		Handlers: []plugins.Handler{
			{Kind: "test", Rule: "echo", Description: "returns its input", Func: echo},
			{Kind: "test", Rule: "coded", Description: "fails with a not-found error", Func: coded},
			{Kind: "test", Rule: "panic", Description: "panics", Func: panics},
			{Kind: "test", Rule: "hang", Description: "never answers", Func: hang},
			{Kind: "test", Rule: "crash", Description: "exits in the middle of the call", Func: crash},
			{Kind: "test", Rule: "flood", Description: "writes huge lines to stdout and stderr, then echoes", Func: flood},
			plugins.Eligibility(scholarship.RuleInfo{Name: "tenure", Version: "2.0.0", Description: "needs six months on staff"}, scholarship.Rule[subject](tenure)),
			plugins.Scoring(scholarship.RuleInfo{Name: "seniority"}, seniority),
			plugins.Grouping("sloppy", "names a member not in the problem", sloppy),
			{Kind: "test", Rule: "log", Description: "logs its input, then echoes", Func: logs},
			plugins.Eligibility(scholarship.RuleInfo{Name: "telltale", Version: "1.0.0", Description: "repeats the demographics it receives"}, telltale),
			plugins.Eligibility(scholarship.RuleInfo{Name: "fragile", Version: "1.0.0", Description: "panics on the applicant named panic"}, fragile),
			plugins.Eligibility(scholarship.RuleInfo{Name: "stall", Version: "1.0.0", Description: "never answers"}, stall),
			plugins.Eligibility(scholarship.RuleInfo{Name: "die", Version: "1.0.0", Description: "exits in the middle of the call"}, die),
			plugins.Eligibility(scholarship.RuleInfo{Name: "offtext", Version: "1.0.0", Description: "gives a code it declares no text for"}, offtext).
				WithTexts(scholarship.Texts{"tenure_short": {scholarship.EnglishText: "You need {required} months on staff."}}),
		},
	})
}

func echo(_ context.Context, in json.RawMessage) (any, error) { return in, nil }

func coded(context.Context, json.RawMessage) (any, error) {
	return nil, fmt.Errorf("lookup: %w", bsk.NotFoundf("applications[0].provider", "no provider %q", "p-9"))
}

func panics(context.Context, json.RawMessage) (any, error) {
	var m map[string]int
	m["boom"]++ // a nil map write: a real bug, not a staged panic value
	return nil, nil
}

func hang(ctx context.Context, _ json.RawMessage) (any, error) {
	select {} // ignores ctx, as a buggy rule would
}

func crash(context.Context, json.RawMessage) (any, error) {
	os.Exit(3)
	return nil, nil
}

func flood(_ context.Context, in json.RawMessage) (any, error) {
	huge := strings.Repeat("x", 1<<20)                      // one 1 MiB line
	raw := os.NewFile(1, "stdout")                          // the real stdout pipe, under go-plugin's redirection
	_, _ = fmt.Fprint(raw, "\x00\xff garbage ", huge, "\n") // 1 MiB: more than go-plugin's 64 KiB line limit
	_, _ = fmt.Fprintln(os.Stdout, huge)
	_, _ = fmt.Fprintln(os.Stderr, "\x1b[31m\xfe\xfe", huge)
	_, _ = os.Stderr.WriteString(huge) // no newline at all
	rawErr := os.NewFile(2, "stderr")
	_, _ = fmt.Fprintln(rawErr, `{"@message": 5, "@level": ["x"], "@timestamp": null}`) // go-plugin would panic on these types
	_, _ = fmt.Fprintln(rawErr, huge)
	return in, nil
}

func logs(_ context.Context, in json.RawMessage) (any, error) {
	plugins.Logger().Warn("hello from the plugin", "input", string(in))
	return in, nil
}
