package training_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/survey"
	"github.com/beststarts/workforce/training"
)

// reachYear is three monthly trainings: 40 attend in January, 30 of them
// and 20 newcomers in February, 25 of February's in March (and 5 from
// January only), with a 4-person reflective group that Reach does not
// count.
func reachYear() (bsk.Workforce, []bsk.Attendance) {
	w := bsk.Workforce{Organizations: []bsk.Organization{
		{ID: "org-a", Name: "A", Kind: bsk.OrgHomeVisiting, Grantee: true, Place: "kent", ServesYoungChildren: true},
		{ID: "org-b", Name: "B", Kind: bsk.OrgChildCare, Place: "enumclaw", ServesYoungChildren: true},
	}}
	for i := range 80 {
		org, role, langs := bsk.OrganizationID("org-a"), bsk.RoleDirectService, []bsk.Language{bsk.English}
		if i%4 == 0 {
			org = "org-b"
		}
		if i%5 == 0 {
			role = bsk.RoleSupervisor
		}
		if i%3 == 0 {
			langs = []bsk.Language{bsk.English, bsk.Spanish}
		}
		w.Providers = append(w.Providers, bsk.Provider{ID: bsk.ProviderID(fmt.Sprintf("p%02d", i)), OrganizationID: org,
			Name: fmt.Sprintf("Person %d", i), Role: role, Languages: langs})
	}
	for m := 1; m <= 3; m++ {
		id := bsk.OfferingID(fmt.Sprintf("tr-%d", m))
		w.Offerings = append(w.Offerings, bsk.Offering{ID: id, Kind: bsk.OfferingTraining, Title: "T", Strategy: bsk.StrategyIECMH,
			Language: bsk.English, Cadence: bsk.CadenceOnce, Modality: bsk.ModalityVirtual, SessionMinutes: 240})
		w.Sessions = append(w.Sessions, bsk.Session{ID: bsk.SessionID(id + "-s1"), OfferingID: id, Starts: time.Date(2026, time.Month(m), 15, 17, 0, 0, 0, time.UTC), Minutes: 240})
	}
	w.Offerings = append(w.Offerings, bsk.Offering{ID: "rc", Kind: bsk.OfferingReflectiveConsultation, Title: "RC", Strategy: bsk.StrategyIECMH,
		Language: bsk.English, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90})
	w.Sessions = append(w.Sessions, bsk.Session{ID: "rc-s1", OfferingID: "rc", Starts: time.Date(2026, 1, 8, 17, 0, 0, 0, time.UTC), Minutes: 90})
	var att []bsk.Attendance
	at := func(s string, from, to int) {
		for i := from; i < to; i++ {
			att = append(att, bsk.Attendance{SessionID: bsk.SessionID(s), ProviderID: bsk.ProviderID(fmt.Sprintf("p%02d", i)), Hours: 4, Credit: bsk.CreditTraining})
		}
	}
	at("tr-1-s1", 0, 40)
	at("tr-2-s1", 10, 60) // 30 returning (10-39), 20 new (40-59)
	at("tr-3-s1", 35, 60) // 25 of February's
	at("tr-3-s1", 0, 5)   // 5 back from January
	at("rc-s1", 70, 74)
	return w, att
}

func TestReach(t *testing.T) {
	w, att := reachYear()
	c := mustCatalog(t, w)
	r, err := c.Reach(att, training.ReachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Disclosure != "wa_doh" {
		t.Errorf("disclosure %q; want wa_doh by default", r.Disclosure)
	}
	counts := func(p survey.ProtectedCounts) [][]int {
		var out [][]int
		for _, row := range p.Counts {
			var r []int
			for _, c := range row {
				if c == nil {
					r = append(r, -1)
				} else {
					r = append(r, *c)
				}
			}
			out = append(out, r)
		}
		return out
	}
	// Sessions: attendees and first-timers; the reflective group is not counted.
	if got, want := counts(r.Sessions), [][]int{{40, 40}, {50, 20}, {30, 0}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sessions %v; want %v", got, want)
	}
	// Months: January 40 (30 back in February), February 50 (25 back in
	// March), March 30 (no next month).
	if got, want := counts(r.Months), [][]int{{40, 30, 40}, {50, 25, 20}, {30, 0, 0}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("months %v; want %v", got, want)
	}
	var rates []string
	for _, m := range r.ReturnRate {
		if m.Rate == nil {
			rates = append(rates, m.Month+"=nil")
		} else {
			rates = append(rates, fmt.Sprintf("%s=%.2f", m.Month, *m.Rate))
		}
	}
	if want := []string{"2026-01=0.75", "2026-02=0.50", "2026-03=nil"}; !slices.Equal(rates, want) {
		t.Errorf("return rates %v; want %v", rates, want)
	}
	// Shares: rows partition the attendees; rural reach is org-b's
	// Enumclaw (every fourth person).
	for _, s := range r.Shares {
		if s.Table.Columns[0] != "all" || len(s.Table.Columns) != 4 {
			t.Errorf("%s columns %v", s.Dimension, s.Table.Columns)
		}
		if s.Dimension == training.ShareRural {
			if fmt.Sprint(s.Table.Rows) != "[not_rural rural]" || *s.Table.Counts[1][0] != 15 || *s.Table.Totals[0] != 60 {
				t.Errorf("rural share %v %v", s.Table.Rows, counts(s.Table))
			}
			// March: 8 rural attendees, hidden, and the not-rural count
			// with it (it and the total would give the 8 away).
			if s.Table.Counts[1][3] != nil || s.Table.Rules[1][3] != "wa_doh:count_under_10" ||
				s.Table.Counts[0][3] != nil || s.Table.Rules[0][3] != "wa_doh:secondary" {
				t.Errorf("rural share in March %v, rules %v; want both hidden", counts(s.Table), s.Table.Rules)
			}
		}
	}
	// Unsuppressed and the reflective group counted too: 64 attendees.
	r2, err := c.Reach(att, training.ReachOptions{Kinds: []bsk.OfferingKind{bsk.OfferingTraining, bsk.OfferingReflectiveConsultation}, Disclosure: survey.Unsuppressed()})
	if err != nil {
		t.Fatal(err)
	}
	if *r2.Shares[0].Table.Totals[0] != 64 {
		t.Errorf("with the reflective group: %d attendees; want 64", *r2.Shares[0].Table.Totals[0])
	}
	bad := append(att, bsk.Attendance{SessionID: "tr-1-s1", ProviderID: "ghost", Hours: 1, Credit: bsk.CreditTraining})
	if _, err := c.Reach(bad, training.ReachOptions{}); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("unknown provider: %v; want not found", err)
	}
}

// TestReachAtScale compares the monthly return rate and first-time counts
// with a direct computation over sets, for generated years of several
// sizes and seeds, unsuppressed.
func TestReachAtScale(t *testing.T) {
	for _, tt := range []struct {
		seed      int64
		providers int
	}{{1, 680}, {4, 1200}, {9, 2000}} {
		w := programYear(tt.seed, tt.providers)
		c := mustCatalog(t, w)
		r, err := c.Reach(w.Attendance, training.ReachOptions{Disclosure: survey.Unsuppressed()})
		if err != nil {
			t.Fatal(err)
		}
		byMonth := map[string]map[bsk.ProviderID]bool{}
		for _, a := range w.Attendance {
			s, _ := c.Session(a.SessionID)
			o, _ := c.Offering(s.OfferingID)
			if o.Kind != bsk.OfferingTraining {
				continue
			}
			m := s.Starts.Format("2006-01")
			if byMonth[m] == nil {
				byMonth[m] = map[bsk.ProviderID]bool{}
			}
			byMonth[m][a.ProviderID] = true
		}
		seen := map[bsk.ProviderID]bool{}
		for i, m := range r.Months.Rows {
			next := byMonth[time.Date(2026, time.Month(i+2), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")]
			back, first := 0, 0
			for p := range byMonth[m] {
				if next[p] {
					back++
				}
				if !seen[p] {
					first++
				}
			}
			for p := range byMonth[m] {
				seen[p] = true
			}
			row := r.Months.Counts[i]
			if *row[0] != len(byMonth[m]) || *row[1] != back || *row[2] != first {
				t.Errorf("seed %d %s: %d/%d/%d; want %d/%d/%d", tt.seed, m, *row[0], *row[1], *row[2], len(byMonth[m]), back, first)
			}
		}
		if len(r.Months.Rows) != 12 {
			t.Errorf("seed %d: %d months; want 12", tt.seed, len(r.Months.Rows))
		}
	}
}
