package service

import (
	"context"
	"encoding/json"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// Page is one page of a listing.
type Page[T any] struct {
	// Items are the records of this page.
	Items []T `json:"items"`
	// NextCursor, when not empty, is passed as ?cursor= to get the next
	// page.
	NextCursor string `json:"next_cursor"`
}

// ListQuery pages through records.
type ListQuery struct {
	// Cursor is the previous page's NextCursor.
	Cursor string
	// Limit is the page size (1-1000).
	Limit int
	// Parent keeps the records under one parent (a session's offering, an
	// attendance record's session).
	Parent string
	// OrganizationID keeps one organization's records.
	OrganizationID string
}

// Records serves one kind of workforce record: list, get, create, update
// and delete under the access policy (access.go), with the kind's
// reference checks. Every method reads its caller from the context.
type Records[T interface{ Validate() error }] struct {
	kind   store.Kind
	entity string
	db     *store.DB
	audit  *Audit
	id     func(T) string
	// keys returns the org and parent columns for v, looking up related
	// records in the transaction. It fails with not found for a reference
	// that does not exist or that lies outside the caller's organization,
	// with the same message either way.
	keys func(ctx context.Context, tx *store.Tx, p Principal, v T) (org, parent string, err error)
	// redact shapes a record for the caller (for example, removes
	// demographics); nil returns it as stored.
	redact func(p Principal, v T) T
	// checkNew vets a new record's ID for the caller; nil accepts any.
	checkNew func(p Principal, v T) error
	// merge keeps stored values a caller may not change; nil keeps nothing.
	merge func(p Principal, stored, v T) T
	// refs lists the records that refer to id (see [referenceError]); a
	// deletion is refused while any exist. nil: nothing refers to the kind.
	refs func(ctx context.Context, tx *store.Tx, p Principal, id string) (refs []reference, err error)
	// cascade deletes, in the deletion's transaction, the records that go
	// with id (a provider's attendance); nil deletes nothing else.
	cascade func(ctx context.Context, tx *store.Tx, p Principal, id string) error
	// changed carries an update from stored to v, in the update's
	// transaction, to the records that hold what the stored value said (an
	// offering's rosters), or refuses it; nil: nothing does.
	changed func(ctx context.Context, tx *store.Tx, p Principal, stored, v T) error
}

// Kind is the store kind the records live in.
func (r *Records[T]) Kind() store.Kind { return r.kind }

// Entity is the records' name in messages and the audit log.
func (r *Records[T]) Entity() string { return r.entity }

func (r *Records[T]) decode(rec store.Record) (T, error) { return decode[T](r.entity, rec) }

func (r *Records[T]) show(p Principal, v T) T {
	if r.redact != nil {
		return r.redact(p, v)
	}
	return v
}

// notFound is what a caller sees for a record that does not exist and for
// one it may not see, so that existence is never revealed.
func (r *Records[T]) notFound(id string) error {
	return bsk.NotFoundf("id", "no %s %q", r.entity, id)
}

// startReads queues the audit entries of reads the policy records.
func (r *Records[T]) startReads(ctx context.Context, p Principal, ids ...string) (wait func() error, err error) {
	if len(ids) == 0 || !auditsReads(p, r.kind) {
		return func() error { return nil }, nil
	}
	return r.audit.StartReads(ctx, r.entity, ids...)
}

// List lists the records the caller may see, in ID order.
//
// Errors: unauthorized for a role that may not list the kind.
func (r *Records[T]) List(ctx context.Context, q ListQuery) (Page[T], error) {
	p, err := caller(ctx)
	if err != nil {
		return Page[T]{}, err
	}
	org, err := listScope(p, r.kind)
	if err != nil {
		return Page[T]{}, err
	}
	f := store.Filter{Org: org, After: q.Cursor, Limit: q.Limit, Parent: q.Parent}
	if q.OrganizationID != "" {
		if org != "" && q.OrganizationID != org {
			return Page[T]{Items: []T{}}, nil
		}
		f.Org = q.OrganizationID
	}
	recs, err := r.db.List(ctx, r.kind, f)
	if err != nil {
		return Page[T]{}, err
	}
	page := Page[T]{Items: make([]T, 0, len(recs))}
	var ids []string
	for _, rec := range recs {
		if !CanRead(p, r.kind, rec) {
			continue
		}
		v, err := r.decode(rec)
		if err != nil {
			return Page[T]{}, err
		}
		page.Items = append(page.Items, r.show(p, v))
		ids = append(ids, rec.ID)
	}
	if len(recs) == q.Limit {
		page.NextCursor = recs[len(recs)-1].ID
	}
	wait, err := r.startReads(ctx, p, ids...)
	if err == nil {
		err = wait()
	}
	if err != nil {
		return Page[T]{}, err
	}
	return page, nil
}

// Get returns one record.
//
// Errors: not_found for a record that does not exist or that the caller
// may not see (the same answer).
func (r *Records[T]) Get(ctx context.Context, id string) (T, error) {
	var zero T
	p, err := caller(ctx)
	if err != nil {
		return zero, err
	}
	// The entry is queued before the record is read, so that its commit
	// runs while the record is read: it records the attempt, and stands
	// even when the answer is not found.
	wait, err := r.startReads(ctx, p, id)
	if err != nil {
		return zero, err
	}
	rec, err := r.db.Get(ctx, r.kind, id)
	if werr := wait(); werr != nil {
		return zero, werr
	}
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, r.kind, rec)) {
		return zero, r.notFound(id)
	}
	if err != nil {
		return zero, err
	}
	v, err := r.decode(rec)
	if err != nil {
		return zero, err
	}
	return r.show(p, v), nil
}

// Create stores a new record and returns it as the caller sees it.
//
// Errors: invalid (naming the field), not_found for a reference the
// caller cannot see, conflict for a taken ID, unauthorized.
func (r *Records[T]) Create(ctx context.Context, v T) (T, error) {
	var zero T
	p, err := require(ctx, Writers(r.kind)...)
	if err != nil {
		return zero, err
	}
	if err := v.Validate(); err != nil {
		return zero, err
	}
	if r.checkNew != nil {
		if err := r.checkNew(p, v); err != nil {
			return zero, err
		}
	}
	err = r.db.Write(ctx, func(tx *store.Tx) error {
		org, parent, err := r.keys(ctx, tx, p, v)
		if err != nil {
			return err
		}
		if r.merge != nil {
			v = r.merge(p, zero, v)
		}
		// An ID taken by a record the caller may not see reads like a
		// record that is not there, never as a conflict that would tell
		// the caller it exists.
		if old, err := tx.Get(ctx, r.kind, r.id(v)); err == nil && !CanRead(p, r.kind, old) {
			return r.notFound(r.id(v))
		} else if err != nil && bsk.ErrorCode(err) != bsk.CodeNotFound {
			return err
		}
		doc, err := encode(r.entity, v)
		if err != nil {
			return err
		}
		if err := tx.Insert(ctx, r.kind, store.Record{ID: r.id(v), Org: org, Parent: parent, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "create", r.entity, r.id(v))
	})
	if err != nil {
		return zero, err
	}
	return r.show(p, v), nil
}

// Update replaces the record id with v and returns it as the caller sees
// it. Values the caller may not see (an agency's view of demographics it
// may not change) are kept as stored.
//
// Errors: invalid, not_found, unauthorized.
func (r *Records[T]) Update(ctx context.Context, id string, v T) (T, error) {
	var zero T
	p, err := require(ctx, Writers(r.kind)...)
	if err != nil {
		return zero, err
	}
	if err := v.Validate(); err != nil {
		return zero, err
	}
	if r.id(v) != id {
		return zero, bsk.Errors{bsk.Invalidf("/id", "%q does not match the URL's %q", r.id(v), id)}
	}
	err = r.db.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Get(ctx, r.kind, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, r.kind, old)) {
			return r.notFound(id)
		}
		if err != nil {
			return err
		}
		org, parent, err := r.keys(ctx, tx, p, v)
		if err != nil {
			return err
		}
		if r.merge != nil || r.changed != nil {
			stored, err := r.decode(old)
			if err != nil {
				return err
			}
			if r.merge != nil {
				v = r.merge(p, stored, v)
			}
			if r.changed != nil {
				if err := r.changed(ctx, tx, p, stored, v); err != nil {
					return err
				}
			}
		}
		doc, err := encode(r.entity, v)
		if err != nil {
			return err
		}
		if err := tx.Update(ctx, r.kind, store.Record{ID: id, Org: org, Parent: parent, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "update", r.entity, id)
	})
	if err != nil {
		return zero, err
	}
	return r.show(p, v), nil
}

// Delete deletes the record id. A record others refer to is not deleted:
// the conflict lists the references (see [referenceError]). Records that
// go with it are deleted with it (a provider's attendance).
//
// Errors: not_found, conflict, unauthorized.
func (r *Records[T]) Delete(ctx context.Context, id string) error {
	p, err := require(ctx, Writers(r.kind)...)
	if err != nil {
		return err
	}
	return r.db.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Get(ctx, r.kind, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !CanRead(p, r.kind, old)) {
			return r.notFound(id)
		}
		if err != nil {
			return err
		}
		if r.refs != nil {
			refs, err := r.refs(ctx, tx, p, id)
			if err != nil {
				return err
			}
			if len(refs) > 0 {
				return referenceError(r.entity, id, refs)
			}
		}
		if r.cascade != nil {
			if err := r.cascade(ctx, tx, p, id); err != nil {
				return err
			}
		}
		if err := tx.Delete(ctx, r.kind, id); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "delete", r.entity, id)
	})
}

// decode reads a stored document.
func decode[T any](entity string, rec store.Record) (T, error) {
	var v T
	if err := json.Unmarshal(rec.Doc, &v); err != nil {
		return v, bsk.Errorf(bsk.CodeInternal, "stored %s %q: %w", entity, rec.ID, err)
	}
	return v, nil
}

// encode writes a document to store.
func encode(entity string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "encoding a %s: %w", entity, err)
	}
	return b, nil
}

// lister lists records: the store (*store.DB) or a write transaction
// (*store.Tx).
type lister interface {
	List(ctx context.Context, k store.Kind, f store.Filter) ([]store.Record, error)
}

// scanAll calls fn for every record of kind matching f (Limit and After
// are set by scanAll), a page at a time, from the store or inside a
// transaction.
func scanAll(ctx context.Context, from lister, kind store.Kind, f store.Filter, fn func(store.Record) error) error {
	const pageSize = 1000
	f.Limit, f.After = pageSize, ""
	for {
		recs, err := from.List(ctx, kind, f)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(recs) < pageSize {
			return nil
		}
		f.After = recs[len(recs)-1].ID
	}
}
