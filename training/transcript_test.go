package training_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

func TestTranscriptCreditPerSession(t *testing.T) {
	c := mustCatalog(t, smallYear())
	att := []bsk.Attendance{
		{SessionID: "tr-attach-2", ProviderID: "p-ana", Hours: 4, Credit: bsk.CreditTraining},
		{SessionID: "col-m1", ProviderID: "p-ana", Hours: 1.5, Credit: bsk.CreditReflective},
		// The quarterly training of the community of leaders: training
		// hours, although the record says reflective (the offering kind's).
		{SessionID: "col-q1", ProviderID: "p-ana", Hours: 3, Credit: bsk.CreditReflective},
		{SessionID: "tr-attach-1", ProviderID: "p-binh", Hours: 4, Credit: bsk.CreditTraining},
		{SessionID: "tr-es-1", ProviderID: "p-ana", Hours: 1.5, Credit: bsk.CreditTraining},
	}
	got, err := c.Transcript(att, "p-ana")
	if err != nil {
		t.Fatal(err)
	}
	want := training.Transcript{
		ProviderID: "p-ana",
		Lines: []bsk.TranscriptLine{
			{SessionID: "col-q1", OfferingID: "col", Title: "Community of Leaders", Competency: "Reflective practice", On: time.Date(2025, 12, 3, 17, 0, 0, 0, time.UTC), Hours: 3, Credit: bsk.CreditTraining},
			{SessionID: "col-m1", OfferingID: "col", Title: "Community of Leaders", Competency: "Reflective practice", On: time.Date(2026, 1, 7, 17, 0, 0, 0, time.UTC), Hours: 1.5, Credit: bsk.CreditReflective},
			{SessionID: "tr-attach-2", OfferingID: "tr-attach", Title: "Attachment", Competency: "Attachment", On: time.Date(2026, 2, 19, 17, 0, 0, 0, time.UTC), Hours: 4, Credit: bsk.CreditTraining},
			{SessionID: "tr-es-1", OfferingID: "tr-es", Title: "Apego", Competency: "Attachment", On: time.Date(2026, 3, 5, 17, 0, 0, 0, time.UTC), Hours: 1.5, Credit: bsk.CreditTraining},
		},
		Total: training.Hours{Training: 8.5, Reflective: 1.5},
		ByCompetency: []training.KeyedHours{
			{Key: "Attachment", Hours: training.Hours{Training: 5.5}},
			{Key: "Reflective practice", Hours: training.Hours{Training: 3, Reflective: 1.5}},
		},
		ByYear: []training.KeyedHours{
			{Key: "2025", Hours: training.Hours{Training: 3}},
			{Key: "2026", Hours: training.Hours{Training: 5.5, Reflective: 1.5}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	for i, l := range got.Lines {
		if err := l.Validate(); err != nil {
			t.Errorf("line %d: %v", i, err)
		}
	}
	if _, err := c.Transcript(att, "ghost"); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("unknown provider: %v; want not found", err)
	}
	att = append(att, bsk.Attendance{SessionID: "gone", ProviderID: "p-ana", Hours: 1, Credit: bsk.CreditTraining})
	if _, err := c.Transcript(att, "p-ana"); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("unknown session: %v; want not found", err)
	}
}

// TestTranscriptAtScale checks, on generated years of several sizes and
// seeds, that a transcript's totals are its provider's hours as
// [bsk.Hours] sums them from records carrying their session's credit.
func TestTranscriptAtScale(t *testing.T) {
	for _, tt := range []struct {
		seed      int64
		providers int
	}{{1, 300}, {2, 900}, {7, 2000}} {
		w := programYear(tt.seed, tt.providers)
		c := mustCatalog(t, w)
		checked := 0
		for i, p := range w.Providers {
			if i%37 != 0 {
				continue
			}
			tr, err := c.Transcript(w.Attendance, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := bsk.Hours(w.Attendance, p.ID)
			if !approx(tr.Total.Training, want[bsk.CreditTraining]) || !approx(tr.Total.Reflective, want[bsk.CreditReflective]) {
				t.Errorf("seed %d %s: total %+v; want %v", tt.seed, p.ID, tr.Total, want)
			}
			var years training.Hours
			for _, y := range tr.ByYear {
				years.Training += y.Training
				years.Reflective += y.Reflective
			}
			if !approx(years.Training, tr.Total.Training) || !approx(years.Reflective, tr.Total.Reflective) {
				t.Errorf("seed %d %s: years sum to %+v; total %+v", tt.seed, p.ID, years, tr.Total)
			}
			checked++
		}
		if checked < 5 {
			t.Fatalf("seed %d: only %d transcripts checked", tt.seed, checked)
		}
	}
}

func approx(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestProgressFromAttendance(t *testing.T) {
	w := programYear(5, 600)
	c := mustCatalog(t, w)
	asOf := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	got, err := c.Progress(context.Background(), w.Attendance, nil, asOf, scholarship.ProgressOptions{})
	if err != nil {
		t.Fatal(err)
	}
	levels := map[bsk.Endorsement]int{}
	n := 0
	for _, p := range w.Providers {
		if p.Role.Leads() {
			continue
		}
		pp := got[n]
		n++
		if pp.ProviderID != p.ID {
			t.Fatalf("progress %d is %s; want %s", n-1, pp.ProviderID, p.ID)
		}
		levels[pp.Highest]++
		// Independently: the same record through Assess gives the same
		// highest level met.
		var hours []scholarship.DatedHours
		for _, a := range w.Attendance {
			if a.ProviderID != p.ID {
				continue
			}
			s, _ := c.Session(a.SessionID)
			kind := scholarship.TrainingHoursKind
			if a.Credit == bsk.CreditReflective {
				kind = scholarship.ReflectiveHoursKind
			}
			hours = append(hours, scholarship.DatedHours{Kind: kind, Hours: a.Hours, On: s.Starts})
		}
		as := scholarship.Assess(scholarship.RecordOf(p, hours, asOf), asOf)
		best := bsk.EndorsementNone
		for _, l := range as.Levels {
			if l.Met && l.Level.Rank() > best.Rank() {
				best = l.Level
			}
		}
		if best != pp.Highest {
			t.Errorf("%s: Progress says %s; Assess %s", p.ID, pp.Highest, best)
		}
	}
	if n != len(got) {
		t.Errorf("%d progress rows; want %d", len(got), n)
	}
	if levels[bsk.EndorsementNone] == n || len(levels) < 2 {
		t.Errorf("levels met %v: a year of attendance moves no one", levels)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Progress(ctx, w.Attendance, nil, asOf, scholarship.ProgressOptions{}); err == nil {
		t.Error("Progress with a cancelled context returned no error")
	}
}
