package grouping_test

import (
	"context"
	"errors"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// TestTooManyGroups: a group count far beyond any need is refused before
// anything is sized by it.
func TestTooManyGroups(t *testing.T) {
	p := &grouping.Problem{Groups: 1 << 40, Size: grouping.Bounds{Min: 0, Max: 1}, Members: members(3)}
	_, err := grouping.Solve(context.Background(), p, grouping.Options{Iterations: 1})
	var list bsk.Errors
	if !errors.As(err, &list) || !errors.Is(err, bsk.ErrInvalid) || list[0].Field != "groups" {
		t.Fatalf("Solve with %d groups = %v; want an invalid error at groups", p.Groups, err)
	}
	w := smallWorkforce()
	_, err = grouping.TrainingBreakouts(w.Providers[:10], grouping.PresetOptions{Groups: 1 << 40, Size: grouping.Bounds{Max: 2}})
	if err == nil {
		q, _ := grouping.TrainingBreakouts(w.Providers[:10], grouping.PresetOptions{Groups: 1 << 40, Size: grouping.Bounds{Max: 2}})
		err = q.Validate()
	}
	if !errors.Is(err, bsk.ErrInvalid) {
		t.Fatalf("training breakouts with %d groups: %v; want an invalid error", 1<<40, err)
	}
}
