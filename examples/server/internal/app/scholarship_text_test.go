package app_test

import (
	"testing"

	"github.com/beststarts/workforce/examples/server/internal/app"
	"github.com/beststarts/workforce/scholarship"
)

// Money shown to people comes also as dollars beside the cents, and an
// eligible decision says so, and which requirements it met, in the
// reader's language.
func TestScholarshipAnswersReadByPeople(t *testing.T) {
	w := newScholarshipWorld(t, app.Config{}, esitProgram(9_500_00))
	funded := w.apply(t, w.agency, w.staff[0], "funded")
	waiting := w.apply(t, w.agency, w.staff[1], "waiting")
	short := application(w.staff[2].ID, "short tenure", 2, 40)
	var got scholarship.Application
	w.s.expect(201, "POST", cyc+"/applications", w.agency, short).json(t, &got)
	ineligible := got.ID
	run := w.run(t)
	path := cyc + "/runs/" + run.ID

	for _, tc := range []struct{ lang, eligible string }{
		{"en", "Your application meets every requirement of this cycle: you work at, or are hired by, a King County agency serving children under five; " +
			"what you asked for is within this cycle's limits; every required document is attached; you are enrolled in a qualifying degree or certificate program; " +
			"your employer confirmed your employment and release time; you have worked long enough, and enough hours a week, at your agency."},
		{"es", "Su solicitud cumple todos los requisitos de este ciclo: trabaja en una agencia del condado de King que atiende a niños menores de cinco años, o fue contratado por una; " +
			"lo que solicitó está dentro de los límites de este ciclo; adjuntó todos los documentos requeridos; está inscrito en un programa de título o certificado que califica; " +
			"su empleador confirmó su empleo y su tiempo libre para estudiar; ha trabajado el tiempo suficiente, y suficientes horas por semana, en su agencia."},
	} {
		ds := decisions(t, w.s, w.coord, path, tc.lang)
		for _, id := range []string{funded, waiting} {
			if d := ds[id]; d.Outcome != scholarship.Eligible || len(d.Texts) == 0 || d.Texts[0] != tc.eligible {
				t.Errorf("%s: eligible decision %s (step %s) texts %q; want first %q", tc.lang, id, d.Step, d.Texts, tc.eligible)
			}
		}
		if d := ds[ineligible]; d.Outcome != scholarship.Ineligible || len(d.Texts) == 0 || d.Texts[0] == tc.eligible {
			t.Errorf("%s: ineligible decision texts %q", tc.lang, d.Texts)
		}
	}

	// The award of 9,000 dollars of tuition and 500 of books: the budget
	// funds one of the two eligible applications.
	raw := rawDecisions(t, w.s, w.coord, run.ID)
	if raw[waiting]["step"] == "awarded" {
		funded, waiting = waiting, funded
	}
	if raw[funded]["step"] != "awarded" || raw[waiting]["step"] != "waitlisted" {
		t.Fatalf("steps %v and %v; want one awarded and one waitlisted", raw[funded]["step"], raw[waiting]["step"])
	}
	award, _ := raw[funded]["award"].(map[string]any)
	if award["amount"] != float64(9_500_00) || award["amount_text"] != "$9,500.00" {
		t.Errorf("award = %v; want amount 950000 and amount_text $9,500.00", award)
	}
	if _, has := raw[waiting]["award"]; has {
		t.Errorf("the waitlisted decision has an award: %v", raw[waiting]["award"])
	}
	// The step in words, after the eligibility: the amount, or the place
	// on the waitlist.
	for _, tc := range []struct{ lang, awarded, waitlisted string }{
		{"en", "You are awarded $9,500.00.", "You are on the waitlist, ranked 2: the budget ran out before your application. If an award is declined, its money goes down the waitlist in rank order."},
		{"es", "Se le otorga una beca de $9,500.00.", "Está en la lista de espera, en el puesto 2: el presupuesto se agotó antes de llegar a su solicitud. Si alguien rechaza su beca, ese dinero pasa a la lista de espera por orden."},
	} {
		ds := decisions(t, w.s, w.coord, path, tc.lang)
		if d := ds[funded]; len(d.Texts) < 2 || d.Texts[1] != tc.awarded {
			t.Errorf("%s: awarded decision texts %q; want second %q", tc.lang, d.Texts, tc.awarded)
		}
		if d := ds[waiting]; len(d.Texts) < 2 || d.Texts[1] != tc.waitlisted {
			t.Errorf("%s: waitlisted decision texts %q; want second %q", tc.lang, d.Texts, tc.waitlisted)
		}
	}

	// The ledger: what is disbursed and what is owed, in dollars too.
	var e map[string]any
	w.s.expect(201, "POST", path+"/ledger", w.coord, scholarship.Entry{ApplicationID: funded, Kind: scholarship.Disbursement, Term: "2026-fall", Amount: 4_750_50, At: cycleStart}).json(t, &e)
	if e["amount"] != float64(4_750_50) || e["amount_text"] != "$4,750.50" {
		t.Errorf("appended entry = %v; want amount_text $4,750.50", e)
	}
	w.s.expect(201, "POST", path+"/ledger", w.coord, scholarship.Entry{ApplicationID: funded, Kind: scholarship.Withdrew, At: cycleStart.AddDate(0, 2, 0)})
	var ledger struct{ Items []map[string]any }
	w.s.expect(200, "GET", path+"/ledger", w.coord, nil).json(t, &ledger)
	if len(ledger.Items) != 2 || ledger.Items[0]["amount_text"] != "$4,750.50" {
		t.Errorf("ledger = %v; want the disbursement with amount_text $4,750.50 first", ledger.Items)
	}
	if _, has := ledger.Items[1]["amount_text"]; len(ledger.Items) == 2 && has {
		t.Errorf("a withdrawal without money has amount_text: %v", ledger.Items[1])
	}
	var owed map[string]any
	w.s.expect(200, "GET", path+"/ledger/"+funded+"/owed?as_of=2027-01-01T00:00:00Z", w.coord, nil).json(t, &owed)
	if owed["owed"] != float64(4_750_50) || owed["owed_text"] != "$4,750.50" || owed["disbursed_text"] != "$4,750.50" || owed["repaid_text"] != "$0.00" {
		t.Errorf("owed = %v; want all of $4,750.50 owed after withdrawing", owed)
	}
}
