package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/grouping"
	"github.com/beststarts/workforce/training"
)

// The program at 10,000 providers: the synthetic workforce of 300
// agencies and 10,000 providers, its year of offerings repeated for five
// program years at fifteen times the demo's count (one copy per 680
// providers), every capacity-limited training filled to capacity with
// three more waiting.
const (
	scaleOrganizations = 300
	scaleProviders     = 10_000
	scaleYears         = 5
	scaleCopiesPerYear = 15
	scaleWaiting       = 3
	// scaleRuns grouping runs over the whole workforce, one a month for
	// two years: reflective consultations, with an intergroup dialogue
	// (which a coordinator may not see) the newest of all.
	scaleRuns      = 24
	scaleGroupSize = 8
)

// scaleData is what the benchmark's pages are read with.
type scaleData struct {
	// Offerings, Registrations and Runs count what was stored.
	Offerings, Registrations, Runs int
	// Training is a full training of the current year; Agency the agency
	// with the most staff; Provider one of its staff.
	Training string
	Agency   bsk.OrganizationID
	Provider bsk.Provider
}

// loadScale writes the program at 10,000 providers into a new SQLite
// database file in dir, record by record as the server stores them.
func loadScale(tb testing.TB, dir string) scaleData {
	tb.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	wf := bsktest.Workforce(1, bsktest.Options{Organizations: scaleOrganizations, Providers: scaleProviders})
	if err := wf.Validate(); err != nil {
		tb.Fatal(err)
	}
	var out scaleData
	staff := map[bsk.OrganizationID]int{}
	var attendees []bsk.Provider
	for _, p := range wf.Providers {
		if !p.Role.Leads() {
			attendees = append(attendees, p)
			staff[p.OrganizationID]++
		}
	}
	for org, n := range staff {
		if n > staff[out.Agency] || (n == staff[out.Agency] && org < out.Agency) {
			out.Agency = org
		}
	}
	for _, p := range attendees {
		if p.OrganizationID == out.Agency {
			out.Provider = p
			break
		}
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		put := func(k store.Kind, id, org, parent string, v any) error {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			return tx.Insert(ctx, k, store.Record{ID: id, Org: org, Parent: parent, Doc: b})
		}
		for _, o := range wf.Organizations {
			if err := put(store.Organizations, string(o.ID), string(o.ID), "", o); err != nil {
				return err
			}
		}
		for _, p := range wf.Providers {
			if err := put(store.Providers, string(p.ID), string(p.OrganizationID), "", p); err != nil {
				return err
			}
		}
		if err := putRuns(put, wf.Providers, &out); err != nil {
			return err
		}
		orgOf := map[bsk.ProviderID]string{}
		for _, p := range wf.Providers {
			orgOf[p.ID] = string(p.OrganizationID)
		}
		for _, at := range wf.Attendance {
			id := string(at.SessionID) + "/" + string(at.ProviderID)
			if err := put(store.Attendance, id, orgOf[at.ProviderID], string(at.SessionID), at); err != nil {
				return err
			}
		}
		next := 0 // the next attendee to register, round the workforce
		thisYear := time.Now().UTC().Year()
		for y := range scaleYears {
			for k := range scaleCopiesPerYear {
				for _, o := range wf.Offerings {
					c := o
					c.ID = bsk.OfferingID(fmt.Sprintf("y%d-%02d-%s", thisYear-y, k, o.ID))
					c.Starts, c.Ends = shiftYears(o.Starts, thisYear-y-o.Starts.Year()), shiftYears(o.Ends, thisYear-y-o.Starts.Year())
					if err := put(store.Offerings, string(c.ID), string(c.OrganizationID), "", c); err != nil {
						return err
					}
					out.Offerings++
					for _, s := range wf.Sessions {
						if s.OfferingID != o.ID {
							continue
						}
						s.ID = bsk.SessionID(fmt.Sprintf("%s-%s", c.ID, s.ID))
						s.OfferingID = c.ID
						s.Starts = shiftYears(s.Starts, thisYear-y-o.Starts.Year())
						if err := put(store.Sessions, string(s.ID), "", string(c.ID), s); err != nil {
							return err
						}
					}
					if o.Kind != bsk.OfferingTraining || o.OrganizationID != "" || o.Capacity <= 0 {
						continue
					}
					if out.Training == "" && y == 0 {
						out.Training = string(c.ID)
					}
					roster, err := training.NewRoster(c, "")
					if err != nil {
						return err
					}
					at := c.Starts.AddDate(0, 0, -30)
					for n := range c.Capacity + scaleWaiting {
						p := attendees[next%len(attendees)]
						next++
						reg := bsk.Registration{ID: bsk.RegistrationID(fmt.Sprintf("r-%s-%04d", c.ID, n)), OfferingID: c.ID, ProviderID: p.ID,
							OrganizationID: p.OrganizationID, At: at.Add(time.Duration(n) * time.Minute)}
						got, err := roster.Register(reg)
						if err != nil {
							return err
						}
						if err := put(store.Registrations, string(got.ID), string(p.OrganizationID), string(c.ID), got); err != nil {
							return err
						}
						out.Registrations++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// putRuns stores scaleRuns finished grouping runs, each placing every
// provider in groups of scaleGroupSize with a placement and its reasons,
// as a run over the whole workforce is stored.
func putRuns(put func(store.Kind, string, string, string, any) error, people []bsk.Provider, out *scaleData) error {
	start := time.Now().UTC().AddDate(0, -scaleRuns, 0)
	for i := range scaleRuns {
		created := start.AddDate(0, i, 0)
		preset := grouping.ReflectiveConsultationPreset
		if i == scaleRuns-1 {
			preset = grouping.IntergroupDialoguePreset
		}
		n := (len(people) + scaleGroupSize - 1) / scaleGroupSize
		sol := &grouping.Solution{Groups: make([][]grouping.MemberID, n), Unplaced: []grouping.Unplaced{}, Seed: uint64(i), Iterations: 1000}
		leaders := make([]string, n)
		for j, p := range people {
			g := j / scaleGroupSize
			sol.Groups[g] = append(sol.Groups[g], grouping.MemberID(p.ID))
			sol.Placements = append(sol.Placements, grouping.Placement{Member: grouping.MemberID(p.ID), Group: g, Why: []string{"shares:language=en", "same:region=" + string(p.OrganizationID)}})
			if j%scaleGroupSize == 0 {
				leaders[g] = string(p.ID)
			}
		}
		byGroup := make([]float64, n)
		for g := range byGroup {
			byGroup[g] = 1
		}
		sol.Breakdown = []grouping.CriterionScore{{Criterion: "language", Weight: 1, Score: float64(n), Weighted: float64(n), ByGroup: byGroup}}
		finished := created.Add(time.Minute)
		run := service.GroupingRun{ID: "run-" + fmt.Sprintf("%013x%016x", created.UnixMicro(), i), Status: service.RunDone,
			Request: service.GroupingRunRequest{Preset: preset}, Solution: sol, Leaders: leaders,
			CreatedBy: "key-bench", CreatedAt: created, FinishedAt: &finished}
		if err := put(store.GroupingRuns, run.ID, "", "", run); err != nil {
			return err
		}
		out.Runs++
	}
	return nil
}

// shiftYears moves t by years, keeping the zero time zero.
func shiftYears(t time.Time, years int) time.Time {
	if t.IsZero() {
		return t
	}
	return t.AddDate(years, 0, 0)
}

// BenchmarkPagesAt10k reads each main page over loopback HTTP from a
// server over a real database file holding the program at 10,000
// providers (see loadScale: 300 agencies, 1,125 offerings over five
// years, about 115,000 registrations), signed in as a coordinator (an
// agency with the most staff for its registrations). Each sub-benchmark
// reports its page's 95th percentile, from request to the last byte, as
// p95-ms.
//
//	go test -run '^$' -bench PagesAt10k -benchtime 100x ./examples/server/internal/web/
func BenchmarkPagesAt10k(b *testing.B) {
	dir := b.TempDir()
	t0 := time.Now()
	d := loadScale(b, dir)
	b.Logf("loaded %d offerings, %d registrations and %d grouping runs in %s", d.Offerings, d.Registrations, d.Runs, time.Since(t0).Round(time.Millisecond))
	s := startCfg(b, app.Config{Data: dir, NoDemo: true})
	coord, _ := s.key("coordinator", "", "")
	agency, _ := s.key("agency", string(d.Agency), "")
	cb, ab := s.browser(), s.browser()
	cb.signIn(coord)
	ab.signIn(agency)
	name := url.QueryEscape(d.Provider.Name[:3])
	for _, pg := range []struct {
		name string
		br   *browser
		path string
	}{
		{"home", cb, "/web/"},
		{"organizations", cb, "/web/organizations"},
		{"providers", cb, "/web/providers"},
		{"providers-org", cb, "/web/providers?org=" + string(d.Agency)},
		{"providers-name", cb, "/web/providers?name=" + name},
		{"provider", cb, "/web/providers/" + string(d.Provider.ID)},
		{"trainings", cb, "/web/trainings"},
		{"offering", cb, "/web/trainings/" + d.Training},
		{"offering-find", ab, "/web/trainings/" + d.Training + "?who=" + name},
		{"registrations-agency", ab, "/web/trainings/registrations"},
		{"calendar", cb, "/web/program/calendar"},
		{"transcript", cb, "/web/providers/" + string(d.Provider.ID) + "/transcript"},
		{"runs", cb, "/web/runs"},
		{"imports", cb, "/web/imports"},
	} {
		b.Run(pg.name, func(b *testing.B) { benchPage(b, pg.br, pg.path) })
	}
}
