package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// BenchmarkCycle5000TwoPlugins times POST .../runs on 5,000 applications:
// the built-in rules, two agency plug-ins as real processes, scoring,
// ranking, allocation, and 5,000 decision records written in one
// transaction. Goal: at most 2 s.
func BenchmarkCycle5000TwoPlugins(b *testing.B) {
	catalog := catalogFile(b,
		plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Enabled: true},
		plugins.Entry{Agency: "Example Early Learning Center", Name: "minhours", Enabled: true},
	)
	s := startWith(b, backend{name: "sqlite"}, app.Config{Data: b.TempDir(), PluginCatalog: catalog})
	s.expect(201, "POST", "/api/v1/programs", s.Admin, esitProgram(500_000_00, "sixmonths/agency_six_months", "minhours/agency_minimum_hours"))
	staff := staffOf(b, s, "org-001")
	ctx := context.Background()
	err := s.App.DB().Write(ctx, func(tx *store.Tx) error {
		for i := range 5000 {
			pv := staff[i%len(staff)]
			a := application(pv.ID, fmt.Sprintf("applicant %d", i), 1+i%40, float64(5+i%40))
			a.ID = fmt.Sprintf("app-%05d", i)
			a.ProgramID, a.CycleID = "esit", "2026"
			a.Applicant.PersonID = fmt.Sprintf("person-%05d", i)
			a.Applicant.Employer = &bsk.Organization{ID: pv.OrganizationID, Name: "Agency", Kind: bsk.OrgCommunityBased, Place: "kent", ServesYoungChildren: true}
			a.Answers.FinancialNeed = i % 4
			doc, _ := json.Marshal(a)
			if err := tx.Insert(ctx, store.Applications, store.Record{ID: a.ID, Org: string(pv.OrganizationID), Parent: "esit/2026", Doc: doc}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		var run app.CycleRun
		s.expect(201, "POST", "/api/v1/programs/esit/cycles/2026/runs", s.Admin, nil).json(b, &run)
		if len(run.NeedsReview) > 0 || run.Counts[scholarship.Ineligible] == 0 || run.Counts[scholarship.Eligible] == 0 {
			b.Fatalf("counts = %v", run.Counts)
		}
	}
}

// BenchmarkSurveyImport100k uploads a 100,000-row survey CSV and waits for
// the background import to finish, reading the import's status and the
// instrument list the whole time: goal at most 10 s, with reads answered
// throughout.
func BenchmarkSurveyImport100k(b *testing.B) {
	s := startWith(b, backend{name: "sqlite"}, app.Config{Data: b.TempDir(), NoDemo: true, ImportLimit: "64M"})
	s.expect(201, "POST", "/api/v1/instruments", s.Admin, annual)
	data := annualCSV(100_000, 7)
	b.ResetTimer()
	var reads int
	var worst time.Duration
	for b.Loop() {
		imp := upload(b, s, s.Admin, "/api/v1/instruments/annual-2026/imports", data)
		for {
			t0 := time.Now()
			var got app.SurveyImport
			s.expect(200, "GET", "/api/v1/imports/"+imp.ID, s.Admin, nil).json(b, &got)
			s.expect(200, "GET", "/api/v1/instruments", s.Admin, nil)
			worst = max(worst, time.Since(t0))
			reads += 2
			if got.Status != app.RunRunning {
				if got.Status != app.RunDone || got.Report.Imported != 100_000 {
					b.Fatalf("import = %+v", got)
				}
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-read-ms")
}
