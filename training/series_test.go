package training_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/training"
)

func ExampleSeries() {
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := training.Series{
		OfferingID: "rc-g01",
		Slot:       bsk.Slot{Day: bsk.Tuesday, Start: 9 * 60, End: 10*60 + 30},
		From:       time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Months:     3,
		Location:   pacific,
		// The first Tuesday of February is a holiday: that month's group
		// meets a week later.
		Holidays: []time.Time{time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)},
	}
	sessions, err := s.Sessions()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range sessions {
		fmt.Println(x.ID, x.Starts.Format(time.RFC3339), x.Minutes)
	}
	// Output:
	// rc-g01-2026-01 2026-01-06T17:00:00Z 90
	// rc-g01-2026-02 2026-02-10T17:00:00Z 90
	// rc-g01-2026-03 2026-03-03T17:00:00Z 90
}

func TestSeriesSkipsAMonthWhenHolidaysPushThePastItsEnd(t *testing.T) {
	// June 2026's Tuesdays are the 2nd, 9th, 16th, 23rd and 30th.
	base := training.Series{OfferingID: "g", Slot: bsk.Slot{Day: bsk.Tuesday, Start: 600, End: 660}, Week: 4,
		From: time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC), Months: 2}
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		holidays []time.Time
		want     []bsk.Session
	}{
		{"no holiday", nil, []bsk.Session{
			{ID: "g-2026-06", OfferingID: "g", Starts: day(6, 23).Add(10 * time.Hour), Minutes: 60},
			{ID: "g-2026-07", OfferingID: "g", Starts: day(7, 28).Add(10 * time.Hour), Minutes: 60},
		}},
		{"moved a week", []time.Time{day(6, 23)}, []bsk.Session{
			{ID: "g-2026-06", OfferingID: "g", Starts: day(6, 30).Add(10 * time.Hour), Minutes: 60},
			{ID: "g-2026-07", OfferingID: "g", Starts: day(7, 28).Add(10 * time.Hour), Minutes: 60},
		}},
		{"no week left in June", []time.Time{day(6, 23), day(6, 30)}, []bsk.Session{
			{ID: "g-2026-07", OfferingID: "g", Starts: day(7, 28).Add(10 * time.Hour), Minutes: 60},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			s.Holidays = tc.holidays
			got, err := s.Sessions()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Sessions() (-want +got)\n%s", d)
			}
		})
	}
}

func TestSeriesPlacesEverySessionOnItsSlot(t *testing.T) {
	pacific, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip(err)
	}
	for _, day := range []bsk.Day{bsk.Monday, bsk.Wednesday, bsk.Friday, bsk.Sunday} {
		for week := 1; week <= 4; week++ {
			s := training.Series{OfferingID: "g", Slot: bsk.Slot{Day: day, Start: 17*60 + 30, End: 19 * 60}, Week: week,
				From: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC), Months: 24, Location: pacific}
			got, err := s.Sessions()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 24 {
				t.Fatalf("%s week %d: %d sessions; want 24", day, week, len(got))
			}
			for i, x := range got {
				local := x.Starts.In(pacific)
				wantMonth := time.Date(2026, time.January+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
				switch {
				case local.Weekday() != time.Weekday((day.Index()+1)%7):
					t.Errorf("%s: on a %s; want %s", x.ID, local.Weekday(), day)
				case local.Hour() != 17 || local.Minute() != 30:
					t.Errorf("%s: at %s local; want 17:30", x.ID, local.Format("15:04"))
				case (local.Day()-1)/7 != week-1:
					t.Errorf("%s: day %d is not the week %d %s", x.ID, local.Day(), week, day)
				case local.Year() != wantMonth.Year() || local.Month() != wantMonth.Month():
					t.Errorf("%s: in %s; want %s", x.ID, local.Format("2006-01"), wantMonth.Format("2006-01"))
				case string(x.ID) != "g-"+wantMonth.Format("2006-01") || x.Minutes != 90:
					t.Errorf("%s: id or minutes (%d) wrong", x.ID, x.Minutes)
				}
			}
		}
	}
}

func TestSeriesRefusesWhatIsNotAConsultationSeries(t *testing.T) {
	tests := []struct {
		name  string
		s     training.Series
		field string
	}{
		{"45 minutes", training.Series{OfferingID: "g", Slot: bsk.Slot{Day: bsk.Monday, Start: 600, End: 645}, From: time.Now(), Months: 1}, "slot"},
		{"two hours", training.Series{OfferingID: "g", Slot: bsk.Slot{Day: bsk.Monday, Start: 600, End: 720}, From: time.Now(), Months: 1}, "slot"},
		{"no months", training.Series{OfferingID: "g", Slot: bsk.Slot{Day: bsk.Monday, Start: 600, End: 690}, From: time.Now()}, "months"},
		{"fifth week", training.Series{OfferingID: "g", Slot: bsk.Slot{Day: bsk.Monday, Start: 600, End: 690}, From: time.Now(), Months: 1, Week: 5}, "week"},
		{"no start", training.Series{OfferingID: "g", Slot: bsk.Slot{Day: bsk.Monday, Start: 600, End: 690}, Months: 1}, "from"},
		{"bad offering", training.Series{OfferingID: "a/b", Slot: bsk.Slot{Day: bsk.Monday, Start: 600, End: 690}, From: time.Now(), Months: 1}, "offering_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.s.Sessions()
			var list bsk.Errors
			if !errors.As(err, &list) || len(list) != 1 || list[0].Field != tc.field || list[0].Code != bsk.CodeInvalid {
				t.Errorf("Sessions() = %v; want one invalid problem at %q", err, tc.field)
			}
		})
	}
}
