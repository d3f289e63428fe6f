package plugintest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// Options tune a launch. The zero value starts the binary without
// arguments, with a 10 s call deadline.
type Options struct {
	// Name is the plug-in's name in the catalog, which the plug-in must
	// report; empty means the binary's file name.
	Name string
	// Args are the command-line arguments, as the catalog's "args".
	Args []string
	// CallTimeout bounds every call; a plug-in that misses it is killed
	// and restarted, and the call fails with [bsk.CodeInternal].
	CallTimeout time.Duration
}

// Harness is a built plug-in running under the real host.
type Harness struct {
	c *plugins.Client
}

// BuildIn builds the Go plug-in package pkg (an import path, or a
// directory such as ".") into dir and returns the binary's path.
func BuildIn(dir, pkg string) (string, error) {
	name := filepath.Base(pkg)
	if name == "." || name == string(filepath.Separator) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		name = filepath.Base(wd)
	}
	bin := filepath.Join(dir, name)
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

// Build builds the Go plug-in package pkg into a directory removed at the
// end of the test, and returns the binary's path.
func Build(tb testing.TB, pkg string) string {
	tb.Helper()
	bin, err := BuildIn(tb.TempDir(), pkg)
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

// Launch starts the binary at path as the county's host would: registered
// with its checksum, launched with o.Args, handshake and Info checked. The
// plug-in must report o.Name (by default the binary's file name) as its
// name. Errors are
// those of [plugins.Open]: a plug-in whose reason texts lack English, for
// one, is refused with [bsk.CodeInvalid].
func Launch(ctx context.Context, path string, o Options) (*Harness, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	sum, err := plugins.Checksum(abs)
	if err != nil {
		return nil, err
	}
	name := o.Name
	if name == "" {
		name = filepath.Base(abs)
	}
	c, err := plugins.Open(ctx, plugins.Entry{Agency: "plugintest", Name: name, Path: abs, SHA256: sum, Args: o.Args, Enabled: true},
		plugins.Options{CallTimeout: o.CallTimeout, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	return &Harness{c: c}, nil
}

// Start is [Launch] for a test: it fails the test if the plug-in does not
// start, and closes it at the end of the test.
func Start(tb testing.TB, path string, o Options) *Harness {
	tb.Helper()
	h, err := Launch(context.Background(), path, o)
	if err != nil {
		tb.Fatalf("launching %s: %v", path, err)
	}
	tb.Cleanup(func() { h.Close() })
	return h
}

// Client returns the host's handle on the plug-in, for calls this package
// has no helper for.
func (h *Harness) Client() *plugins.Client { return h.c }

// Close stops the plug-in and waits for its process to end.
func (h *Harness) Close() error { return h.c.Close() }

// Result is an eligibility rule's finding on one application.
type Result struct {
	// Outcome is the worst outcome among the reasons; eligible when
	// there are none.
	Outcome scholarship.Outcome
	// Reasons are the rule's reasons, stamped with the rule's name.
	Reasons []scholarship.Reason
}

// Check sends the applications to the plug-in's eligibility rule in one
// call and returns a result per application. Errors are those of the
// host ([plugins.Error]): the rule is [bsk.CodeNotFound] when the plug-in
// does not provide it; a crash, a missed deadline or a malformed answer
// is [bsk.CodeInternal].
func (h *Harness) Check(ctx context.Context, rule string, apps ...scholarship.Application) ([]Result, error) {
	r, err := plugins.NewRule(h.c, rule, func(a scholarship.Application) string { return a.ID })
	if err != nil {
		return nil, err
	}
	res, err := r.Check(ctx, apps)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(res))
	for i, reasons := range res {
		out[i] = Result{Outcome: worst(reasons), Reasons: reasons}
	}
	return out, nil
}

func worst(reasons []scholarship.Reason) scholarship.Outcome {
	o := scholarship.Eligible
	for _, r := range reasons {
		switch {
		case r.Outcome == scholarship.Ineligible:
			return scholarship.Ineligible
		case r.Outcome == scholarship.NeedsReview:
			o = scholarship.NeedsReview
		}
	}
	return o
}

// Texts renders a result's reasons in language l as applicants read
// them, with the plug-in's texts.
func (h *Harness) Texts(r Result, l scholarship.Lang) []string {
	texts := h.c.Info().Texts()
	out := make([]string, len(r.Reasons))
	for i, reason := range r.Reasons {
		out[i] = texts.Text(reason, l)
	}
	return out
}

// Case is one table test of an eligibility rule.
type Case struct {
	// Name names the subtest.
	Name string
	// Application is sent alone, in one call.
	Application scholarship.Application
	// Outcome is the outcome wanted; empty means eligible when Codes is
	// empty, else it is not checked.
	Outcome scholarship.Outcome
	// Codes are the reason codes wanted, in order (a panic on the
	// application reads plugins.RuleFailed).
	Codes []string
	// Texts are the texts wanted for the reasons, in order, by language.
	Texts map[scholarship.Lang][]string
	// Err, when set, is the code the call must fail with instead:
	// [bsk.CodeInternal] for a hang past the deadline or a crash.
	Err bsk.Code
	// Timeout bounds the call; 0 leaves only the host's deadline.
	Timeout time.Duration
}

// Run runs each case as a subtest against the plug-in's eligibility rule:
// the outcome, the codes, the texts, and that every reason reads as a
// sentence in English and Spanish, never as its raw code.
func Run(t *testing.T, h *Harness, rule string, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			ctx := context.Background()
			if tc.Timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.Timeout)
				defer cancel()
			}
			res, err := h.Check(ctx, rule, tc.Application)
			if tc.Err != "" {
				if got := bsk.ErrorCode(err); err == nil || got != tc.Err {
					t.Fatalf("Check = %v, %v; want a %s error", res, err, tc.Err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check = %v", err)
			}
			got := res[0]
			codes := make([]string, len(got.Reasons))
			for i, r := range got.Reasons {
				codes[i] = r.Code
			}
			if !slices.Equal(codes, tc.Codes) {
				t.Errorf("codes = %q; want %q", codes, tc.Codes)
			}
			want := tc.Outcome
			if want == "" && len(tc.Codes) == 0 {
				want = scholarship.Eligible
			}
			if want != "" && got.Outcome != want {
				t.Errorf("outcome = %s; want %s", got.Outcome, want)
			}
			for _, l := range []scholarship.Lang{scholarship.EnglishText, scholarship.SpanishText} {
				for i, text := range h.Texts(got, l) {
					if strings.HasPrefix(text, got.Reasons[i].Code) {
						t.Errorf("the %s text of %q is its raw code: %q; declare its texts with Handler.WithTexts", l, got.Reasons[i].Code, text)
					}
				}
			}
			for l, want := range tc.Texts {
				if texts := h.Texts(got, l); !slices.Equal(texts, want) {
					t.Errorf("%s texts = %q; want %q", l, texts, want)
				}
			}
		})
	}
}
