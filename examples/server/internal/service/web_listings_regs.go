package service

import (
	"context"
	"slices"
	"time"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// StaffRegistrationsPage is a page of each list of [StaffRegistrations],
// with the length of each whole list.
type StaffRegistrationsPage struct {
	StaffRegistrations
	// RegistrationsTotal and NoticesTotal count every registration and
	// waitlist notice the caller may see.
	RegistrationsTotal, NoticesTotal int
}

// StaffRegistrationsPage lists what [Trainings.StaffRegistrations] does,
// in the same orders, but only at most limit registrations from the
// regsFrom-th (from 0) and at most limit notices from the noticesFrom-th:
// it reads the time of each record the caller may see, orders them, and
// reads in full only the records of the page. Errors: invalid (/from or
// /limit negative), unauthorized for roles other than the staff and
// agencies.
func (t *Trainings) StaffRegistrationsPage(ctx context.Context, regsFrom, noticesFrom, limit int) (StaffRegistrationsPage, error) {
	p, err := require(ctx, registrants...)
	if err != nil {
		return StaffRegistrationsPage{}, err
	}
	var pr bsk.Problems
	if regsFrom < 0 || noticesFrom < 0 {
		pr.Add("/from", "must not be negative")
	}
	if limit < 0 {
		pr.Add("/limit", "must not be negative")
	}
	if err := pr.Err(); err != nil {
		return StaffRegistrationsPage{}, err
	}
	f := store.Filter{}
	if p.Role == RoleAgency {
		f.Org = p.OrganizationID
	}
	out := StaffRegistrationsPage{StaffRegistrations: StaffRegistrations{Registrations: []bsk.Registration{}, Notices: []bsk.WaitlistNotice{}}}
	// Registrations in the order made: by time, then ID.
	regs, err := timed(ctx, t.db, store.Registrations, "", f)
	if err != nil {
		return StaffRegistrationsPage{}, err
	}
	slices.SortStableFunc(regs, func(a, b timedRecord) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return compareStrings(a.id, b.id)
	})
	out.RegistrationsTotal = len(regs)
	if err := readPage(ctx, t.db, store.Registrations, "registration", regs, regsFrom, limit, &out.Registrations); err != nil {
		return StaffRegistrationsPage{}, err
	}
	// Notices newest first, then by registration.
	notices, err := timed(ctx, t.db, store.WaitlistNotices, "registration_id", f)
	if err != nil {
		return StaffRegistrationsPage{}, err
	}
	slices.SortStableFunc(notices, func(a, b timedRecord) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return compareStrings(a.tie, b.tie)
	})
	out.NoticesTotal = len(notices)
	if err := readPage(ctx, t.db, store.WaitlistNotices, "waitlist notice", notices, noticesFrom, limit, &out.Notices); err != nil {
		return StaffRegistrationsPage{}, err
	}
	return out, nil
}

// timedRecord is a record's ID with its document's time ("at") and,
// when asked for, another field to break ties.
type timedRecord struct {
	id, tie string
	at      time.Time
}

// timed reads the time, and the field tie when it is not "", of every
// record of kind k that f keeps.
func timed(ctx context.Context, db *store.DB, k store.Kind, tie string, f store.Filter) ([]timedRecord, error) {
	ats, err := db.Values(ctx, k, "at", f)
	if err != nil {
		return nil, err
	}
	out := make([]timedRecord, len(ats))
	for i, v := range ats {
		out[i].id = v.ID
		if v.Value != "" {
			if out[i].at, err = time.Parse(time.RFC3339Nano, v.Value); err != nil {
				return nil, bsk.Errorf(bsk.CodeInternal, "%s %q: time %q: %w", k, v.ID, v.Value, err)
			}
		}
	}
	if tie == "" {
		return out, nil
	}
	ties, err := db.Values(ctx, k, tie, f)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]string, len(ties))
	for _, v := range ties {
		byID[v.ID] = v.Value
	}
	for i := range out {
		out[i].tie = byID[out[i].id]
	}
	return out, nil
}

// readPage reads in full the records of sorted from the from-th, at most
// limit of them, and appends them, decoded, to dst.
func readPage[T any](ctx context.Context, db *store.DB, k store.Kind, what string, sorted []timedRecord, from, limit int, dst *[]T) error {
	from = min(from, len(sorted))
	to := min(from+limit, len(sorted))
	ids := make([]string, 0, to-from)
	for _, r := range sorted[from:to] {
		ids = append(ids, r.id)
	}
	recs, err := db.GetMany(ctx, k, ids)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		v, err := decode[T](what, rec)
		if err != nil {
			return err
		}
		*dst = append(*dst, v)
	}
	return nil
}

// ProviderNames returns the names of the providers with these IDs that the
// caller may read, by ID, in one read of the store: a page's names at
// once rather than a [Records.Get] each. Reads are audited as Get audits
// them, one entry per ID asked for, committed together. A provider the
// caller may not read, or that does not exist, is left out.
//
// Errors: unauthenticated.
func (w *Workforce) ProviderNames(ctx context.Context, ids []bsk.ProviderID) (map[bsk.ProviderID]string, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(ids))
	seen := map[bsk.ProviderID]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			keys = append(keys, string(id))
		}
	}
	wait, err := w.Providers.startReads(ctx, p, keys...)
	if err != nil {
		return nil, err
	}
	recs, err := w.db.GetMany(ctx, store.Providers, keys)
	if werr := wait(); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	out := make(map[bsk.ProviderID]string, len(recs))
	for _, rec := range recs {
		if !CanRead(p, store.Providers, rec) {
			continue
		}
		v, err := w.Providers.decode(rec)
		if err != nil {
			return nil, err
		}
		out[v.ID] = w.Providers.show(p, v).Name
	}
	return out, nil
}
