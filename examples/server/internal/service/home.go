package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/beststarts/workforce/bsk"

	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
)

// latestBatch is how many of the newest runs of a preset [Grouping.Latest]
// reads at a time while it looks for one the caller may see.
const latestBatch = 2

// Latest returns the newest run of a preset that the caller may see, in
// full with its reasons' texts in English, or nil when there is none. It
// reads the runs from the store newest first, looks at each one's request
// alone (which a stored run holds before its solution), and decodes in
// full the first of the preset the caller may see, so it decodes one run
// however many runs are on file. The read of a run formed from
// demographics is audited.
//
// Errors: unauthorized (a role that may not read runs).
func (g *Grouping) Latest(ctx context.Context, preset grouping.Preset) (*GroupingRun, error) {
	p, err := require(ctx, RunRoles...)
	if err != nil {
		return nil, err
	}
	before := ""
	for {
		recs, err := g.db.Newest(ctx, store.GroupingRuns, store.Match{}, before, latestBatch)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			req, err := runRequest(rec)
			if err != nil {
				return nil, err
			}
			if req.Preset != preset || !CanReadRun(p, GroupingRun{Request: req}) {
				continue
			}
			run, err := decode[GroupingRun]("grouping run", rec)
			if err != nil {
				return nil, err
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

// runRequest is the request of a stored run, read from the start of its
// document up to the request's end, never through its solution.
func runRequest(rec store.Record) (GroupingRunRequest, error) {
	bad := func(err error) (GroupingRunRequest, error) {
		return GroupingRunRequest{}, bsk.Errorf(bsk.CodeInternal, "grouping run %q: %w", rec.ID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return bad(fmt.Errorf("not an object: %v", err))
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		if key == "request" {
			var req GroupingRunRequest
			if err := dec.Decode(&req); err != nil {
				return bad(err)
			}
			return req, nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return bad(err)
		}
	}
	return GroupingRunRequest{}, nil
}
