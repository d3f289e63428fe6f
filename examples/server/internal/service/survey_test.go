package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

type surveyLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *surveyLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *surveyLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// openSurveys opens the services over a new SQLite database.
func openSurveys(t *testing.T) (*Services, *surveyLog) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	logs := &surveyLog{}
	svc := New(db, zerolog.New(logs), Config{Data: dir})
	t.Cleanup(func() {
		svc.Close()
		db.Close()
	})
	return svc, logs
}

func as(role Role) context.Context {
	return WithPrincipal(context.Background(), Principal{KeyID: "key-" + string(role), Role: role, OrganizationID: "org-a"})
}

var panelInstrument = survey.Instrument{ID: "panel", Version: "1", Cycle: "2026", Population: "providers",
	Items: []survey.Item{
		{Code: "again", Kind: survey.YesNo, Text: "Would you join again?"},
		{Code: "topics", Kind: survey.Ranking, Text: "Rank the topics", Options: []survey.Option{{Code: "trauma", Label: "Trauma"}, {Code: "sleep", Label: "Sleep"}}},
		{Code: "helps", Kind: survey.Multi, Text: "What helps?", Options: []survey.Option{{Code: "time", Label: "Paid time"}, {Code: "near", Label: "Nearby sessions"}}},
	}}

// waitImported polls an import until it leaves running.
func waitImported(t *testing.T, s *Surveys, id string) SurveyImport {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		imp, err := s.Import(as(RoleAdmin), id)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Status != RunRunning {
			return imp
		}
	}
	t.Fatalf("import %s still running", id)
	return SurveyImport{}
}

// TestSurveyImportPanicIsMarkedFailed runs an import job that panics, as
// a parser bug reached from an upload would: the import must read failed
// with a problem that names the job and no internal detail, the log must
// hold the stack under the job's ID, and the service must go on
// importing.
func TestSurveyImportPanicIsMarkedFailed(t *testing.T) {
	svc, logs := openSurveys(t)
	s := svc.Surveys
	ctx := as(RoleAdmin)
	if _, err := s.CreateInstrument(ctx, panelInstrument); err != nil {
		t.Fatal(err)
	}
	imp := SurveyImport{ID: "imp-panics", InstrumentID: "panel", Format: "csv", Status: RunRunning, CreatedBy: "test", CreatedAt: time.Now().UTC()}
	if err := s.putImport(ctx, imp, true); err != nil {
		t.Fatal(err)
	}
	if !s.jobs.Start(imp.ID, func(context.Context) {
		var m map[string]int
		m["secret internal detail"]++ // a nil map write: a real runtime panic
	}, func(e *bsk.Error) { s.importFailed(imp.ID, e) }) {
		t.Fatal("the job was refused")
	}
	got := waitImported(t, s, imp.ID)
	if got.Status != RunFailed || got.FinishedAt == nil || len(got.Problems) != 1 || !strings.Contains(got.Problems[0].Message, imp.ID) {
		t.Fatalf("after a panic the import reads %s, finished %v, problems %+v; want failed, naming the job", got.Status, got.FinishedAt, got.Problems)
	}
	if strings.Contains(got.Problems[0].Message, "secret") || strings.Contains(got.Problems[0].Message, "nil map") {
		t.Errorf("the import's problem shows the panic's detail: %q", got.Problems[0].Message)
	}
	log := logs.String()
	if !strings.Contains(log, `"job":"imp-panics"`) || !strings.Contains(log, "survey_test.go") || !strings.Contains(log, "assignment to entry in nil map") {
		t.Errorf("the log should hold the panic with its stack and job ID:\n%s", log)
	}
	// The service goes on importing.
	next, err := s.StartImport(ctx, ImportRequest{InstrumentID: "panel"}, strings.NewReader("respondent_id,again\nr1,yes\nr2,no\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := waitImported(t, s, next.ID); got.Status != RunDone || got.Report == nil || got.Report.Imported != 2 {
		t.Errorf("the next import reads %s with report %+v; want done with 2 rows", got.Status, got.Report)
	}
}

// TestSurveysRefuseOnTheirOwn calls every method of the survey service
// with roles the HTTP routes keep out before the service is reached: the
// service must refuse them itself, as it will for a web app that calls it
// directly.
func TestSurveysRefuseOnTheirOwn(t *testing.T) {
	svc, _ := openSurveys(t)
	s := svc.Surveys
	admin := as(RoleAdmin)
	if _, err := s.CreateInstrument(admin, panelInstrument); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("respondent_id,again,topics,helps\n")
	for i := range 60 {
		fmt.Fprintf(&csv, "r%d,%s,%s,%s\n", i, []string{"yes", "no"}[i%3/2], []string{"trauma;sleep", "sleep;trauma"}[i%2], []string{"time", "time;near"}[i%2])
	}
	imp, err := s.StartImport(admin, ImportRequest{InstrumentID: "panel"}, strings.NewReader(csv.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := waitImported(t, s, imp.ID); got.Status != RunDone {
		t.Fatalf("import = %+v", got)
	}
	if _, err := s.Release(admin, imp.ID, ReleaseRequest{Standard: "wa_doh"}); err != nil {
		t.Fatal(err)
	}
	editing := map[string]func(ctx context.Context) error{
		"CreateInstrument": func(ctx context.Context) error {
			in := panelInstrument
			in.ID = "other"
			_, err := s.CreateInstrument(ctx, in)
			return err
		},
		"InstrumentFromREDCap": func(ctx context.Context) error {
			_, err := s.InstrumentFromREDCap(ctx, REDCapInstrument{ID: "rc"}, strings.NewReader("x"))
			return err
		},
		"StartImport": func(ctx context.Context) error {
			_, err := s.StartImport(ctx, ImportRequest{InstrumentID: "panel"}, strings.NewReader("respondent_id,again\nr1,yes\n"))
			return err
		},
		"Release": func(ctx context.Context) error {
			_, err := s.Release(ctx, imp.ID, ReleaseRequest{Standard: "wa_doh"})
			return err
		},
		"RecoverImports": func(ctx context.Context) error { return s.RecoverImports(ctx) },
	}
	reading := map[string]func(ctx context.Context) error{
		"Instrument":  func(ctx context.Context) error { _, err := s.Instrument(ctx, "panel"); return err },
		"Instruments": func(ctx context.Context) error { _, err := s.Instruments(ctx); return err },
		"Import":      func(ctx context.Context) error { _, err := s.Import(ctx, imp.ID); return err },
		"Report":      func(ctx context.Context) error { _, err := s.Report(ctx, imp.ID, ReportQuery{}); return err },
		"Ranking": func(ctx context.Context) error {
			_, err := s.Ranking(ctx, imp.ID, "topics", ItemQuery{})
			return err
		},
		"Frequencies": func(ctx context.Context) error {
			_, err := s.Frequencies(ctx, imp.ID, "helps", ItemQuery{})
			return err
		},
		"Trend": func(ctx context.Context) error {
			_, err := s.Trend(ctx, imp.ID, TrendQuery{From: imp.ID})
			return err
		},
		"Paired": func(ctx context.Context) error {
			_, err := s.Paired(ctx, imp.ID, PairedQuery{Before: imp.ID, Item: "again"})
			return err
		},
	}
	check := func(name string, role Role, fn func(context.Context) error) {
		t.Helper()
		if err := fn(as(role)); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
			t.Errorf("%s as %s = %v; want unauthorized", name, role, err)
		}
		if err := fn(context.Background()); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s without a caller = %v; want unauthenticated", name, err)
		}
	}
	for name, fn := range editing {
		for _, role := range []Role{RoleCoordinator, RoleAgency, RoleConsultant} {
			check(name, role, fn)
		}
	}
	check("RecoverImports", RoleEvaluator, editing["RecoverImports"])
	for name, fn := range reading {
		for _, role := range []Role{RoleAgency, RoleConsultant} {
			check(name, role, fn)
		}
		// The roles that read do read: the refusals above are the
		// policy's, not a broken method's.
		if err := fn(as(RoleCoordinator)); err != nil {
			t.Errorf("%s as coordinator = %v", name, err)
		}
	}
	// Unsuppressed figures: released and read by an administrator only.
	if _, err := s.Release(as(RoleEvaluator), imp.ID, ReleaseRequest{Standard: "unsuppressed"}); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
		t.Errorf("an evaluator's unsuppressed release = %v; want unauthorized", err)
	}
	// A reader may not choose what the release fixes.
	std := "unsuppressed"
	for _, o := range []Overrides{{Standard: &std}, {Population: &std}, {Race: &std}, {Interval: &std}} {
		if _, err := s.Report(as(RoleAdmin), imp.ID, ReportQuery{Overrides: o}); bsk.ErrorCode(err) != bsk.CodeInvalid {
			t.Errorf("a report with %+v = %v; want invalid", o, err)
		}
		if _, err := s.Ranking(as(RoleAdmin), imp.ID, "again", ItemQuery{Overrides: o}); bsk.ErrorCode(err) != bsk.CodeInvalid {
			t.Errorf("a ranking with %+v = %v; want invalid", o, err)
		}
	}
}

// TestRuleWhy reads every rule the library writes into published cells,
// paired comparisons and rankings: each says why in words, naming its
// standard and any threshold, and never is the bare code.
func TestRuleWhy(t *testing.T) {
	for _, c := range []struct{ rule, want string }{
		{"wa_doh:" + survey.RuleSuppressed, "Washington State Department of Health"},
		{"phskc:" + survey.RuleSuppressed, "Public Health - Seattle & King County"},
		{"nchs:" + survey.RuleSuppressed, "National Center for Health Statistics"},
		{"wa_doh:" + survey.RuleTopCoded, "range"},
		{"wa_doh:pairs_under_10", "fewer than 10 people answered both"},
		{"phskc:count_under_10", "fewer than 10 people gave one of the answers"},
		{"nchs:respondents_under_30", "fewer than 30 people answered"},
		{"county:new_reason", `the "county" standard`},
	} {
		got := ruleWhy(c.rule)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.rule) {
			t.Errorf("ruleWhy(%q) = %q; want words with %q", c.rule, got, c.want)
		}
	}
	for _, code := range []string{survey.MissingHiddenFrom, survey.MissingHiddenTo, survey.MissingHiddenBoth, survey.MissingNoResponses,
		survey.MissingNotInFrom, survey.MissingNotInTo, survey.MissingNoVariance} {
		if got := missingWhy(code); got == "" || strings.Contains(got, code) {
			t.Errorf("missingWhy(%q) = %q", code, got)
		}
	}
}
