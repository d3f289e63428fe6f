package app

import (
	"context"
	"encoding/json"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// allOf decodes every record of a kind, page by page. The handlers of
// scholarship programs and survey instruments still read the store with
// it until their services take over their storage; grouping runs no
// longer do.
func allOf[T any](ctx context.Context, db *store.DB, k store.Kind) ([]T, error) {
	var out []T
	after := ""
	for {
		recs, err := db.List(ctx, k, store.Filter{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			var v T
			if err := json.Unmarshal(rec.Doc, &v); err != nil {
				return nil, bsk.Errorf(bsk.CodeInternal, "stored %s %q: %w", k, rec.ID, err)
			}
			out = append(out, v)
		}
		if len(recs) < 1000 {
			return out, nil
		}
		after = recs[len(recs)-1].ID
	}
}
