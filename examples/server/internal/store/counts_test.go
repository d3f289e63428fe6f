package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/examples/server/internal/store"
)

// TestCountByParent: records are counted by parent and a document field's
// value (absent reads as ""), leaving out those whose other field is set,
// alike on SQLite and PostgreSQL; a field name that is not a plain JSON
// name is refused, never put into the query.
func TestCountByParent(t *testing.T) {
	for _, pl := range places(t) {
		t.Run(string(pl.dialect), func(t *testing.T) {
			ctx := context.Background()
			db := pl.open(t)
			docs := []struct{ parent, doc string }{
				{"off-a", `{"status":"registered"}`},
				{"off-a", `{"status":"registered","session_id":""}`},
				{"off-a", `{"status":"waitlisted"}`},
				{"off-a", `{"status":"registered","session_id":"s1"}`},
				{"off-b", `{"status":"cancelled"}`},
				{"off-b", `{}`},
			}
			err := db.Write(ctx, func(tx *store.Tx) error {
				for i, d := range docs {
					if err := tx.Insert(ctx, store.Registrations, store.Record{ID: fmt.Sprintf("r%02d", i), Parent: d.parent, Doc: []byte(d.doc)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.CountByParent(ctx, store.Registrations, "status", "session_id")
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(got, func(a, b store.GroupCount) int {
				return strings.Compare(a.Parent+"/"+a.Value, b.Parent+"/"+b.Value)
			})
			want := []store.GroupCount{{"off-a", "registered", 2}, {"off-a", "waitlisted", 1}, {"off-b", "", 1}, {"off-b", "cancelled", 1}}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("CountByParent (-want +got):\n%s", d)
			}
			got, err = db.CountByParent(ctx, store.Registrations, "status", "session_id", "off-b", "off-c")
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(got, func(a, b store.GroupCount) int { return strings.Compare(a.Value, b.Value) })
			if d := cmp.Diff([]store.GroupCount{{"off-b", "", 1}, {"off-b", "cancelled", 1}}, got); d != "" {
				t.Errorf("CountByParent of off-b and off-c (-want +got):\n%s", d)
			}
			for _, bad := range []string{"status') --", "Status", ""} {
				if _, err := db.CountByParent(ctx, store.Registrations, bad, "session_id"); err == nil {
					t.Errorf("CountByParent with field %q: no error", bad)
				}
			}
		})
	}
}
