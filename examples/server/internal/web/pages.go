package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/grouping"
)

// pageSize is the rows a listing shows at a time.
const pageSize = 50

type homePage struct {
	// LatestRun is the latest reflective consultation run the caller may
	// see, with its unled groups (staff).
	LatestRun *service.GroupingRun
	// Groups is the number of groups the latest run formed.
	Groups int
	Unled  []unledGroup
	// Cycles are each scholarship program's open cycle (staff).
	Cycles []openCycle
	// Instruments are the survey instruments (evaluator, staff).
	Instruments []service.StoredInstrument
	// Staff is the first page of the agency's providers (agency).
	Staff []bsk.Provider
	// RunID and Rosters are the run a consultant asked for and the groups
	// they lead in it (consultant).
	RunID   string
	Rosters []groupCard
	// Year is the program year at a glance (staff).
	Year *yearGlance
}

// openCycle is a program's cycle in effect: the latest that has begun.
type openCycle struct {
	ProgramID      string
	Program, Cycle string
	Since          time.Time
	Budget         int64
}

type unledGroup struct {
	Number int
	Why    string
}

// home is the caller's starting page, by role.
func (w *Web) home(c echo.Context) error {
	ctx := c.Request().Context()
	p, l := who(c), lang(c)
	var h homePage
	switch p.Role {
	case service.RoleAdmin, service.RoleCoordinator:
		full, err := w.svc.Grouping.Latest(ctx, grouping.ReflectiveConsultationPreset)
		if err != nil {
			return w.fail(c, err)
		}
		if full != nil {
			h.LatestRun = full
			if full.Solution != nil {
				for _, g := range full.Solution.Groups {
					if len(g) > 0 {
						h.Groups++
					}
				}
			}
			for _, u := range full.Unled {
				h.Unled = append(h.Unled, unledGroup{Number: u.Group + 1, Why: l.reasonOf(u.Reason)})
			}
		}
		if h.Year, err = w.yearAtGlance(c); err != nil {
			return w.fail(c, err)
		}
	case service.RoleConsultant:
		// A consultant may read the rosters of a run they lead a group in,
		// by its ID (the coordinator sends it); listing runs is for staff.
		if id := strings.TrimSpace(c.QueryParam("run")); id != "" {
			r, err := w.svc.Grouping.Rosters(ctx, id)
			if err != nil {
				return w.fail(c, err)
			}
			h.RunID = r.RunID
			for _, g := range r.Rosters {
				h.Rosters = append(h.Rosters, groupCard{Roster: g, Languages: l.Languages(g.Languages), MeetingTimes: l.meetingTimes(g.MeetingTimes)})
			}
		}
	case service.RoleAgency:
		page, err := w.svc.Workforce.Providers.List(ctx, service.ListQuery{Limit: pageSize})
		if err != nil {
			return w.fail(c, err)
		}
		h.Staff = page.Items
	}
	if p.IsStaff() {
		progs, err := w.svc.Scholarships.Programs(ctx)
		if err != nil {
			return w.fail(c, err)
		}
		now := time.Now()
		for _, pc := range progs.Items {
			var open *openCycle
			for _, cy := range pc.Program.Cycles {
				if !cy.Effective.After(now) && (open == nil || cy.Effective.After(open.Since)) {
					open = &openCycle{ProgramID: pc.Program.ID, Program: pc.Program.Name, Cycle: cy.ID, Since: cy.Effective, Budget: int64(cy.Budget)}
				}
			}
			if open != nil {
				h.Cycles = append(h.Cycles, *open)
			}
		}
	}
	if p.Role == service.RoleEvaluator || p.IsStaff() {
		ins, err := w.svc.Surveys.Instruments(ctx)
		if err != nil {
			return w.fail(c, err)
		}
		h.Instruments = ins.Items
	}
	return w.render(c, http.StatusOK, "home", "home.title."+string(p.Role), h)
}

type listPage[T any] struct {
	Items []T
	// Query is the ID prefix searched for, Name the name; Org the
	// organization filter.
	Query, Name, Org string
	// Next is the next page's link, "" on the last page.
	Next string
}

// organizations lists the organizations the caller may see, a page at a
// time.
func (w *Web) organizations(c echo.Context) error {
	page, err := w.svc.Workforce.Organizations.List(c.Request().Context(), service.ListQuery{Cursor: c.QueryParam("cursor"), Limit: pageSize})
	if err != nil {
		return w.fail(c, err)
	}
	out := listPage[bsk.Organization]{Items: page.Items}
	if page.NextCursor != "" {
		out.Next = Prefix + "/organizations?cursor=" + urlQuery(page.NextCursor)
	}
	return w.render(c, http.StatusOK, "organizations", "organizations.title", out)
}

// providers lists providers a page at a time, optionally those of one
// organization and those whose ID starts with the search text (IDs begin
// with their organization's, so "org-004" finds an agency's staff).
func (w *Web) providers(c echo.Context) error {
	q, org := strings.TrimSpace(c.QueryParam("q")), strings.TrimSpace(c.QueryParam("org"))
	cursor := c.QueryParam("cursor")
	if name := strings.TrimSpace(c.QueryParam("name")); name != "" {
		return w.providersByName(c, name, org, cursor)
	}
	if cursor == "" && q != "" {
		// The store pages in ID order after the cursor: start at the
		// prefix without its last character, which sorts before it.
		_, size := utf8.DecodeLastRuneInString(q)
		cursor = q[:len(q)-size]
	}
	page, err := w.svc.Workforce.Providers.List(c.Request().Context(), service.ListQuery{Cursor: cursor, Limit: pageSize, OrganizationID: org})
	if err != nil {
		return w.fail(c, err)
	}
	out := listPage[bsk.Provider]{Query: q, Org: org}
	for _, v := range page.Items {
		if id := string(v.ID); q != "" && !strings.HasPrefix(id, q) {
			if id < q {
				continue // between the cursor and the prefix
			}
			page.NextCursor = "" // past the prefix: the search is done
			break
		}
		out.Items = append(out.Items, v)
	}
	if page.NextCursor != "" {
		out.Next = Prefix + "/providers?q=" + urlQuery(q) + "&org=" + urlQuery(org) + "&cursor=" + urlQuery(page.NextCursor)
	}
	return w.render(c, http.StatusOK, "providers", "providers.title", out)
}

// provider shows one provider; one the caller may not see is not found.
func (w *Web) provider(c echo.Context) error {
	v, err := w.svc.Workforce.Providers.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	return w.render(c, http.StatusOK, "provider", "provider.title", v, v.Name)
}

type importPage struct {
	// Rows are the file's problems, one line each.
	Problems []rowProblem
	Imported int
	Text     string
}

type rowProblem struct {
	Where, What string
}

func (w *Web) importPage(c echo.Context) error {
	return w.render(c, http.StatusOK, "import", "import.title", importPage{})
}

// importProviders reads an uploaded (or pasted) CSV and imports it whole,
// or shows every bad row and saves nothing.
func (w *Web) importProviders(c echo.Context) error {
	var data []byte
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return w.fail(c, err)
		}
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return w.fail(c, err)
		}
	} else {
		data = []byte(c.FormValue("text"))
	}
	page := importPage{Text: string(data)}
	if len(bytes.TrimSpace(data)) == 0 {
		page.Problems = []rowProblem{{What: lang(c).T("import.empty")}}
		return w.render(c, http.StatusBadRequest, "import", "import.title", page)
	}
	provs, err := w.cfg.ParseProviders(bytes.NewReader(data))
	if err == nil {
		page.Imported, err = w.svc.Workforce.ImportProviders(c.Request().Context(), provs, func(i int) int { return i + 2 })
	}
	if err != nil {
		var list bsk.Errors
		if !errors.As(err, &list) {
			var one *bsk.Error
			if !errors.As(err, &one) {
				return w.fail(c, err)
			}
			list = bsk.Errors{one}
		}
		for _, e := range list {
			page.Problems = append(page.Problems, rowProblem{Where: lang(c).where(e.Field), What: e.Message})
		}
		return w.render(c, http.StatusBadRequest, "import", "import.title", page)
	}
	page.Text = ""
	return w.render(c, http.StatusOK, "import", "import.title", page)
}

// where writes a problem's field ("rows[3].languages") as words.
func (l Lang) where(field string) string {
	rest, ok := strings.CutPrefix(field, "rows[")
	if !ok {
		return field
	}
	line, col, _ := strings.Cut(rest, "]")
	col = strings.TrimPrefix(col, ".")
	if col == "" {
		return l.T("import.line", line)
	}
	return l.T("import.line_column", line, col)
}

// providersByName lists the providers whose name holds name (any case),
// a page at a time: staff find anyone, an agency its own staff (the
// service decides).
func (w *Web) providersByName(c echo.Context, name, org, cursor string) error {
	page, err := w.svc.Workforce.FindProviders(c.Request().Context(), service.ProviderSearch{Name: name, Cursor: cursor, Limit: pageSize, OrganizationID: org})
	if err != nil {
		return w.fail(c, err)
	}
	out := listPage[bsk.Provider]{Items: page.Items, Name: name, Org: org}
	if page.NextCursor != "" {
		out.Next = Prefix + "/providers?name=" + urlQuery(name) + "&org=" + urlQuery(org) + "&cursor=" + urlQuery(page.NextCursor)
	}
	return w.render(c, http.StatusOK, "providers", "providers.title", out)
}
