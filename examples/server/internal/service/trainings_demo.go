package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/training"
)

// demoRegistrations stores registrations for the demo workforce's public
// trainings, so that a walk-through shows rosters: the training with the
// fewest seats is filled and three more providers wait; the next two
// trainings get six registrations each, every third by someone who works
// in a language other than English and asks for an interpreter into it. The same workforce always
// gets the same registrations.
func demoRegistrations(ctx context.Context, tx *store.Tx, wf bsk.Workforce) error {
	var trainings []bsk.Offering
	for _, o := range wf.Offerings {
		if o.Kind == bsk.OfferingTraining && o.OrganizationID == "" && o.Capacity > 0 {
			trainings = append(trainings, o)
		}
	}
	if len(trainings) == 0 {
		return nil
	}
	slices.SortStableFunc(trainings, func(a, b bsk.Offering) int {
		if a.Capacity != b.Capacity {
			return a.Capacity - b.Capacity
		}
		return compareIDs(a.ID, b.ID)
	})
	var staff, multilingual []bsk.Provider
	for _, p := range wf.Providers {
		if p.Role.Leads() {
			continue
		}
		staff = append(staff, p)
		if slices.ContainsFunc(p.Languages, func(l bsk.Language) bool { return l != bsk.English }) {
			multilingual = append(multilingual, p)
		}
	}
	used := map[bsk.ProviderID]bool{}
	take := func(from []bsk.Provider) (bsk.Provider, bool) {
		for _, p := range from {
			if !used[p.ID] {
				used[p.ID] = true
				return p, true
			}
		}
		return bsk.Provider{}, false
	}
	for i, o := range trainings[:min(3, len(trainings))] {
		n := 6
		if i == 0 {
			n = o.Capacity + 3
		}
		roster, err := training.NewRoster(o, "")
		if err != nil {
			return err
		}
		at := time.Date(2026, 1, 5, 16, 0, 0, 0, time.UTC)
		if !o.Starts.IsZero() {
			at = o.Starts.AddDate(0, 0, -30)
		}
		for k := range n {
			// Every third registration of the smaller trainings asks for an
			// interpreter into another language the provider works in.
			interpreted := i > 0 && k%3 == 0
			pool := staff
			if interpreted {
				pool = multilingual
			}
			p, ok := take(pool)
			if !ok {
				break
			}
			reg := bsk.Registration{ID: bsk.RegistrationID(fmt.Sprintf("demo-%s-%03d", o.ID, k+1)), OfferingID: o.ID, ProviderID: p.ID,
				OrganizationID: p.OrganizationID, At: at.Add(time.Duration(k) * time.Minute)}
			if interpreted {
				for _, l := range p.Languages {
					if l != o.Language && l != bsk.English {
						reg.Interpretation = l
						break
					}
				}
			}
			got, err := roster.Register(reg)
			if err != nil {
				return err
			}
			doc, err := encode("registration", got)
			if err != nil {
				return err
			}
			if err := tx.Insert(ctx, store.Registrations, store.Record{ID: string(got.ID), Org: string(p.OrganizationID), Parent: string(o.ID), Doc: doc}); err != nil {
				return err
			}
		}
	}
	return nil
}

func compareIDs[T ~string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
