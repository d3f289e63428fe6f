package main

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/grouping"
)

func TestRule(t *testing.T) {
	m := func(id, boss string) grouping.Member {
		if boss == "" {
			return grouping.Member{ID: grouping.MemberID(id)}
		}
		return grouping.Member{ID: grouping.MemberID(id), Attrs: map[string]string{"supervisor": boss}}
	}
	p := &grouping.Problem{Groups: 2, Size: grouping.Bounds{Min: 1, Max: 4}, Members: []grouping.Member{
		m("director", ""),
		m("sup-1", "director"),
		m("hv-1", "sup-1"),
		m("hv-2", "sup-1"),
		m("hv-3", "sup-9"),    // supervisor not in this problem
		m("self", "self"),     // bad data: one's own supervisor
		m("doula-1", "sup-2"), // sup-2 not here either
	}}
	a, err := rule("supervisor").Amend(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := grouping.Amendment{CannotLink: []grouping.Pair{
		{A: "director", B: "sup-1"}, {A: "sup-1", B: "hv-1"}, {A: "sup-1", B: "hv-2"},
	}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("Amend (-want +got):\n%s", diff)
	}
	if a, _ := rule("manager").Amend(context.Background(), p); len(a.CannotLink) != 0 {
		t.Errorf("with an attribute nobody has: %+v; want nothing", a)
	}
}
