package service

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// TestSessionsInMonth: the month's sessions read by their start times are
// those that decoding every session finds, by offering and in the same
// order, for every month the demo has sessions in and in two time zones,
// on SQLite and PostgreSQL.
func TestSessionsInMonth(t *testing.T) {
	for dialect, svc := range homeServices(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			db := svc.Program.db
			var all []store.Record
			if err := scanAll(ctx, db, store.Sessions, store.Filter{}, func(rec store.Record) error {
				all = append(all, rec)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(all) == 0 {
				t.Fatal("the demo has no sessions")
			}
			for _, zone := range []string{"UTC", DefaultTimeZone} {
				loc, err := time.LoadLocation(zone)
				if err != nil {
					t.Fatal(err)
				}
				months := map[string]bool{"1999-01": true}
				for _, rec := range all {
					s, err := decode[bsk.Session]("session", rec)
					if err != nil {
						t.Fatal(err)
					}
					months[s.Starts.In(loc).Format("2006-01")] = true
				}
				for month := range months {
					want := map[string][]bsk.Session{}
					for _, rec := range all {
						s, _ := decode[bsk.Session]("session", rec)
						if s.Starts.In(loc).Format("2006-01") == month {
							want[rec.Parent] = append(want[rec.Parent], s)
						}
					}
					got, err := sessionsInMonth(ctx, db, month, loc)
					if err != nil {
						t.Fatal(err)
					}
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("sessionsInMonth(%s, %s) (-every session decoded +got):\n%s", month, zone, d)
					}
				}
			}
		})
	}
}
