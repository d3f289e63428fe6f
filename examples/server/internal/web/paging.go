package web

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// choicesShown is how many providers a name search offers in a form at a
// time.
const choicesShown = 20

// choices is a page of providers found by name for a form: the caller's
// search, the matches and the link to the next matches.
type choices struct {
	// Who is the name searched for, "" before a search.
	Who string
	// Found are this page's matches.
	Found []bsk.Provider
	// More is the link to the next matches, "" on the last page.
	More string
}

// None reports whether a search was made and found nobody.
func (ch choices) None() bool { return ch.Who != "" && len(ch.Found) == 0 && ch.More == "" }

// providerChoices finds the providers the caller may list whose name holds
// ?who= (the service decides who: staff anyone, an agency its own staff),
// a page of choicesShown at a time from ?after=; page is the form's page,
// to which the next matches link (with anchor appended).
func (w *Web) providerChoices(c echo.Context, page, anchor string) (choices, error) {
	ch := choices{Who: strings.TrimSpace(c.QueryParam("who"))}
	if ch.Who == "" {
		return ch, nil
	}
	found, err := w.svc.Workforce.FindProviders(c.Request().Context(),
		service.ProviderSearch{Name: ch.Who, Cursor: c.QueryParam("after"), Limit: choicesShown})
	if err != nil {
		return choices{}, err
	}
	ch.Found = found.Items
	if found.NextCursor != "" {
		ch.More = page + "?" + url.Values{"who": {ch.Who}, "after": {found.NextCursor}}.Encode() + anchor
	}
	return ch, nil
}

// offsetPage cuts the page of items that the query parameter param (a
// page number from 1) asks for out of all, pageSize at a time, and returns
// the links to the pages before and after it ("" at either end), keeping
// the request's other parameters but the language and a form's outcome. A
// page past the end is empty.
func offsetPage[T any](c echo.Context, all []T, param string) (items []T, prev, next string) {
	from, to, prev, next := pageOf(c, len(all), param)
	return all[from:to], prev, next
}

// pageOf is the page of a list of total items that the query parameter
// param asks for, as [offsetPage] cuts it: the items from from to to, and
// the links to the pages before and after it.
func pageOf(c echo.Context, total int, param string) (from, to int, prev, next string) {
	n, err := strconv.Atoi(c.QueryParam(param))
	if err != nil || n < 1 {
		n = 1
	}
	from = total
	if n-1 <= total/pageSize { // a page number past the end, however large, is empty
		from = min((n-1)*pageSize, total)
	}
	to = min(from+pageSize, total)
	link := func(k int) string {
		q := url.Values{}
		for key, v := range c.QueryParams() {
			// A form's outcome (done=, promoted=) is not carried along.
			if key != param && key != "lang" && key != "done" && key != "promoted" {
				q[key] = v
			}
		}
		q.Set(param, strconv.Itoa(k))
		return c.Request().URL.Path + "?" + q.Encode()
	}
	if n > 1 && from > 0 {
		prev = link(n - 1)
	}
	if to < total {
		next = link(n + 1)
	}
	return from, to, prev, next
}

// pageFrom is the index of the first item of the page that the query
// parameter param (a page number from 1) asks for, pageSize at a time,
// for a list read a page at a time; see [pageOf] for its links.
func pageFrom(c echo.Context, param string) int {
	n, err := strconv.Atoi(c.QueryParam(param))
	if err != nil || n < 1 {
		n = 1
	}
	return (min(n, math.MaxInt32/pageSize) - 1) * pageSize
}
