package web_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRegisterSearch drives Chromium through the register form's
// name search without a script of the page's own: the agency types part
// of a name, submits, picks a match and registers them; the offering with
// the matches and the sentence a refused role reads in place of a form are
// scanned with axe-core, in English and Spanish.
func TestBrowserRegisterSearch(t *testing.T) {
	chromium(t)
	s := start(t, true)
	a1, _, _ := trainingWithOneSeat(t, s)
	keyA, _ := s.key("agency", "org-001", "")
	b := newBrowser(t, s)
	b.signIn(keyA)
	b.open("/web/trainings/tr-web")
	b.do("type a name", chromedp.SendKeys(chromedp.CSS("#who"), a1.Name))
	b.submit("search", "#find")
	b.expectText("#matches", a1.Name)
	b.axe("training-search")
	b.do("pick the first match", chromedp.Click(chromedp.CSS("#pick-0")))
	b.submit("register", "#register")
	b.expectText("#done", "")
	b.expectText("#registered", a1.Name)

	b.open("/web/trainings/tr-web?lang=es&who=" + url.QueryEscape("zzqx"))
	b.expectText("#no-match", "zzqx")
	b.axe("training-search-none")
	b.open("/web/program/invoices")
	b.expectText("#not-yours", "Su función no crea ni consulta las facturas")
	b.axe("invoices-not-yours")
}
