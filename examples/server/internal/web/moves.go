package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
)

// moveMember moves one member of a finished run to another group by hand
// (the form on the run's page): the service checks the move against the
// run's hard constraints, scores it with the library and stores it as a
// new run, whose page the browser is sent to.
func (w *Web) moveMember(c echo.Context) error {
	to, err := strconv.Atoi(strings.TrimSpace(c.FormValue("to")))
	if err != nil {
		return w.fail(c, bsk.Errors{bsk.Invalidf("to", "choose the group to move the member to")})
	}
	// The form numbers groups from 1, as the page does.
	ctx := c.Request().Context()
	run, err := w.svc.Grouping.Move(ctx, c.Param("id"), service.MoveRequest{Member: strings.TrimSpace(c.FormValue("member")), To: to - 1})
	var refused *service.MoveRefusal
	if errors.As(err, &refused) {
		// The refusal in the reader's language, with the members' names.
		l, names := lang(c), map[string]string{}
		if r, err := w.svc.Grouping.Rosters(ctx, c.Param("id")); err == nil {
			for _, g := range r.Rosters {
				for _, m := range g.Members {
					names[string(m.ID)] = m.Name
				}
			}
		}
		name := func(id string) string { return or(names[id], id) }
		msg := l.T("run.move_refused", name(refused.Member), refused.To+1, refused.Text(string(l)))
		if refused.Left != refused.Member {
			msg = l.T("run.move_refused_other", name(refused.Member), refused.To+1, name(refused.Left), refused.From+1, refused.Text(string(l)))
		}
		return w.render(c, http.StatusConflict, "error", "error.conflict", errorPage{Message: l.T("error.conflict"), Detail: msg})
	}
	if err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/runs/"+url.PathEscape(run.ID))
}

// movedText says what a hand move changed, for the run it made.
type movedText struct {
	Name     string
	From, To int
}

// scoreText writes a run's objective for people, to one decimal.
func scoreText(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
