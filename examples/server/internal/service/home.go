package service

import (
	"context"

	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// latestBatch is how many of the newest runs of a preset [Grouping.Latest]
// reads at a time while it looks for one the caller may see.
const latestBatch = 8

// Latest returns the newest run of a preset that the caller may see, in
// full with its reasons' texts in English, or nil when there is none. It
// reads the newest runs of the preset from the store, newest first, and
// stops at the first the caller may see, so it reads one run when the
// newest is visible, however many runs are on file. The read of a run
// formed from demographics is audited.
//
// Errors: unauthorized (a role that may not read runs).
func (g *Grouping) Latest(ctx context.Context, preset grouping.Preset) (*GroupingRun, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return nil, err
	}
	before := ""
	for {
		recs, err := g.db.Newest(ctx, store.GroupingRuns, store.Match{Path: "request.preset", Value: string(preset)}, before, latestBatch)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			run, err := decode[GroupingRun]("grouping run", rec)
			if err != nil {
				return nil, err
			}
			if !CanReadRun(p, run) {
				continue
			}
			if err := g.auditRunReads(ctx, run); err != nil {
				return nil, err
			}
			shown := g.shown(run)
			return &shown, nil
		}
		if len(recs) < latestBatch {
			return nil, nil
		}
		before = recs[len(recs)-1].ID
	}
}
