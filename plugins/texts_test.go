//go:build unix

package plugins_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// TestRuleTexts: a plug-in's reason texts reach the host and render its
// reasons in English, in Spanish, and in English for a language the
// plug-in has no text in; never as a raw code.
func TestRuleTexts(t *testing.T) {
	c := open(t, entry(t, "minhours", "-hours", "25"), testOptions(nil))
	r, err := plugins.NewRule(c, "agency_minimum_hours", func(a scholarship.Application) string { return a.ID })
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Check(context.Background(), []scholarship.Application{{ID: "a-1", Applicant: scholarship.Applicant{HoursPerWeek: 12.5}}})
	if err != nil || len(res) != 1 || len(res[0]) != 1 {
		t.Fatalf("Check = %v, %v", res, err)
	}
	texts := c.Info().Texts()
	for _, tt := range []struct {
		lang scholarship.Lang
		want string
	}{
		{scholarship.EnglishText, "You work 12.5 hours a week; this agency supports staff who work at least 25."},
		{scholarship.SpanishText, "Trabaja 12.5 horas por semana; esta agencia apoya al personal que trabaja al menos 25."},
		{"vi", "You work 12.5 hours a week; this agency supports staff who work at least 25."},
	} {
		if got := texts.Text(res[0][0], tt.lang); got != tt.want {
			t.Errorf("Text(%s) = %q; want %q", tt.lang, got, tt.want)
		}
	}
	if diff := cmp.Diff(texts, r.Texts()); diff != "" {
		t.Errorf("the rule's texts differ from the plug-in's (-plugin +rule):\n%s", diff)
	}
}

// TestTextsCannotRewordBuiltins: a plug-in's texts render only codes the
// scholarship package does not know.
func TestTextsCannotRewordBuiltins(t *testing.T) {
	texts := scholarship.Texts{scholarship.CodeRuleFailed: {scholarship.EnglishText: "You are awarded everything."}}
	r := scholarship.Reason{Code: scholarship.CodeRuleFailed, Params: map[string]string{"rule": "x"}}
	if got, want := texts.Text(r, scholarship.EnglishText), r.Text(scholarship.EnglishText); got != want {
		t.Errorf("Text = %q; want the package's own %q", got, want)
	}
}

// TestPluginWithoutEnglishTextRefused: a rule declaring a reason code with
// no English text is refused at launch, with a reason that says so.
func TestPluginWithoutEnglishTextRefused(t *testing.T) {
	_, err := plugins.Open(context.Background(), entry(t, "faulty", "-mode", "badtexts"), testOptions(nil))
	var pe *plugins.Error
	if !errors.As(err, &pe) || bsk.ErrorCode(err) != bsk.CodeInvalid || !strings.Contains(err.Error(), `"tenure_short" without an English text`) {
		t.Fatalf("Open = %v; want invalid naming the code", err)
	}
	h, _ := plugins.NewHost(context.Background(), plugins.Catalog{Plugins: []plugins.Entry{entry(t, "faulty", "-mode", "badtexts")}}, testOptions(nil))
	defer h.Close()
	c, err := h.Plugin("faulty")
	if err != nil {
		t.Fatal(err)
	}
	st := waitState(t, c, plugins.StateRefused, 5*time.Second)
	if !strings.Contains(st.Reason, `rule "tenure" declares the reason code "tenure_short" without an English text`) {
		t.Errorf("Reason = %q; want the missing text named", st.Reason)
	}
}

// TestUndeclaredCodeFailsTheSubject: a rule that declares texts and gives
// a code it declares none for costs that subject a rule_failed reason, so
// no applicant reads a raw code.
func TestUndeclaredCodeFailsTheSubject(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	r, err := plugins.NewRule(c, "offtext", func(a scholarship.Application) string { return a.ID })
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Check(context.Background(), []scholarship.Application{{ID: "a-1"}})
	if err != nil || len(res) != 1 || len(res[0]) != 1 {
		t.Fatalf("Check = %v, %v", res, err)
	}
	if got := res[0][0]; got.Code != plugins.RuleFailed || got.Outcome != scholarship.NeedsReview {
		t.Errorf("reason = %+v; want rule_failed", got)
	}
}
