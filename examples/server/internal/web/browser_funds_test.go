package web_test

import (
	"encoding/json"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/scholarship"
)

// TestBrowserFunds drives Chromium through a cycle's funds page (the
// form, then a run's balances and steps in English and Spanish) and the
// staff preview of a reviewer's queue, each scanned with axe-core.
func TestBrowserFunds(t *testing.T) {
	chromium(t)
	s := start(t, true)
	fundedProgram(t, s)
	funds := service.FundsRequest{Funds: []scholarship.Fund{
		{Name: "language-access", Tier: 1, Budget: 9_500_00, Languages: []bsk.Language{bsk.Spanish}},
		{Name: "general", Tier: 2, Budget: 19_000_00},
	}}
	if st, b := s.api("POST", "/api/v1/programs/esit-f/cycles/2026/funds", s.Admin, funds); st != 201 {
		t.Fatalf("funds = %d %s", st, b)
	}
	st, body := s.api("POST", "/api/v1/programs/esit-f/cycles/2026/runs", s.Admin, nil)
	if st != 201 {
		t.Fatalf("run = %d %s", st, body)
	}
	var run service.CycleRun
	json.Unmarshal(body, &run)

	b := newBrowser(t, s)
	coord, _ := s.key("coordinator", "", "")
	b.signIn(coord)
	b.open(fundsPath(""))
	b.expectText("#define-h", "Funds of cycle 2026")
	b.axe("funds-form")
	b.open(fundsPath(run.ID))
	b.expectText("#balances", "language-access")
	b.expectText("#steps", "The general fund pays")
	b.axe("funds")
	b.open(fundsPath(run.ID) + "&lang=es")
	b.expectText("#balances", "Presupuesto")
	b.expectText("#steps", "El fondo general paga")
	b.axe("funds-es")

	revs := previewSetup(t, s)
	b.open(previewPath(revs[0]) + "&lang=en")
	b.expectText("#preview-banner", "Preview")
	b.axe("review-preview")
}
