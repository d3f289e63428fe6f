package app_test

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/scholarship"
)

// startUntil runs the app like [startWith] and returns it with a function
// that stops it (Serve drained, the app closed), for a test that restarts
// the server on the same data directory.
func startUntil(t *testing.T, cfg app.Config) (*server, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, zerolog.Nop())
	if err != nil {
		cancel()
		t.Fatalf("app.New: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, l) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		a.Close()
	}
	t.Cleanup(stop)
	key, err := os.ReadFile(a.AdminKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	return &server{t: t, URL: "http://" + l.Addr().String(), Admin: strings.TrimSpace(string(key)), App: a, Dir: cfg.Data, logs: &syncBuffer{}}, stop
}

// TestRefusedPluginDecisionsReadPlainly: an agency's plug-in (the real
// sixmonths binary) finds an applicant ineligible; after a restart in
// which the plug-in is refused (its checksum no longer matches) and never
// runs, the stored decision still reads in plain language, in English
// and Spanish, from the texts the plug-in declared when it last ran.
func TestRefusedPluginDecisionsReadPlainly(t *testing.T) {
	dir := t.TempDir()
	good := catalogFile(t, plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Enabled: true})
	s, stop := startUntil(t, app.Config{Data: dir, PluginCatalog: good})
	coord, agency := s.key("coordinator", "", ""), s.key("agency", "org-001", "")
	staff := staffOf(t, s, "org-001")
	s.expect(201, "POST", "/api/v1/programs", coord, esitProgram(19_000_00, "sixmonths/agency_six_months"))
	var got scholarship.Application
	s.expect(201, "POST", cyc+"/applications", agency, application(staff[0].ID, "four months", 4, 40)).json(t, &got)
	var run app.CycleRun
	s.expect(201, "POST", cyc+"/runs", coord, nil).json(t, &run)
	path := cyc + "/runs/" + run.ID

	// The plug-in's own templates (plugins/examples/sixmonths), filled in.
	want := map[string]string{
		"en": "You have worked 4 months at your agency; it nominates staff after 6.",
		"es": "Ha trabajado 4 meses en su agencia; la agencia nomina al personal después de 6.",
	}
	check := func(when string) {
		t.Helper()
		for lang, text := range want {
			d := decisions(t, s, coord, path, lang)[got.ID]
			if d.Outcome != scholarship.Ineligible || !hasText(d.Texts, text) {
				t.Errorf("%s, %s: decision %s texts %q; want %q among them", when, lang, d.Outcome, d.Texts, text)
			}
		}
	}
	check("with the plug-in running")
	stop()

	refused := catalogFile(t, plugins.Entry{Agency: "Example Family Services", Name: "sixmonths", Enabled: true, SHA256: strings.Repeat("0", 64)})
	s, _ = startUntil(t, app.Config{Data: dir, PluginCatalog: refused})
	if st := pluginStatus(t, s, "sixmonths"); st.Status != "refused" {
		t.Fatalf("sixmonths is %s after the restart; want refused", st.Status)
	}
	check("after a restart with the plug-in refused")
}

func hasText(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
