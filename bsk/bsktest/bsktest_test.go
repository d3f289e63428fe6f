package bsktest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/bsk/bsktest"
)

func TestWorkforceValidates(t *testing.T) {
	cases := []bsktest.Options{
		{},
		{Organizations: 5, Providers: 40, Consultants: 3},
		{Organizations: 1, Providers: 1, Consultants: 1, NoOfferings: true},
		{Organizations: 400, Providers: 10000, Consultants: 60, NoOfferings: true},
	}
	for _, opts := range cases {
		for _, seed := range []int64{1, 2, 42} {
			t.Run(fmt.Sprintf("%+v/seed=%d", opts, seed), func(t *testing.T) {
				w := bsktest.Workforce(seed, opts)
				if err := w.Validate(); err != nil {
					t.Fatalf("Validate: %v", err)
				}
				want := opts
				if want.Providers == 0 {
					want.Providers = 680
				}
				if want.Consultants == 0 {
					want.Consultants = 20
				}
				if got := len(w.Providers); got != want.Providers+want.Consultants {
					t.Errorf("providers = %d; want %d", got, want.Providers+want.Consultants)
				}
			})
		}
	}
}

func TestWorkforceDeterministic(t *testing.T) {
	a, _ := json.Marshal(bsktest.Workforce(7, bsktest.Options{}))
	b, _ := json.Marshal(bsktest.Workforce(7, bsktest.Options{}))
	c, _ := json.Marshal(bsktest.Workforce(8, bsktest.Options{}))
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different workforces")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same workforce")
	}
}

// TestWorkforceProportions checks the shares the source documents give,
// over the default size, with generous bounds.
func TestWorkforceProportions(t *testing.T) {
	w := bsktest.Workforce(1, bsktest.Options{})
	share := func(n, of int) float64 { return float64(n) / float64(of) }
	var bipocLed, nonEnglish, supervisors, direct, directors, consultants, multiRace, hispanic, spanish int
	for _, o := range w.Organizations[1:] {
		if o.BIPOCLed {
			bipocLed++
		}
	}
	for _, p := range w.Providers {
		if len(p.Languages) > 1 || !p.Speaks(bsk.English) {
			nonEnglish++
		}
		if p.Speaks(bsk.Spanish) {
			spanish++
		}
		switch p.Role {
		case bsk.RoleSupervisor:
			supervisors++
		case bsk.RoleDirectService:
			direct++
		case bsk.RoleDirector:
			directors++
		case bsk.RoleConsultant:
			consultants++
		}
		if p.Demographics.MultiRace() {
			multiRace++
		}
		if len(p.Demographics.Race) == 1 && p.Demographics.Race[0] == bsk.RaceHispanicLatinx {
			hispanic++
		}
	}
	n := len(w.Providers)
	checks := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"BIPOC-led agencies", share(bipocLed, len(w.Organizations)-1), 0.30, 0.60},
		{"providers working in another language", share(nonEnglish, n), 0.20, 0.45},
		{"Spanish speakers among them", share(spanish, nonEnglish), 0.20, 0.60},
		{"direct service", share(direct, n), 0.65, 0.85},
		{"supervisors", share(supervisors, n), 0.08, 0.20},
		{"multiple races", share(multiRace, n), 0.05, 0.16},
		{"Hispanic/Latinx alone", share(hispanic, n), 0.12, 0.23},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s = %.3f; want within [%.2f, %.2f]", c.name, c.got, c.lo, c.hi)
		}
	}
	if directors != len(w.Organizations)-1 {
		t.Errorf("directors = %d; want one per agency (%d)", directors, len(w.Organizations)-1)
	}
	if consultants != 20 {
		t.Errorf("consultants = %d; want 20", consultants)
	}
	trainings := 0
	for _, o := range w.Offerings {
		if o.Kind == bsk.OfferingTraining {
			trainings++
		}
	}
	if trainings != 12 {
		t.Errorf("trainings = %d; want 12 monthly", trainings)
	}
	perSession := map[bsk.SessionID]int{}
	for _, a := range w.Attendance {
		perSession[a.SessionID]++
	}
	for _, s := range w.Sessions {
		if s.OfferingID[:8] == "training" && (perSession[s.ID] < 70 || perSession[s.ID] > 125) {
			t.Errorf("training session %s has %d attendees; want 75-125", s.ID, perSession[s.ID])
		}
	}
}
