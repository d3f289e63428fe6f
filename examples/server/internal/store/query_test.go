package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// TestNewest: the records whose nested document field holds a value come
// newest ID first, page by page before a cursor, exactly those a full
// listing filtered by the decoded documents gives (every record for the
// zero Match), alike on SQLite and
// PostgreSQL; a path that is not plain JSON names is refused, never put
// into the query.
func TestNewest(t *testing.T) {
	presets := []string{"reflective_consultation", "intergroup_dialogue", "mentorship"}
	for _, pl := range places(t) {
		t.Run(string(pl.dialect), func(t *testing.T) {
			ctx := context.Background()
			db := pl.open(t)
			err := db.Write(ctx, func(tx *store.Tx) error {
				for i := range 40 {
					// Inserted out of ID order: the order is the IDs'.
					id := fmt.Sprintf("run-%03d", (i*17)%40)
					doc := fmt.Sprintf(`{"id":%q,"request":{"preset":%q},"status":"done"}`, id, presets[(i*7)%len(presets)])
					if i%9 == 0 {
						doc = fmt.Sprintf(`{"id":%q,"status":"done"}`, id) // no request
					}
					if err := tx.Insert(ctx, store.GroupingRuns, store.Record{ID: id, Parent: "p", Doc: []byte(doc)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.List(ctx, store.GroupingRuns, store.Filter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, preset := range append(presets, "none") {
				var want []string
				for _, r := range all {
					var d struct {
						Request struct {
							Preset string `json:"preset"`
						} `json:"request"`
					}
					if err := json.Unmarshal(r.Doc, &d); err != nil {
						t.Fatal(err)
					}
					if d.Request.Preset == preset {
						want = append(want, r.ID)
					}
				}
				slices.Reverse(want)
				var got []string
				before := ""
				for range 100 {
					recs, err := db.Newest(ctx, store.GroupingRuns, store.Match{Path: "request.preset", Value: preset}, before, 3)
					if err != nil {
						t.Fatal(err)
					}
					if len(recs) > 3 {
						t.Fatalf("Newest(limit 3) = %d records", len(recs))
					}
					for _, r := range recs {
						if r.Parent != "p" || len(r.Doc) == 0 {
							t.Errorf("Newest record %s = parent %q, doc %q", r.ID, r.Parent, r.Doc)
						}
						got = append(got, r.ID)
					}
					if len(recs) < 3 {
						break
					}
					before = recs[len(recs)-1].ID
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("Newest(%s) page by page (-want +got):\n%s", preset, d)
				}
			}
			var every []string
			for _, r := range all {
				every = append(every, r.ID)
			}
			slices.Reverse(every)
			var got []string
			for before := ""; ; {
				recs, err := db.Newest(ctx, store.GroupingRuns, store.Match{}, before, 7)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range recs {
					got = append(got, r.ID)
				}
				if len(recs) < 7 {
					break
				}
				before = recs[len(recs)-1].ID
			}
			if d := cmp.Diff(every, got); d != "" {
				t.Errorf("Newest(every record) page by page (-want +got):\n%s", d)
			}
			for _, path := range []string{"request.preset') OR 1=1 --", "Request", "request..preset", ".status", ""} {
				if _, err := db.Newest(ctx, store.GroupingRuns, store.Match{Path: path, Value: "x"}, "", 1); bsk.ErrorCode(err) != bsk.CodeInternal {
					t.Errorf("Newest(path %q) = %v; want an internal error", path, err)
				}
			}
			if _, err := db.Newest(ctx, store.GroupingRuns, store.Match{Path: "status", Value: "done"}, "", 0); bsk.ErrorCode(err) != bsk.CodeInternal {
				t.Errorf("Newest(limit 0) = %v; want an internal error", err)
			}
		})
	}
}

// TestContaining: the records whose document's text holds a text,
// ignoring the case of ASCII letters, come in ID order after the cursor,
// of one organization when asked, a page at a time, exactly those the
// decoded documents give, alike on SQLite and PostgreSQL; a bad path is
// refused.
func TestContaining(t *testing.T) {
	names := []string{"Ana Lopez", "ANNA Smith", "Bo Chan", "Hannah Lee", "Dana", "Lee Anand", "Zed"}
	for _, pl := range places(t) {
		t.Run(string(pl.dialect), func(t *testing.T) {
			ctx := context.Background()
			db := pl.open(t)
			err := db.Write(ctx, func(tx *store.Tx) error {
				for i := range 60 {
					doc, _ := json.Marshal(map[string]string{"name": names[i%len(names)]})
					org := []string{"org-a", "org-b"}[i%2]
					if err := tx.Insert(ctx, store.Providers, store.Record{ID: fmt.Sprintf("p-%03d", (i*13)%60), Org: org, Doc: doc}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			all, err := db.List(ctx, store.Providers, store.Filter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range []string{"an", "AN", "lee", "zed", "none"} {
				for _, org := range []string{"", "org-b"} {
					var want []string
					for _, r := range all {
						var d struct{ Name string }
						if err := json.Unmarshal(r.Doc, &d); err != nil {
							t.Fatal(err)
						}
						if (org == "" || r.Org == org) && strings.Contains(strings.ToLower(d.Name), strings.ToLower(text)) {
							want = append(want, r.ID)
						}
					}
					var got []string
					f := store.Filter{Org: org, Limit: 4}
					for range 100 {
						recs, err := db.Containing(ctx, store.Providers, "name", text, f)
						if err != nil {
							t.Fatal(err)
						}
						for _, r := range recs {
							got = append(got, r.ID)
						}
						if len(recs) < f.Limit {
							break
						}
						f.After = recs[len(recs)-1].ID
					}
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("Containing(%q, org %q) page by page (-want +got):\n%s", text, org, d)
					}
				}
			}
			if _, err := db.Containing(ctx, store.Providers, "name') --", "x", store.Filter{Limit: 1}); bsk.ErrorCode(err) != bsk.CodeInternal {
				t.Errorf("Containing(bad path) = %v; want an internal error", err)
			}
		})
	}
}

// TestValuesAndGetMany: the values at a path come with their IDs in ID
// order, of one organization or parent when asked ("" where a document
// has none), and GetMany reads records in the order asked, leaving out
// IDs with no record, alike on SQLite and PostgreSQL.
func TestValuesAndGetMany(t *testing.T) {
	for _, pl := range places(t) {
		t.Run(string(pl.dialect), func(t *testing.T) {
			ctx := context.Background()
			db := pl.open(t)
			recs := []store.Record{
				{ID: "r3", Org: "org-a", Parent: "o1", Doc: []byte(`{"at":"2026-01-02T03:04:05.123456789Z","id":"r3"}`)},
				{ID: "r1", Org: "org-b", Parent: "o1", Doc: []byte(`{"at":"2026-01-01T00:00:00Z","id":"r1"}`)},
				{ID: "r2", Org: "org-a", Parent: "o2", Doc: []byte(`{"id":"r2"}`)},
			}
			err := db.Write(ctx, func(tx *store.Tx) error {
				for _, r := range recs {
					if err := tx.Insert(ctx, store.Registrations, r); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				f    store.Filter
				want []store.Keyed
			}{
				{store.Filter{}, []store.Keyed{{"r1", "2026-01-01T00:00:00Z"}, {"r2", ""}, {"r3", "2026-01-02T03:04:05.123456789Z"}}},
				{store.Filter{Org: "org-a"}, []store.Keyed{{"r2", ""}, {"r3", "2026-01-02T03:04:05.123456789Z"}}},
				{store.Filter{Parent: "o1", Org: "org-b"}, []store.Keyed{{"r1", "2026-01-01T00:00:00Z"}}},
			} {
				got, err := db.Values(ctx, store.Registrations, "at", c.f)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(c.want, got); d != "" {
					t.Errorf("Values(at, %+v) (-want +got):\n%s", c.f, d)
				}
			}
			got, err := db.GetMany(ctx, store.Registrations, []string{"r3", "nosuch", "r1"})
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].Doc = []byte(strings.ReplaceAll(string(got[i].Doc), " ", ""))
			}
			if d := cmp.Diff([]store.Record{recs[0], recs[1]}, got); d != "" {
				t.Errorf("GetMany (-want +got):\n%s", d)
			}
			if _, err := db.Values(ctx, store.Registrations, "at') --", store.Filter{}); bsk.ErrorCode(err) != bsk.CodeInternal {
				t.Errorf("Values(bad path) = %v; want an internal error", err)
			}
		})
	}
}
