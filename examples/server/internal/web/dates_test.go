package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
)

// TestDatesInTheReadersLanguage: a training starting on 4 March 2026 with
// a session at 17:30 UTC (9:30 in Seattle) reads as English and Spanish
// readers write dates and times, on the trainings list, the offering's
// page and the program calendar; the values a machine reads (the month
// fields of the calendar and the invoice form) stay ISO in both.
func TestDatesInTheReadersLanguage(t *testing.T) {
	s := start(t, true)
	off := bsk.Offering{ID: "aaa-dates", Kind: bsk.OfferingTraining, Title: "Dates in two languages", Strategy: bsk.StrategyIECMH, Topic: "Attachment",
		Language: bsk.English, Capacity: 10, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 90,
		Starts: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)}
	if st, b := s.api("POST", "/api/v1/offerings", s.Admin, off); st != 201 {
		t.Fatalf("offering = %d %s", st, b)
	}
	if st, b := s.api("POST", "/api/v1/sessions", s.Admin, bsk.Session{ID: "aaa-dates-s1", OfferingID: off.ID, Starts: time.Date(2026, 3, 4, 17, 30, 0, 0, time.UTC), Minutes: 90}); st != 201 {
		t.Fatalf("session = %d %s", st, b)
	}
	coord, _ := s.key("coordinator", "", "")
	br := s.browser()
	br.signIn(coord)
	for _, c := range []struct {
		lang                        string
		date, when, calendar, clock string
	}{
		{lang: "en", date: "<td>March 4, 2026</td>", when: "March 4, 2026, 9:30 AM PST", calendar: "March 2026", clock: "9:30 AM–11:00 AM"},
		{lang: "es", date: "<td>4 de marzo de 2026</td>", when: "4 de marzo de 2026, 9:30 PST", calendar: "marzo de 2026", clock: "9:30–11:00"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			list := br.get("/web/trainings?lang=" + c.lang)
			expectStatus(t, "the trainings", list, 200)
			if !strings.Contains(list.Body, c.date) {
				t.Errorf("the trainings list lacks the start date %q", c.date)
			}
			if strings.Contains(list.Body, "2026-03-04") {
				t.Errorf("the trainings list prints an ISO date")
			}
			page := br.get("/web/trainings/aaa-dates?lang=" + c.lang)
			expectStatus(t, "the offering", page, 200)
			if !strings.Contains(page.Body, "<li>"+c.when+" · ") && !strings.Contains(page.Body, "<li>"+c.when+"</li>") {
				t.Errorf("the offering's sessions lack %q", c.when)
			}
			if !strings.Contains(page.Body, `<option value="aaa-dates-s1">`+c.when+`</option>`) {
				t.Errorf("the register form's session choice is not %q with the session's ID as its value", c.when)
			}
			cal := br.get("/web/program/calendar?month=2026-03&lang=" + c.lang)
			expectStatus(t, "the calendar", cal, 200)
			if !strings.Contains(cal.Body, c.calendar) || !strings.Contains(cal.Body, c.clock) {
				t.Errorf("the calendar lacks the month %q or the time %q", c.calendar, c.clock)
			}
			if !strings.Contains(cal.Body, `name="month" value="2026-03"`) {
				t.Errorf("the calendar's month field is not the ISO month")
			}
			inv := br.get("/web/program/invoices?lang=" + c.lang)
			expectStatus(t, "the invoices", inv, 200)
			want := `name="month" value="` + time.Now().In(pacific(t)).AddDate(0, -1, 0).Format("2006-01") + `"`
			if !strings.Contains(inv.Body, want) {
				t.Errorf("the invoice form's month is not ISO: want %s", want)
			}
		})
	}
}

func pacific(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
