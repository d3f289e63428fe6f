package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// notYoursPage is a page whose forms the caller's role may not use: a
// sentence saying so in place of the forms.
type notYoursPage struct {
	Sentence string
}

// notYours answers a page whose forms the caller's role may not use (the
// service's rule says so: service.MayInvoice and its kin) with the page's
// title and one plain sentence, status 403, and no form.
func (w *Web) notYours(c echo.Context, titleKey, sentenceKey string) error {
	return w.render(c, http.StatusForbidden, "not_yours", titleKey, notYoursPage{Sentence: lang(c).T(sentenceKey)})
}
