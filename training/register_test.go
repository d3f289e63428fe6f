package training_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/scholarship"
	"github.com/beststarts/workforce/training"
)

func reg(id, provider string, at time.Time) bsk.Registration {
	return bsk.Registration{ID: bsk.RegistrationID(id), OfferingID: "tr-attach", ProviderID: bsk.ProviderID(provider), At: at}
}

func TestRosterWaitlistAndPromotion(t *testing.T) {
	off := smallYear().Offerings[0] // capacity 3
	r, err := training.NewRoster(off, "")
	if err != nil {
		t.Fatal(err)
	}
	at := date(2026, 1, 2)
	var statuses []bsk.RegistrationStatus
	for i, p := range []string{"p-ana", "p-binh", "p-cara", "p-dee", "p-eli"} {
		g, err := r.Register(reg(fmt.Sprintf("r%d", i+1), p, at.Add(time.Duration(i)*time.Minute)))
		if err != nil {
			t.Fatalf("Register(%s): %v", p, err)
		}
		statuses = append(statuses, g.Status)
	}
	want := []bsk.RegistrationStatus{"registered", "registered", "registered", "waitlisted", "waitlisted"}
	if diff := cmp.Diff(want, statuses); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}
	if _, err := r.Register(reg("r9", "p-ana", at.Add(time.Hour))); bsk.ErrorCode(err) != bsk.CodeConflict {
		t.Errorf("registering p-ana twice: %v; want a conflict", err)
	}
	// A waitlisted cancellation frees nothing.
	if n, err := r.Cancel("r5", at.Add(2*time.Hour)); err != nil || len(n) != 0 {
		t.Fatalf("Cancel(r5) = %v, %v; want no notice", n, err)
	}
	// A seat freed goes to the first waiting: p-dee, who was first.
	notices, err := r.Cancel("r2", at.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	wantN := []bsk.WaitlistNotice{{RegistrationID: "r4", OfferingID: "tr-attach", ProviderID: "p-dee", Position: 1, FreedBy: "r2", At: at.Add(3 * time.Hour)}}
	if diff := cmp.Diff(wantN, notices); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	if _, err := r.Cancel("r2", at); bsk.ErrorCode(err) != bsk.CodeConflict {
		t.Errorf("cancelling twice: %v; want a conflict", err)
	}
	if _, err := r.Cancel("nobody", at); bsk.ErrorCode(err) != bsk.CodeNotFound {
		t.Errorf("cancelling an unknown registration: %v; want not found", err)
	}
	if _, err := r.SetCapacity(2, at); bsk.ErrorCode(err) != bsk.CodeConflict {
		t.Errorf("lowering the capacity below the seats held: %v; want a conflict", err)
	}
	// The roster read back from its registrations is the same roster.
	back, err := training.NewRoster(off, "", r.Registrations()...)
	if err != nil {
		t.Fatalf("NewRoster(read back): %v", err)
	}
	if diff := cmp.Diff(r.Registrations(), back.Registrations()); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	// A stored roster that breaks the rules is refused, naming the row.
	bad := r.Registrations()
	bad[4].Status = bsk.RegistrationRegistered // r5, cancelled, now a fourth seat
	if _, err := training.NewRoster(off, "", bad...); bsk.ErrorCode(err) != bsk.CodeInvalid {
		t.Errorf("NewRoster(4 seats of 3) = %v; want invalid", err)
	}
}

// TestRosterProperties runs random registrations, cancellations and
// capacity changes against a plain model of the rules: the seats held never
// exceed the capacity, no one waits while a seat is free, and seats go to
// the waitlist in the order registered.
func TestRosterProperties(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 1))
		capacity := 1 + rng.IntN(6)
		off := bsk.Offering{ID: "o", Capacity: capacity}
		r, err := training.NewRoster(off, "")
		if err != nil {
			t.Fatal(err)
		}
		// The model: seats and queue of registration IDs.
		var seats, queue []bsk.RegistrationID
		at := date(2026, 1, 1)
		next := 0
		for step := range 200 {
			at = at.Add(time.Minute)
			switch op := rng.IntN(10); {
			case op < 6:
				next++
				id := bsk.RegistrationID(fmt.Sprintf("r%03d", next))
				g, err := r.Register(bsk.Registration{ID: id, OfferingID: "o", ProviderID: bsk.ProviderID(fmt.Sprintf("p%03d", next)), At: at})
				if err != nil {
					t.Fatalf("seed %d step %d: Register: %v", seed, step, err)
				}
				if len(seats) < capacity {
					seats = append(seats, id)
					if g.Status != bsk.RegistrationRegistered {
						t.Fatalf("seed %d step %d: %s waits with %d of %d seats held", seed, step, id, len(seats)-1, capacity)
					}
				} else {
					queue = append(queue, id)
				}
			case op < 9:
				all := append(slices.Clone(seats), queue...)
				if len(all) == 0 {
					continue
				}
				id := all[rng.IntN(len(all))]
				notices, err := r.Cancel(id, at)
				if err != nil {
					t.Fatalf("seed %d step %d: Cancel(%s): %v", seed, step, id, err)
				}
				var want []bsk.RegistrationID
				if i := slices.Index(seats, id); i >= 0 {
					seats = slices.Delete(seats, i, i+1)
					if len(queue) > 0 {
						want = append(want, queue[0])
						seats = append(seats, queue[0])
						queue = queue[1:]
					}
				} else {
					i := slices.Index(queue, id)
					queue = slices.Delete(queue, i, i+1)
				}
				var got []bsk.RegistrationID
				for _, n := range notices {
					got = append(got, n.RegistrationID)
				}
				if !slices.Equal(want, got) {
					t.Fatalf("seed %d step %d: Cancel(%s) promoted %v; want %v", seed, step, id, got, want)
				}
			default:
				capacity = max(len(seats), capacity+rng.IntN(3)-1, 1)
				notices, err := r.SetCapacity(capacity, at)
				if err != nil {
					t.Fatalf("seed %d step %d: SetCapacity(%d): %v", seed, step, capacity, err)
				}
				for k, n := range notices {
					if n.RegistrationID != queue[0] || n.Position != k+1 {
						t.Fatalf("seed %d step %d: promoted %s at %d; want %s at %d", seed, step, n.RegistrationID, n.Position, queue[0], k+1)
					}
					seats, queue = append(seats, queue[0]), queue[1:]
				}
			}
			held, waiting := ids(r.Registered()), ids(r.Waitlist())
			if len(held) > capacity || (len(waiting) > 0 && len(held) < capacity) {
				t.Fatalf("seed %d step %d: %d held, %d waiting, capacity %d", seed, step, len(held), len(waiting), capacity)
			}
			if !slices.Equal(waiting, queue) {
				t.Fatalf("seed %d step %d: waitlist %v; model %v", seed, step, waiting, queue)
			}
			slices.Sort(held)
			s := slices.Sorted(slices.Values(seats))
			if !slices.Equal(held, s) {
				t.Fatalf("seed %d step %d: seats %v; model %v", seed, step, held, s)
			}
		}
	}
}

func ids(rs []bsk.Registration) []bsk.RegistrationID {
	out := []bsk.RegistrationID{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// colRules is the community of leaders' audience: BIPOC leaders of levy
// grantees in the first levy, every agency serving young children from
// 2022.
func colRules() scholarship.RuleSet[training.Applicant] {
	return scholarship.RuleSet[training.Applicant]{Rules: []scholarship.Rule[training.Applicant]{
		training.Audience("community_of_leaders_audience",
			training.AudiencePeriod{From: date(2016, 1, 1), Until: date(2022, 1, 1), BIPOCOnly: true, GranteesOnly: true},
			training.AudiencePeriod{From: date(2022, 1, 1), YoungChildAgencies: true}),
		training.SameOrganization(),
	}}
}

func TestAdmitCommunityOfLeaders(t *testing.T) {
	c := mustCatalog(t, smallYear())
	col, _ := c.Offering("col")
	tests := []struct {
		provider string
		on       time.Time
		codes    []string
	}{
		{"p-ana", date(2019, 9, 1), nil},                                  // BIPOC, grantee
		{"p-cara", date(2019, 9, 1), []string{"bipoc_participants_only"}}, // grantee, white
		{"p-dee", date(2019, 9, 1), []string{"grantees_only"}},            // BIPOC, not a grantee
		{"p-eli", date(2019, 9, 1), []string{"bipoc_participants_only", "grantees_only"}},
		{"p-cara", date(2023, 9, 1), nil},                                          // open to all agencies serving young children
		{"p-fay", date(2023, 9, 1), []string{"agency_not_serving_young_children"}}, // an adult clinic
		{"p-ana", date(2015, 6, 1), []string{"offering_not_open"}},
	}
	for _, tt := range tests {
		t.Run(tt.provider+"@"+tt.on.Format("2006"), func(t *testing.T) {
			r, err := training.NewRoster(col, "")
			if err != nil {
				t.Fatal(err)
			}
			g := bsk.Registration{ID: "r1", OfferingID: "col", ProviderID: bsk.ProviderID(tt.provider), At: tt.on}
			a, err := c.ApplicantFor(g)
			if err != nil {
				t.Fatal(err)
			}
			got, v, err := r.Admit(context.Background(), colRules(), a, g)
			var codes []string
			for _, reason := range v.Reasons {
				codes = append(codes, reason.Code)
				if reason.Rule == "" || (reason.Code != "offering_not_open" && reason.Params["from"] == "" && reason.Params["organization"] == "") {
					t.Errorf("reason %+v lacks its rule or parameters", reason)
				}
			}
			if diff := cmp.Diff(tt.codes, codes); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			var ref *training.Refusal
			switch {
			case tt.codes == nil && (err != nil || got.Status != bsk.RegistrationRegistered):
				t.Errorf("Admit = %+v, %v; want registered", got, err)
			case tt.codes != nil && (!errors.As(err, &ref) || bsk.ErrorCode(err) != bsk.CodeInvalid || len(r.Registrations()) != 0):
				t.Errorf("Admit error %v (code %s), %d registrations; want a refusal, invalid, none added", err, bsk.ErrorCode(err), len(r.Registrations()))
			}
		})
	}
	// An organization's own group refuses other agencies' staff.
	rc := bsk.Offering{ID: "rc-kent", Kind: bsk.OfferingReflectiveConsultation, Title: "RC", Strategy: bsk.StrategyIECMH, Language: bsk.English,
		Capacity: 8, Cadence: bsk.CadenceMonthly, Modality: bsk.ModalityVirtual, SessionMinutes: 90, OrganizationID: "org-kent"}
	w := smallYear()
	w.Offerings = append(w.Offerings, rc)
	c = mustCatalog(t, w)
	r, _ := training.NewRoster(rc, "")
	rules := scholarship.RuleSet[training.Applicant]{Rules: []scholarship.Rule[training.Applicant]{training.SameOrganization()}}
	g := bsk.Registration{ID: "r1", OfferingID: "rc-kent", ProviderID: "p-dee", At: date(2026, 1, 1)}
	a, _ := c.ApplicantFor(g)
	_, v, err := r.Admit(context.Background(), rules, a, g)
	if err == nil || len(v.Reasons) != 1 || v.Reasons[0].Code != training.CodeOtherOrganization || v.Reasons[0].Params["organization"] != "org-kent" {
		t.Errorf("Admit(other agency) = %+v, %v; want other_organization naming org-kent", v, err)
	}
}
