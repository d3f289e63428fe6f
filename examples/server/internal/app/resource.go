package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
)

// resource serves one kind of record with list, get, create, update and
// delete. Who may see and change which records is the access policy's
// (access.go: listScope, canRead, writers); key columns and reference
// checks come from the resource's functions; the handlers themselves are
// the same for every kind.
type resource[T interface{ Validate() error }] struct {
	kind   store.Kind
	schema string
	entity string
	id     func(T) string
	store  *store.DB
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
	// checkDelete vets a deletion before it is made (for example, refuses
	// to leave references dangling); nil accepts it.
	checkDelete func(ctx context.Context, p Principal, id string) error
	// startReads queues the audit entries of reads of protected data and
	// returns a function that waits for their commit (App.startReads);
	// reads the policy audits (auditsReads) go through it.
	startReads func(c echo.Context, entity string, ids ...string) (wait func() error, err error)
}

func (r *resource[T]) register(g *echo.Group, path string) {
	w := allow(writers(r.kind)...)
	g.GET(path, r.list)
	g.GET(path+"/:id", r.get)
	g.POST(path, r.create, w)
	g.PUT(path+"/:id", r.update, w)
	g.DELETE(path+"/:id", r.remove, w)
}

// audit starts recording a read of the records ids when the policy audits
// this caller's reads of this kind, one entry per record, and returns a
// function that waits until the entries are committed. The answer is sent
// only after that, so nothing protected leaves the server unrecorded.
func (r *resource[T]) audit(c echo.Context, ids ...string) (wait func() error, err error) {
	if len(ids) == 0 || !auditsReads(principal(c), r.kind) {
		return func() error { return nil }, nil
	}
	return r.startReads(c, r.entity, ids...)
}

func (r *resource[T]) decode(rec store.Record) (T, error) {
	var v T
	if err := json.Unmarshal(rec.Doc, &v); err != nil {
		return v, bsk.Errorf(bsk.CodeInternal, "stored %s %q: %w", r.entity, rec.ID, err)
	}
	return v, nil
}

func (r *resource[T]) show(p Principal, v T) T {
	if r.redact != nil {
		return r.redact(p, v)
	}
	return v
}

// notFound is what a caller sees for a record that does not exist and for
// one it may not see, so that existence is never revealed.
func (r *resource[T]) notFound(id string) error {
	return bsk.NotFoundf("id", "no %s %q", r.entity, id)
}

func (r *resource[T]) list(c echo.Context) error {
	p := principal(c)
	org, err := listScope(p, r.kind)
	if err != nil {
		return err
	}
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	f := store.Filter{Org: org, After: c.QueryParam("cursor"), Limit: limit, Parent: c.QueryParam("parent")}
	if q := c.QueryParam("organization_id"); q != "" {
		if org != "" && q != org {
			return c.JSON(http.StatusOK, Page[T]{Items: []T{}})
		}
		f.Org = q
	}
	recs, err := r.store.List(c.Request().Context(), r.kind, f)
	if err != nil {
		return err
	}
	page := Page[T]{Items: make([]T, 0, len(recs))}
	var ids []string
	for _, rec := range recs {
		if !canRead(p, r.kind, rec) {
			continue
		}
		v, err := r.decode(rec)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, r.show(p, v))
		ids = append(ids, rec.ID)
	}
	if len(recs) == limit {
		page.NextCursor = recs[len(recs)-1].ID
	}
	wait, err := r.audit(c, ids...)
	if err == nil {
		err = wait()
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (r *resource[T]) get(c echo.Context) error {
	p := principal(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	// The entry is queued before the record is read, so that its commit
	// runs while the record is read: it records the attempt, and stands
	// even when the answer is 404.
	wait, err := r.audit(c, id)
	if err != nil {
		return err
	}
	rec, err := r.store.Get(c.Request().Context(), r.kind, id)
	if werr := wait(); werr != nil {
		return werr
	}
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canRead(p, r.kind, rec)) {
		return r.notFound(id)
	}
	if err != nil {
		return err
	}
	v, err := r.decode(rec)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r.show(p, v))
}

func (r *resource[T]) create(c echo.Context) error {
	p := principal(c)
	v, _, err := decodeValidated[T](c, r.schema)
	if err != nil {
		return err
	}
	if r.checkNew != nil {
		if err := r.checkNew(p, v); err != nil {
			return err
		}
	}
	ctx := c.Request().Context()
	err = r.store.Write(ctx, func(tx *store.Tx) error {
		org, parent, err := r.keys(ctx, tx, p, v)
		if err != nil {
			return err
		}
		if r.merge != nil {
			var zero T
			v = r.merge(p, zero, v)
		}
		// An ID taken by a record the caller may not see reads like a
		// record that is not there, never as a conflict that would tell
		// the caller it exists.
		if old, err := tx.Get(ctx, r.kind, r.id(v)); err == nil && !canRead(p, r.kind, old) {
			return r.notFound(r.id(v))
		} else if err != nil && bsk.ErrorCode(err) != bsk.CodeNotFound {
			return err
		}
		doc, _ := json.Marshal(v)
		if err := tx.Insert(ctx, r.kind, store.Record{ID: r.id(v), Org: org, Parent: parent, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "create", r.entity, r.id(v))
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r.show(p, v))
}

func (r *resource[T]) update(c echo.Context) error {
	p := principal(c)
	v, _, err := decodeValidated[T](c, r.schema)
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if r.id(v) != id {
		return bsk.Errors{bsk.Invalidf("/id", "%q does not match the URL's %q", r.id(v), id)}
	}
	ctx := c.Request().Context()
	err = r.store.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Get(ctx, r.kind, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canRead(p, r.kind, old)) {
			return r.notFound(id)
		}
		if err != nil {
			return err
		}
		org, parent, err := r.keys(ctx, tx, p, v)
		if err != nil {
			return err
		}
		if r.merge != nil {
			stored, err := r.decode(old)
			if err != nil {
				return err
			}
			v = r.merge(p, stored, v)
		}
		doc, _ := json.Marshal(v)
		if err := tx.Update(ctx, r.kind, store.Record{ID: id, Org: org, Parent: parent, Doc: doc}); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "update", r.entity, id)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r.show(p, v))
}

func (r *resource[T]) remove(c echo.Context) error {
	p := principal(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if r.checkDelete != nil {
		rec, err := r.store.Get(ctx, r.kind, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canRead(p, r.kind, rec)) {
			return r.notFound(id)
		}
		if err != nil {
			return err
		}
		if err := r.checkDelete(ctx, p, id); err != nil {
			return err
		}
	}
	err = r.store.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Get(ctx, r.kind, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !canRead(p, r.kind, old)) {
			return r.notFound(id)
		}
		if err != nil {
			return err
		}
		if err := tx.Delete(ctx, r.kind, id); err != nil {
			return err
		}
		return tx.Audit(ctx, p.KeyID, "delete", r.entity, id)
	})
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// pathID is the unescaped :id path parameter.
func pathID(c echo.Context) (string, error) {
	id, err := url.PathUnescape(c.Param("id"))
	if err != nil {
		return "", bsk.Errors{bsk.Invalidf("id", "malformed escape in the path")}
	}
	return id, nil
}
