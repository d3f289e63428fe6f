//go:build unix

package plugins_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// subject mirrors the faulty plug-in's application type.
type subject struct {
	ID     string `json:"id"`
	Months int    `json:"months"`
	Fault  string `json:"fault,omitempty"`
}

func subjectID(s subject) string { return s.ID }

func tenureRule(t *testing.T, opts plugins.Options) (*plugins.Client, *plugins.Rule[subject]) {
	t.Helper()
	c := open(t, entry(t, "faulty"), opts)
	r, err := plugins.NewRule(c, "tenure", subjectID)
	if err != nil {
		t.Fatal(err)
	}
	return c, r
}

func TestRuleDescribe(t *testing.T) {
	c, r := tenureRule(t, testOptions(nil))
	want := scholarship.RuleInfo{Name: "tenure", Version: "2.0.0", Description: "needs six months on staff"}
	if got := r.Describe(); got != want {
		t.Errorf("Describe() = %+v; want %+v", got, want)
	}
	if _, err := plugins.NewRule[subject](c, "nope", nil); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("NewRule(nope) = %v; want not found", err)
	}
}

func TestRuleInRuleSet(t *testing.T) {
	var logs syncBuffer
	_, r := tenureRule(t, testOptions(&logs))
	r.BatchSize = 3 // several calls per batch
	local := scholarship.Each(scholarship.RuleInfo{Name: "local", Version: "1"}, func(s subject) []scholarship.Reason {
		if s.ID == "a-2" {
			return []scholarship.Reason{{Code: "local_flag", Outcome: scholarship.NeedsReview}}
		}
		return nil
	})
	set := scholarship.RuleSet[subject]{Rules: []scholarship.Rule[subject]{local, r}}
	batch := []subject{
		{ID: "a-1", Months: 12},
		{ID: "a-2", Months: 2},
		{ID: "a-3", Months: 7, Fault: "panic"},
		{ID: "a-4", Months: 9, Fault: "nocode"},
		{ID: "a-5", Months: 1},
		{ID: "a-6", Months: 30, Fault: "badoutcome"},
		{ID: "a-7", Months: 6},
	}
	got := set.Evaluate(context.Background(), batch)
	type want struct {
		outcome scholarship.Outcome
		codes   string
		errText string
	}
	wants := []want{
		{scholarship.Eligible, "", ""},
		{scholarship.Ineligible, "local_flag tenure_short", ""},
		{scholarship.NeedsReview, "rule_failed", `plugin "faulty" eligibility rule "tenure" application "a-3": panic: runtime error: invalid memory address`},
		{scholarship.NeedsReview, "rule_failed", `plugin "faulty" eligibility rule "tenure" application "a-4": reasons[0]: reason from rule "tenure" has no code`},
		{scholarship.Ineligible, "tenure_short", ""},
		{scholarship.NeedsReview, "rule_failed", `application "a-6": reasons[0]: reason "x" from rule "tenure" has unknown outcome "maybe"`},
		{scholarship.Eligible, "", ""},
	}
	for i, w := range wants {
		var codes []string
		for _, rs := range got[i].Reasons {
			codes = append(codes, rs.Code)
			if rs.Code == "tenure_short" && (rs.Rule != "tenure" || rs.Version != "2.0.0") {
				t.Errorf("%s: reason not stamped with the rule: %+v", batch[i].ID, rs)
			}
		}
		if got[i].Outcome != w.outcome || strings.Join(codes, " ") != w.codes {
			t.Errorf("%s: %s %v; want %s %s", batch[i].ID, got[i].Outcome, codes, w.outcome, w.codes)
		}
		if w.errText == "" {
			continue
		}
		// The reason names the plug-in, the rule and the code; the error's
		// text, which the plug-in wrote, goes to the log only.
		if len(got[i].Reasons) == 0 || got[i].Reasons[0].Params["code"] != string(bsk.CodeInternal) || got[i].Reasons[0].Params["plugin"] != "faulty" {
			t.Errorf("%s: reasons %+v; want the plug-in and the code", batch[i].ID, got[i].Reasons)
		}
		if _, ok := got[i].Reasons[0].Params["error"]; ok {
			t.Errorf("%s: the reason carries the error's text: %+v", batch[i].ID, got[i].Reasons[0])
		}
		if !strings.Contains(logs.String(), strings.ReplaceAll(w.errText, `"`, `\"`)) {
			t.Errorf("%s: the log lacks %q:\n%s", batch[i].ID, w.errText, logs.String())
		}
	}
}

// TestRuleWholeCallFailures: a plug-in that exits or hangs mid-batch fails
// the call; the rule set makes the whole batch need review, names the
// plug-in and the applications, and the rule works again afterwards.
func TestRuleWholeCallFailures(t *testing.T) {
	opts := testOptions(nil)
	opts.CallTimeout = 400 * time.Millisecond
	_, r := tenureRule(t, opts)
	set := scholarship.RuleSet[subject]{Rules: []scholarship.Rule[subject]{r}}
	for _, fault := range []string{"exit", "hang"} {
		t.Run(fault, func(t *testing.T) {
			batch := []subject{{ID: "b-1", Months: 12}, {ID: "b-2", Months: 12, Fault: fault}}
			_, err := r.Check(context.Background(), batch)
			if bsk.ErrorCode(err) != bsk.CodeInternal || !strings.Contains(err.Error(), `plugin "faulty" eligibility rule "tenure" applications "b-1", "b-2"`) {
				t.Errorf("Check = %v; want an internal error naming the plugin and applications", err)
			}
			for _, v := range set.Evaluate(context.Background(), batch) {
				if v.Outcome != scholarship.NeedsReview || v.Reasons[0].Code != "rule_failed" {
					t.Errorf("verdict %+v; want needs review", v)
				}
			}
			res, err := r.Check(context.Background(), []subject{{ID: "b-3", Months: 2}})
			if err != nil || len(res) != 1 || len(res[0]) != 1 || res[0][0].Code != "tenure_short" {
				t.Errorf("Check after %s = %v, %v", fault, res, err)
			}
		})
	}
}

func TestCriterionFaults(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	k, err := plugins.NewCriterion(c, "seniority")
	if err != nil {
		t.Fatal(err)
	}
	app := func(id string, months int) scholarship.Application {
		return scholarship.Application{ID: id, Applicant: scholarship.Applicant{MonthsEmployed: months}}
	}
	pts, err := k.Score(context.Background(), []scholarship.Application{app("a", 6), app("b", 30)})
	if err != nil || len(pts) != 2 || pts[0].Value != 0.5 || pts[1].Value != 1 {
		t.Errorf("Score = %v, %v; want 0.5 and 1", pts, err)
	}
	for _, tt := range []struct{ id, contains string }{
		{"panic-1", `plugin "faulty" criterion rule "seniority" application "panic-1": panic: seniority: cannot score panic-1`},
		{"range-1", `application "range-1": value: points outside [0, 1]`},
	} {
		_, err := k.Score(context.Background(), []scholarship.Application{app("a", 6), app(tt.id, 1), app("c", 1)})
		if bsk.ErrorCode(err) != bsk.CodeInternal || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("Score(%s) = %v; want an internal error containing %q", tt.id, err, tt.contains)
		}
	}
	if _, err := plugins.NewCriterion(c, "tenure"); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("NewCriterion(tenure) = %v; want not found (it is an eligibility rule)", err)
	}
}
