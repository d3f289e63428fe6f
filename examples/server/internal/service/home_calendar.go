package service

import (
	"context"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// sessionsInMonth are the sessions that start in month (as 2006-01, in
// loc), by offering ID: it reads every session's start time alone, in one
// query, and reads in full the month's sessions alone, rather than
// decoding every session of every year.
func sessionsInMonth(ctx context.Context, db *store.DB, month string, loc *time.Location) (map[string][]bsk.Session, error) {
	starts, err := db.Values(ctx, store.Sessions, "starts", store.Filter{})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, v := range starts {
		at, err := time.Parse(time.RFC3339Nano, v.Value)
		if err != nil && v.Value != "" {
			return nil, bsk.Errorf(bsk.CodeInternal, "session %q: time %q: %w", v.ID, v.Value, err)
		}
		if at.In(loc).Format("2006-01") == month {
			ids = append(ids, v.ID)
		}
	}
	out := map[string][]bsk.Session{}
	for len(ids) > 0 {
		// A few hundred IDs a query keeps within every database's limit
		// on parameters.
		n := min(len(ids), 500)
		recs, err := db.GetMany(ctx, store.Sessions, ids[:n])
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			s, err := decode[bsk.Session]("session", rec)
			if err != nil {
				return nil, err
			}
			out[rec.Parent] = append(out[rec.Parent], s)
		}
		ids = ids[n:]
	}
	return out, nil
}
