package training_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/training"
)

// TestCohortEnrolmentProperty runs random sequences of enrolments and
// withdrawals against a plain model of the program's rule (a seat while
// one is free; a freed seat to the earliest enrolled still waiting) and
// checks after every step that the cohort agrees with the model, never
// seats more than its capacity, and leaves no one waiting by a free seat.
func TestCohortEnrolmentProperty(t *testing.T) {
	mods := modules(14, []bsk.ProviderID{"clin"}, []bsk.ProviderID{"ment"})
	for seed := range uint64(50) {
		r := rand.New(rand.NewPCG(seed, 3))
		capacity := 1 + r.IntN(12)
		c, err := training.NewCohort(certificate(capacity), mods, 0)
		if err != nil {
			t.Fatal(err)
		}
		type entry struct {
			id     bsk.RegistrationID
			status bsk.RegistrationStatus
		}
		var model []entry // in enrolment order
		count := func(s bsk.RegistrationStatus) int {
			n := 0
			for _, e := range model {
				if e.status == s {
					n++
				}
			}
			return n
		}
		at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		for step := range 200 {
			at = at.Add(time.Minute)
			active := []int{}
			for i, e := range model {
				if e.status != bsk.RegistrationCancelled {
					active = append(active, i)
				}
			}
			if len(active) == 0 || r.IntN(3) > 0 {
				id := bsk.RegistrationID(fmt.Sprintf("r%03d", len(model)))
				want := bsk.RegistrationWaitlisted
				if count(bsk.RegistrationRegistered) < capacity {
					want = bsk.RegistrationRegistered
				}
				model = append(model, entry{id, want})
				got, err := c.Enrol(enrolment(string(id), bsk.ProviderID("p"+string(id)), at))
				if err != nil || got.Status != want {
					t.Fatalf("seed %d step %d: Enrol = %s, %v; want %s", seed, step, got.Status, err, want)
				}
			} else {
				i := active[r.IntN(len(active))]
				freed := model[i].status == bsk.RegistrationRegistered
				model[i].status = bsk.RegistrationCancelled
				var promoted []bsk.RegistrationID
				if freed {
					for k := range model {
						if model[k].status == bsk.RegistrationWaitlisted {
							model[k].status = bsk.RegistrationRegistered
							promoted = append(promoted, model[k].id)
							break
						}
					}
				}
				notices, err := c.Withdraw(model[i].id, at)
				if err != nil {
					t.Fatalf("seed %d step %d: Withdraw(%s) = %v", seed, step, model[i].id, err)
				}
				var got []bsk.RegistrationID
				for _, n := range notices {
					got = append(got, n.RegistrationID)
				}
				if diff := cmp.Diff(promoted, got); diff != "" {
					t.Fatalf("seed %d step %d: promoted (-want +got):\n%s", seed, step, diff)
				}
			}
			var want, got []entry
			want = model
			for _, g := range c.Roster().Registrations() {
				got = append(got, entry{g.ID, g.Status})
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(entry{})); diff != "" {
				t.Fatalf("seed %d step %d: registrations (-want +got):\n%s", seed, step, diff)
			}
			seated, waiting := len(c.Participants()), len(c.Roster().Waitlist())
			if seated > capacity || (waiting > 0 && seated < capacity) {
				t.Fatalf("seed %d step %d: %d seated, %d waiting, capacity %d", seed, step, seated, waiting, capacity)
			}
		}
	}
}
