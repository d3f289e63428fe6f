package app

import (
	"context"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/grouping"
)

// assignLeaders gives each group of a solution a consultant.
func assignLeaders(ctx context.Context, p *grouping.Problem, sol *grouping.Solution, leaders []bsk.Provider, previous []string) ([]string, error) {
	return nil, nil
}
