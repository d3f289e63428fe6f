package grouping_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/beststarts/workforce/grouping"
)

// BenchmarkAssignLeaders: 97 groups of 7, 20 consultants of capacity 5,
// language and organization rules.
func BenchmarkAssignLeaders(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var p grouping.LeaderProblem
	langs := []string{"en", "es", "so", "vi"}
	for g := range 97 {
		lang := langs[r.IntN(len(langs))]
		var ids []grouping.MemberID
		for k := range 7 {
			id := grouping.MemberID(fmt.Sprintf("g%d-%d", g, k))
			p.Members = append(p.Members, grouping.Member{ID: id, Attrs: map[string]string{"organization": fmt.Sprint("o", g/2)}, Sets: map[string][]string{"languages": {lang}}})
			ids = append(ids, id)
		}
		p.Groups = append(p.Groups, ids)
	}
	for l := range 20 {
		p.Leaders = append(p.Leaders, grouping.Leader{ID: fmt.Sprint("c", l), Capacity: 5, Sets: map[string][]string{"languages": {"en", langs[l%4]}}})
	}
	p.Share, p.Conflict = []string{"languages"}, []string{"organization"}
	for b.Loop() {
		if _, err := grouping.AssignLeaders(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssignChoices: 500 members, 12 communities of practice, three
// ranked choices each.
func BenchmarkAssignChoices(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var p grouping.ChoiceProblem
	for c := range 12 {
		p.Choices = append(p.Choices, grouping.Choice{ID: fmt.Sprint("cop", c), Capacity: 45})
	}
	for m := range 500 {
		ch := grouping.Chooser{ID: grouping.MemberID(fmt.Sprint("m", m))}
		for _, c := range r.Perm(12)[:3] {
			ch.Ranked = append(ch.Ranked, fmt.Sprint("cop", c))
		}
		p.Choosers = append(p.Choosers, ch)
	}
	for b.Loop() {
		if _, err := grouping.AssignChoices(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}
