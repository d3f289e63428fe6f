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
// delete. Access rules and key columns come from its functions; the
// handlers themselves are the same for every kind.
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
	// scope returns the organization a caller's listing is limited to ("" for
	// all), or an unauthorized error when the caller may not list at all.
	scope func(p Principal) (string, error)
	// canRead reports whether the caller may see the record.
	canRead func(p Principal, r store.Record) bool
	// writers are the roles that may create, change and delete records;
	// keys and canRead narrow what an agency may touch.
	writers []Role
	// redact shapes a record for the caller (for example, removes
	// demographics); nil returns it as stored.
	redact func(p Principal, v T) T
	// checkNew vets a new record's ID for the caller; nil accepts any.
	checkNew func(p Principal, v T) error
	// merge keeps stored values a caller may not change; nil keeps nothing.
	merge func(p Principal, stored, v T) T
}

func (r *resource[T]) register(g *echo.Group, path string) {
	w := allow(r.writers...)
	g.GET(path, r.list)
	g.GET(path+"/:id", r.get)
	g.POST(path, r.create, w)
	g.PUT(path+"/:id", r.update, w)
	g.DELETE(path+"/:id", r.remove, w)
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
	org, err := r.scope(p)
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
	for _, rec := range recs {
		if !r.canRead(p, rec) {
			continue
		}
		v, err := r.decode(rec)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, r.show(p, v))
	}
	if len(recs) == limit {
		page.NextCursor = recs[len(recs)-1].ID
	}
	return c.JSON(http.StatusOK, page)
}

func (r *resource[T]) get(c echo.Context) error {
	p := principal(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	rec, err := r.store.Get(c.Request().Context(), r.kind, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !r.canRead(p, rec)) {
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
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !r.canRead(p, old)) {
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
	err = r.store.Write(ctx, func(tx *store.Tx) error {
		old, err := tx.Get(ctx, r.kind, id)
		if bsk.ErrorCode(err) == bsk.CodeNotFound || (err == nil && !r.canRead(p, old)) {
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
