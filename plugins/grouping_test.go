//go:build unix

package plugins_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/plugins"
)

func rcProblem() *grouping.Problem {
	sup := func(id, boss string) grouping.Member {
		return grouping.Member{ID: grouping.MemberID(id), Attrs: map[string]string{"supervisor": boss, "org": "org-1"}}
	}
	return &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 2, Max: 4}, Members: []grouping.Member{
		sup("sup-a", ""), sup("hv-1", "sup-a"), sup("hv-2", "sup-a"),
		sup("sup-b", ""), sup("hv-3", "sup-b"), sup("hv-4", "sup-x"),
	}}
}

func TestGroupingRule(t *testing.T) {
	c := open(t, entry(t, "noreports"), testOptions(nil))
	r, err := plugins.NewGroupingRule(c, "no_direct_reports")
	if err != nil {
		t.Fatal(err)
	}
	p := rcProblem()
	got, err := grouping.Apply(context.Background(), p, map[string]grouping.Rule{"noreports": r})
	if err != nil {
		t.Fatal(err)
	}
	want := []grouping.Pair{{A: "sup-a", B: "hv-1"}, {A: "sup-a", B: "hv-2"}, {A: "sup-b", B: "hv-3"}}
	if diff := cmp.Diff(want, got.CannotLink); diff != "" {
		t.Errorf("CannotLink (-want +got):\n%s", diff)
	}
	if len(p.CannotLink) != 0 {
		t.Errorf("Apply changed the original problem")
	}
	if _, err := plugins.NewGroupingRule(c, "nope"); !errors.Is(err, bsk.ErrNotFound) {
		t.Errorf("NewGroupingRule(nope) = %v; want not found", err)
	}
}

func TestGroupingRuleInconsistent(t *testing.T) {
	c := open(t, entry(t, "faulty"), testOptions(nil))
	r, err := plugins.NewGroupingRule(c, "sloppy")
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Amend(context.Background(), rcProblem())
	for _, want := range []string{`plugin "faulty" grouping rule "sloppy": inconsistent amendment`, `cannot_link[0].b: unknown member "ghost"`, "exclude[0].reason.code: is required"} {
		if !strings.Contains(errText(err), want) {
			t.Errorf("Amend = %v; want it to contain %q", err, want)
		}
	}
	if bsk.ErrorCode(err) != bsk.CodeInternal {
		t.Errorf("code = %s; want internal", bsk.ErrorCode(err))
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
