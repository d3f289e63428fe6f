//go:build unix

package plugintest_test

import (
	"context"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/plugins"
	"github.com/beststarts/workforce/plugins/plugintest"
	"github.com/beststarts/workforce/scholarship"
)

func applicant(name string, hours float64) scholarship.Application {
	return scholarship.Application{ID: "a-" + name, Applicant: scholarship.Applicant{PersonID: "p-" + name, Name: name, HoursPerWeek: hours}}
}

// TestRunMinhours runs the Go example plug-in's binary through the kit.
func TestRunMinhours(t *testing.T) {
	h := plugintest.Start(t, plugintest.Build(t, "github.com/beststarts/workforce/plugins/examples/minhours"), plugintest.Options{Args: []string{"-hours", "20"}})
	plugintest.Run(t, h, "agency_minimum_hours", []plugintest.Case{
		{Name: "full time", Application: applicant("ana", 40)},
		{Name: "exactly", Application: applicant("bo", 20)},
		{Name: "short", Application: applicant("cy", 12), Codes: []string{"agency_hours_short"}, Outcome: scholarship.Ineligible,
			Texts: map[scholarship.Lang][]string{
				scholarship.EnglishText: {"You work 12 hours a week; this agency supports staff who work at least 20."},
				scholarship.SpanishText: {"Trabaja 12 horas por semana; esta agencia apoya al personal que trabaja al menos 20."},
				"so":                    {"You work 12 hours a week; this agency supports staff who work at least 20."},
			}},
	})
}

// TestRunFaults: a panic costs its application a rule_failed reason; a
// hang past the deadline and a crash fail the call with an internal
// error; the plug-in recovers after each.
func TestRunFaults(t *testing.T) {
	h := plugintest.Start(t, plugintest.Build(t, "github.com/beststarts/workforce/plugins/internal/testplugins/faulty"),
		plugintest.Options{CallTimeout: 500 * time.Millisecond})
	plugintest.Run(t, h, "fragile", []plugintest.Case{
		{Name: "panic", Application: applicant("panic", 40), Codes: []string{plugins.RuleFailed}, Outcome: scholarship.NeedsReview},
		{Name: "after the panic", Application: applicant("ana", 40)},
	})
	plugintest.Run(t, h, "stall", []plugintest.Case{{Name: "hang", Application: applicant("ana", 40), Err: bsk.CodeInternal}})
	plugintest.Run(t, h, "stall", []plugintest.Case{{Name: "caller deadline", Application: applicant("ana", 40), Err: bsk.CodeInternal, Timeout: 100 * time.Millisecond}})
	plugintest.Run(t, h, "die", []plugintest.Case{{Name: "crash", Application: applicant("ana", 40), Err: bsk.CodeInternal}})
	plugintest.Run(t, h, "fragile", []plugintest.Case{{Name: "after the crash", Application: applicant("bo", 40)}})
	if _, err := h.Check(context.Background(), "nope", applicant("ana", 40)); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("Check(nope) = %v; want not found", err)
	}
}

// TestLaunchRefusesMissingEnglish: a plug-in declaring a reason code with
// no English text does not launch.
func TestLaunchRefusesMissingEnglish(t *testing.T) {
	bin := plugintest.Build(t, "github.com/beststarts/workforce/plugins/internal/testplugins/faulty")
	h, err := plugintest.Launch(context.Background(), bin, plugintest.Options{Args: []string{"-mode", "badtexts"}})
	if err == nil {
		h.Close()
		t.Fatal("Launch succeeded; want the plug-in refused")
	}
	if bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("Launch = %v; want invalid", err)
	}
}
