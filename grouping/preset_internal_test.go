package grouping

import (
	"fmt"
	"testing"
)

func TestSizeGroupsUsesTheMiddleSize(t *testing.T) {
	for _, c := range []struct {
		members  int
		size     Bounds
		groups   int
		fails    bool
		comments string
	}{
		{680, Bounds{Min: 6, Max: 8}, 97, false, "the program: 97 groups of 6-8"},
		{1980, Bounds{Min: 6, Max: 8}, 283, false, ""},
		{100, Bounds{Min: 4, Max: 6}, 20, false, "training breakouts"},
		{13, Bounds{Min: 6, Max: 8}, 2, false, "only two groups fit the bounds"},
		{9, Bounds{Min: 6, Max: 8}, 2, true, "two groups are needed and cannot reach 6 each"},
		{5, Bounds{Min: 0, Max: 2}, 3, false, "no minimum: the fewest groups"},
	} {
		p := &Problem{Size: c.size}
		for i := range c.members {
			p.Members = append(p.Members, Member{ID: MemberID(fmt.Sprint(i))})
		}
		err := sizeGroups(p, PresetOptions{})
		if (err != nil) != c.fails {
			t.Fatalf("%d members in %+v: error %v, want failure %v", c.members, c.size, err, c.fails)
		}
		if p.Groups != c.groups {
			t.Errorf("%d members in %+v (%s): %d groups, want %d", c.members, c.size, c.comments, p.Groups, c.groups)
		}
	}
}
