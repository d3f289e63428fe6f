package web

import (
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// The coordinator's home: the program year at a glance, beside the latest
// run's unled groups and the open scholarship cycles that pages.go shows.

// nextSessionsShown is how many upcoming sessions the home page lists.
const nextSessionsShown = 10

// yearGlance is what the program year looks like today (staff).
type yearGlance struct {
	// Next are the coming sessions of this month and next, soonest first.
	Next []nextSession
	// Full are the offerings not yet ended whose roster fills 90% of its
	// capacity or more, fullest first.
	Full []fullOffering
	// Import is the latest survey import, or nil.
	Import *latestImport
}

type nextSession struct {
	When, Title, OfferingID, Leaders string
	Unled                            bool
}

type fullOffering struct {
	ID, Title                        string
	Registered, Capacity, Waitlisted int
}

type latestImport struct {
	ID, Instrument, Status, When string
	Released                     bool
}

// ended reports whether the offering's last day (its first when it gives
// no last) is before today; an offering without dates has not ended.
func ended(o bsk.Offering, today time.Time) bool {
	last := o.Ends
	if last.IsZero() {
		last = o.Starts
	}
	return !last.IsZero() && last.Before(today)
}

// nearCapacity reports whether registered seats fill at least 90% of a
// limited capacity.
func nearCapacity(registered, capacity int) bool {
	return capacity > 0 && 10*registered >= 9*capacity
}

// yearAtGlance reads the program year for the staff's home: the next
// sessions from the calendar of this month and next, the offerings not
// yet ended near capacity (their seats counted in one query) and the
// latest survey import.
func (w *Web) yearAtGlance(c echo.Context) (*yearGlance, error) {
	ctx, l := c.Request().Context(), lang(c)
	loc, _ := time.LoadLocation(service.DefaultTimeZone)
	now := time.Now()
	var y yearGlance
	month := time.Date(now.In(loc).Year(), now.In(loc).Month(), 1, 0, 0, 0, 0, loc)
	for _, m := range []time.Time{month, month.AddDate(0, 1, 0)} {
		cal, err := w.svc.Program.Calendar(ctx, m.Format("2006-01"), "")
		if err != nil {
			return nil, err
		}
		for _, s := range cal.Sessions {
			if s.Starts.Before(now) || len(y.Next) == nextSessionsShown {
				continue
			}
			row := nextSession{When: l.DateTime(s.Starts), Title: s.Title, OfferingID: string(s.OfferingID), Unled: s.Unled,
				Leaders: l.T("program.no_consultant")}
			if len(s.Leaders) > 0 {
				names := make([]string, len(s.Leaders))
				for i, m := range s.Leaders {
					names[i] = m.Name
				}
				row.Leaders = strings.Join(names, ", ")
			}
			y.Next = append(y.Next, row)
		}
	}

	// The offerings that limit their seats and have not ended, then their
	// seats from one count of the registrations, not a roster per offering.
	today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	var open []bsk.Offering
	q := service.ListQuery{Limit: 1000}
	for range 100 {
		page, err := w.svc.Workforce.Offerings.List(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			if o.Capacity > 0 && o.Kind != bsk.OfferingReflectiveConsultation && !ended(o, today) {
				open = append(open, o)
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	ids := make([]bsk.OfferingID, len(open))
	for i, o := range open {
		ids[i] = o.ID
	}
	if len(ids) > 0 {
		seats, err := w.svc.Trainings.SeatCounts(ctx, ids...)
		if err != nil {
			return nil, err
		}
		for _, o := range open {
			if n := seats[o.ID]; nearCapacity(n.Registered, o.Capacity) {
				y.Full = append(y.Full, fullOffering{ID: string(o.ID), Title: o.Title, Registered: n.Registered, Capacity: o.Capacity, Waitlisted: n.Waitlisted})
			}
		}
	}
	slices.SortStableFunc(y.Full, func(a, b fullOffering) int {
		// Fullest first: a.R/a.C > b.R/b.C, compared without division.
		if d := b.Registered*a.Capacity - a.Registered*b.Capacity; d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})

	var latest *service.SurveyImport
	q = service.ListQuery{Limit: 1000}
	for range 100 {
		page, err := w.svc.Surveys.Imports(ctx, q)
		if err != nil {
			return nil, err
		}
		for i, imp := range page.Items {
			if latest == nil || imp.CreatedAt.After(latest.CreatedAt) || (imp.CreatedAt.Equal(latest.CreatedAt) && imp.ID > latest.ID) {
				latest = &page.Items[i]
			}
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if latest != nil {
		y.Import = &latestImport{ID: latest.ID, Instrument: latest.InstrumentID, Status: l.T("import.status." + string(latest.Status)),
			When: l.DateTime(latest.CreatedAt), Released: latest.Release != nil}
	}
	return &y, nil
}
