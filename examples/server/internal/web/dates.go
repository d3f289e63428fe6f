package web

import (
	"fmt"
	"strconv"
	"time"

	"github.com/beststarts/workforce/examples/server/internal/service"
)

// Dates and times as the reader writes them. Every page prints a date
// through [Lang.Date] and an instant through [Lang.DateTime] (templates
// call them as {{$p.Date .X}} and {{$p.DateTime .X}}); values a machine
// reads (a form field's value, a datetime attribute, the CSV and Excel
// downloads) stay ISO 8601 and never pass through them.

var months = map[Lang][]string{
	English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	Spanish: {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
}

// programZone is where the program meets: the times of day the pages
// print are its wall-clock times.
var programZone = func() *time.Location {
	loc, err := time.LoadLocation(service.DefaultTimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Date writes a calendar date as people read it in l: "March 4, 2026" in
// English, "4 de marzo de 2026" in Spanish; "—" for none. Dates are kept
// as midnight UTC, so the day is the UTC day.
func (l Lang) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return l.day(t.UTC())
}

// day writes t's own calendar day.
func (l Lang) day(t time.Time) string {
	m := months[l][t.Month()-1]
	if l == Spanish {
		return fmt.Sprintf("%d de %s de %d", t.Day(), m, t.Year())
	}
	return fmt.Sprintf("%s %d, %d", m, t.Day(), t.Year())
}

// DateTime writes an instant as the program's wall clock shows it, with
// the zone: "March 4, 2026, 9:30 AM PST" in English, "4 de marzo de 2026,
// 9:30 PST" in Spanish (a 24-hour clock); "—" for none.
func (l Lang) DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(programZone)
	return l.day(t) + ", " + l.clock(t) + " " + t.Format("MST")
}

// clock writes t's time of day: "9:30 AM" in English, "9:30" in Spanish.
func (l Lang) clock(t time.Time) string {
	if l == Spanish {
		return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute())
	}
	return t.Format("3:04 PM")
}

// Month writes a month given as "2026-03" as "March 2026" or "marzo de
// 2026"; anything else is written as it is.
func (l Lang) Month(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	if l == Spanish {
		return months[l][t.Month()-1] + " de " + strconv.Itoa(t.Year())
	}
	return months[l][t.Month()-1] + " " + strconv.Itoa(t.Year())
}
