package service

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/beststarts/workforce/bsk"
)

// TestStaffRegistrationsPage: every page of the registrations and of the
// waitlist notices is the slice of the whole lists StaffRegistrations
// reads, in the same order, with their lengths, on SQLite and PostgreSQL,
// for staff and for an agency (its own staff's alone); a page past the
// end is empty; roles other than the staff and agencies are refused.
func TestStaffRegistrationsPage(t *testing.T) {
	for dialect, svc := range homeServices(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			staff := WithPrincipal(ctx, Principal{KeyID: "k-coord", Role: RoleCoordinator})
			// A seat holder of a full training cancels: the first waiting
			// is promoted, and a notice says so.
			offs, err := svc.Workforce.Offerings.List(staff, ListQuery{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			promoted := bsk.OrganizationID("")
			for _, o := range offs.Items {
				r, err := svc.Trainings.Roster(staff, string(o.ID), "")
				if err == nil && r.Waitlisted > 0 {
					if _, err := svc.Trainings.Cancel(staff, string(o.ID), string(r.Registrations[0].ID)); err != nil {
						t.Fatal(err)
					}
					all, err := svc.Trainings.StaffRegistrations(staff)
					if err != nil || len(all.Notices) == 0 {
						t.Fatalf("no waitlist notice after a cancellation: %v", err)
					}
					for _, g := range all.Registrations {
						if g.ID == all.Notices[0].RegistrationID {
							promoted = g.OrganizationID
						}
					}
					break
				}
			}
			if promoted == "" {
				t.Fatal("the demo has no full training whose promoted registrant has an agency")
			}
			for _, p := range []Principal{
				{KeyID: "k-coord", Role: RoleCoordinator},
				{KeyID: "k-admin", Role: RoleAdmin},
				{KeyID: "k-agency", Role: RoleAgency, OrganizationID: string(promoted)},
			} {
				as := WithPrincipal(ctx, p)
				all, err := svc.Trainings.StaffRegistrations(as)
				if err != nil {
					t.Fatal(err)
				}
				if len(all.Registrations) < 3 || len(all.Notices) == 0 {
					t.Fatalf("%s sees %d registrations, %d notices: the pages are not exercised", p.Role, len(all.Registrations), len(all.Notices))
				}
				for _, size := range []int{1, 2, 7, 1000} {
					var regs []bsk.Registration
					var notices []bsk.WaitlistNotice
					for from := 0; from <= len(all.Registrations)+size; from += size {
						page, err := svc.Trainings.StaffRegistrationsPage(as, from, from, size)
						if err != nil {
							t.Fatal(err)
						}
						if page.RegistrationsTotal != len(all.Registrations) || page.NoticesTotal != len(all.Notices) {
							t.Fatalf("%s: totals %d, %d; want %d, %d", p.Role, page.RegistrationsTotal, page.NoticesTotal, len(all.Registrations), len(all.Notices))
						}
						if len(page.Registrations) > size || len(page.Notices) > size {
							t.Fatalf("%s: a page of %d holds %d and %d", p.Role, size, len(page.Registrations), len(page.Notices))
						}
						regs = append(regs, page.Registrations...)
						notices = append(notices, page.Notices...)
					}
					if d := cmp.Diff(all.Registrations, regs); d != "" {
						t.Errorf("%s: registrations in pages of %d (-all +pages):\n%s", p.Role, size, d)
					}
					if d := cmp.Diff(all.Notices, notices); d != "" {
						t.Errorf("%s: notices in pages of %d (-all +pages):\n%s", p.Role, size, d)
					}
				}
				if p.Role == RoleAgency {
					for _, g := range all.Registrations {
						if g.OrganizationID != promoted {
							t.Errorf("the agency's page holds %s of %s", g.ID, g.OrganizationID)
						}
					}
				}
			}
			for _, role := range []Role{RoleConsultant, RoleEvaluator} {
				as := WithPrincipal(ctx, Principal{KeyID: "k-" + string(role), Role: role, ProviderID: "prov-00001"})
				if _, err := svc.Trainings.StaffRegistrationsPage(as, 0, 0, 10); bsk.ErrorCode(err) != bsk.CodeUnauthorized {
					t.Errorf("StaffRegistrationsPage as %s = %v; want unauthorized", role, err)
				}
			}
			if _, err := svc.Trainings.StaffRegistrationsPage(staff, -1, 0, 10); bsk.ErrorCode(err) != bsk.CodeInvalid {
				t.Errorf("StaffRegistrationsPage(from -1) = %v; want invalid", err)
			}
		})
	}
}

// TestProviderNames: the names read at once are those Get reads one by
// one, for staff and for an agency (its own staff alone; another's and
// unknown IDs left out), on SQLite and PostgreSQL; nobody signed in is
// refused.
func TestProviderNames(t *testing.T) {
	for dialect, svc := range homeServices(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			staff := WithPrincipal(ctx, Principal{KeyID: "k-coord", Role: RoleCoordinator})
			page, err := svc.Workforce.Providers.List(staff, ListQuery{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var ids []bsk.ProviderID
			for i, v := range page.Items {
				if i%7 == 0 {
					ids = append(ids, v.ID, v.ID) // asked for twice
				}
			}
			ids = append(ids, "prov-nosuch")
			for _, p := range []Principal{
				{KeyID: "k-coord", Role: RoleCoordinator},
				{KeyID: "k-agency", Role: RoleAgency, OrganizationID: "org-001"},
			} {
				as := WithPrincipal(ctx, p)
				want := map[bsk.ProviderID]string{}
				for _, id := range ids {
					if v, err := svc.Workforce.Providers.Get(as, string(id)); err == nil {
						want[id] = v.Name
					}
				}
				if len(want) == 0 {
					t.Fatalf("%s reads no provider: the names are not exercised", p.Role)
				}
				got, err := svc.Workforce.ProviderNames(as, ids)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("ProviderNames as %s (-one Get each +got):\n%s", p.Role, d)
				}
			}
			if _, err := svc.Workforce.ProviderNames(ctx, ids); err == nil {
				t.Errorf("ProviderNames with nobody signed in: no error")
			}
		})
	}
}
