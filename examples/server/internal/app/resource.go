package app

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// resource serves one kind of record over HTTP: list, get, create, update
// and delete. The handlers parse the request, call the kind's
// [service.Records] and render its answer; who may see and change which
// records is the service's.
type resource[T interface{ Validate() error }] struct {
	svc *service.Records[T]
	// schema names the JSON Schema request bodies are checked against.
	schema string
}

func (r *resource[T]) register(g *echo.Group, path string) {
	w := allow(service.Writers(r.svc.Kind())...)
	g.GET(path, r.list)
	g.GET(path+"/:id", r.get)
	g.POST(path, r.create, w)
	g.PUT(path+"/:id", r.update, w)
	g.DELETE(path+"/:id", r.remove, w)
}

func (r *resource[T]) list(c echo.Context) error {
	limit, err := pageLimit(c)
	if err != nil {
		return err
	}
	page, err := r.svc.List(c.Request().Context(), service.ListQuery{
		Cursor: c.QueryParam("cursor"), Limit: limit, Parent: c.QueryParam("parent"), OrganizationID: c.QueryParam("organization_id")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (r *resource[T]) get(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := r.svc.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (r *resource[T]) create(c echo.Context) error {
	v, _, err := decodeValidated[T](c, r.schema)
	if err != nil {
		return err
	}
	v, err = r.svc.Create(c.Request().Context(), v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

func (r *resource[T]) update(c echo.Context) error {
	v, _, err := decodeValidated[T](c, r.schema)
	if err != nil {
		return err
	}
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err = r.svc.Update(c.Request().Context(), id, v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (r *resource[T]) remove(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := r.svc.Delete(c.Request().Context(), id); err != nil {
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
