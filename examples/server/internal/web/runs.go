package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/service"
	"github.com/beststarts/workforce/grouping"
)

func urlQuery(s string) string { return url.QueryEscape(s) }

type runsPage struct {
	Runs []service.GroupingRun
	// Led are, for a consultant, the runs in which they lead groups.
	Led  []service.LedRun
	Next string
}

// runs lists the caller's visible grouping runs, newest first within a
// page, with the form that starts a reflective consultation run; a
// consultant sees the finished runs in which they lead groups.
func (w *Web) runs(c echo.Context) error {
	if who(c).Role == service.RoleConsultant {
		page, err := w.svc.Grouping.Led(c.Request().Context(), service.ListQuery{Cursor: c.QueryParam("cursor"), Limit: pageSize})
		if err != nil {
			return w.fail(c, err)
		}
		slices.Reverse(page.Items)
		out := runsPage{Led: page.Items}
		if page.NextCursor != "" {
			out.Next = Prefix + "/runs?cursor=" + urlQuery(page.NextCursor)
		}
		return w.render(c, http.StatusOK, "runs", "runs.title_consultant", out)
	}
	page, err := w.svc.Grouping.List(c.Request().Context(), service.ListQuery{Cursor: c.QueryParam("cursor"), Limit: pageSize})
	if err != nil {
		return w.fail(c, err)
	}
	slices.Reverse(page.Items)
	out := runsPage{Runs: page.Items}
	if page.NextCursor != "" {
		out.Next = Prefix + "/runs?cursor=" + urlQuery(page.NextCursor)
	}
	return w.render(c, http.StatusOK, "runs", "runs.title", out)
}

// startRun starts a reflective consultation run over the providers on
// file and shows its progress page; the form's "fewer_groups" box lets
// the search close groups (grouping.PresetOptions.AllowFewerGroups).
func (w *Web) startRun(c echo.Context) error {
	secs, err := strconv.ParseFloat(c.FormValue("time_limit_seconds"), 64)
	if err != nil {
		secs = 2
	}
	run, err := w.svc.Grouping.Start(c.Request().Context(), service.GroupingRunRequest{Preset: grouping.ReflectiveConsultationPreset, TimeLimitSeconds: secs,
		Options: grouping.PresetOptions{AllowFewerGroups: c.FormValue("fewer_groups") == "on"}})
	if err != nil {
		return w.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/runs/"+url.PathEscape(run.ID))
}

type runPage struct {
	Run      service.GroupingRun
	Groups   []groupCard
	Unled    []unledGroup
	Unplaced []unplacedMember
	// Needs sums up the unplaced no consultant could lead (leaderNeeds).
	Needs []string
	// Percent is the search's progress while it runs.
	Percent int
	// Score is the finished run's objective as the library scores it.
	Score string
	// Moved says, for a run made by a hand move, who moved where, and
	// PrevScore is the score of the run it changed.
	Moved     []movedText
	PrevScore string
	// Staff may move members by hand (the form).
	Staff bool
}

// Refreshes reports that the page polls while the run waits or runs.
func (r runPage) Refreshes() bool {
	return r.Run.Status == service.RunQueued || r.Run.Status == service.RunRunning
}

type groupCard struct {
	service.Roster
	Languages    string
	MeetingTimes string
}

type unplacedMember struct {
	Name string
	ID   string
	Why  string
}

// leaderNeeds sums up the members left out because no consultant could
// lead them in any group, by what the consultants lack: a language (one
// line per language, the most members first), a meeting time, or both at
// once. The rows of the unplaced table give each member's own reason;
// this is the count a coordinator weighs when staffing the consultants.
func leaderNeeds(l Lang, unplaced []grouping.Unplaced) []string {
	type need struct {
		line string
		n    int
	}
	var byLang []need
	at := map[string]int{}
	times, both := 0, 0
	for _, u := range unplaced {
		p := u.Reason.Params
		if u.Reason.Code != grouping.ReasonNoLeaderFits || p["constraint"] != "leader_share" {
			continue
		}
		switch {
		case p["given"] == grouping.AttrLanguages && p["attr"] == grouping.AttrSlots:
			both++
		case p["given"] != "":
			// Another pair of attributes: the row says which.
		case p["attr"] == grouping.AttrLanguages && p["values"] != "":
			i, ok := at[p["values"]]
			if !ok {
				i = len(byLang)
				at[p["values"]] = i
				byLang = append(byLang, need{line: l.Languages(strings.Split(p["values"], ","))})
			}
			byLang[i].n++
		case p["attr"] == grouping.AttrSlots:
			times++
		}
	}
	slices.SortStableFunc(byLang, func(a, b need) int { return cmp.Or(b.n-a.n, strings.Compare(a.line, b.line)) })
	var out []string
	for _, n := range byLang {
		out = append(out, l.T("run.need_language", n.line, n.n))
	}
	if times > 0 {
		out = append(out, l.T("run.need_times", times))
	}
	if both > 0 {
		out = append(out, l.T("run.need_both", both))
	}
	return out
}

// run shows a run: its progress while it runs (the page polls), then its
// groups as cards with their consultant, meeting times and common
// languages, the groups without a consultant and the members without a
// group, each with the reason in words.
func (w *Web) run(c echo.Context) error {
	ctx, l := c.Request().Context(), lang(c)
	run, err := w.svc.Grouping.Get(ctx, c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	out := runPage{Run: run}
	if run.Progress != nil && run.Progress.RemainingSeconds+run.Progress.ElapsedSeconds > 0 {
		out.Percent = int(100 * run.Progress.ElapsedSeconds / (run.Progress.ElapsedSeconds + run.Progress.RemainingSeconds))
	}
	if run.Status == service.RunDone {
		r, err := w.svc.Grouping.Rosters(ctx, run.ID)
		if err != nil {
			return w.fail(c, err)
		}
		names := map[string]string{}
		for _, g := range r.Rosters {
			if len(g.Members) == 0 {
				continue // a group the search did not form
			}
			out.Groups = append(out.Groups, groupCard{Roster: g, Languages: l.Languages(g.Languages), MeetingTimes: l.meetingTimes(g.MeetingTimes)})
			for _, m := range g.Members {
				names[string(m.ID)] = m.Name
			}
		}
		for _, u := range run.Unled {
			out.Unled = append(out.Unled, unledGroup{Number: u.Group + 1, Why: l.reasonOf(u.Reason)})
		}
		out.Staff = who(c).IsStaff()
		if run.Diff != nil {
			for _, m := range run.Diff.Moved {
				if m.From < 0 || m.To < 0 {
					continue
				}
				out.Moved = append(out.Moved, movedText{Name: names[string(m.Member)], From: m.From + 1, To: m.To + 1})
			}
			if len(out.Moved) > 0 && run.PreviousRunID != "" {
				if prev, err := w.svc.Grouping.Get(ctx, run.PreviousRunID); err == nil && prev.Solution != nil {
					out.PrevScore = scoreText(prev.Solution.Objective)
				}
			}
		}
		if run.Solution != nil {
			out.Score = scoreText(run.Solution.Objective)
			for _, u := range run.Solution.Unplaced {
				name := names[string(u.Member)]
				if name == "" {
					if v, err := w.svc.Workforce.Providers.Get(ctx, string(u.Member)); err == nil {
						name = v.Name
					}
				}
				out.Unplaced = append(out.Unplaced, unplacedMember{Name: name, ID: string(u.Member), Why: l.reason(u.Reason)})
			}
			out.Needs = leaderNeeds(l, run.Solution.Unplaced)
		}
	}
	return w.render(c, http.StatusOK, "run", "run.title", out, run.ID)
}

type rostersPage struct {
	RunID string
	// ByConsultant are the groups by consultant, those without one last.
	ByConsultant []consultantRosters
}

type consultantRosters struct {
	Consultant string
	Groups     []groupCard
}

// rosters lists a finished run's rosters by consultant.
func (w *Web) rosters(c echo.Context) error {
	r, err := w.svc.Grouping.Rosters(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	return w.render(c, http.StatusOK, "rosters", "rosters.title", rostersPage{RunID: r.RunID, ByConsultant: byConsultant(lang(c), r.Rosters)}, r.RunID)
}

func byConsultant(l Lang, rs []service.Roster) []consultantRosters {
	var out []consultantRosters
	at := map[string]int{}
	for _, g := range rs {
		if len(g.Members) == 0 {
			continue // a group the search did not form
		}
		name := l.T("rosters.no_consultant")
		if g.Consultant != nil {
			name = g.Consultant.Name
		}
		i, ok := at[name]
		if !ok {
			i = len(out)
			at[name] = i
			out = append(out, consultantRosters{Consultant: name})
		}
		out[i].Groups = append(out[i].Groups, groupCard{Roster: g, Languages: l.Languages(g.Languages), MeetingTimes: l.meetingTimes(g.MeetingTimes)})
	}
	none := l.T("rosters.no_consultant")
	slices.SortStableFunc(out, func(a, b consultantRosters) int {
		if (a.Consultant == none) != (b.Consultant == none) {
			if a.Consultant == none {
				return 1
			}
			return -1
		}
		return strings.Compare(a.Consultant, b.Consultant)
	})
	return out
}

// rostersExcel sends the rosters as an Excel workbook: one row per member,
// with the group, its consultant, meeting times and common languages.
func (w *Web) rostersExcel(c echo.Context) error {
	l := lang(c)
	r, err := w.svc.Grouping.Rosters(c.Request().Context(), c.Param("id"))
	if err != nil {
		return w.fail(c, err)
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := l.T("xlsx.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return w.fail(c, err)
	}
	header := []any{l.T("xlsx.consultant"), l.T("xlsx.group"), l.T("xlsx.member"), l.T("xlsx.member_id"), l.T("xlsx.organization"), l.T("xlsx.role"), l.T("xlsx.meeting_times"), l.T("xlsx.languages")}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return w.fail(c, err)
	}
	row := 2
	for _, cr := range byConsultant(l, r.Rosters) {
		for _, g := range cr.Groups {
			for _, m := range g.Members {
				vals := []any{cr.Consultant, g.Number, m.Name, string(m.ID), string(m.OrganizationID), l.Role(string(m.Role)), g.MeetingTimes, g.Languages}
				cell, _ := excelize.CoordinatesToCellName(1, row)
				if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
					return w.fail(c, err)
				}
				row++
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return w.fail(c, bsk.Errorf(bsk.CodeInternal, "writing the workbook: %w", err))
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", "rosters-"+r.RunID+".xlsx"))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// meetingTimes translates "Tuesday 09:00-10:30" texts.
func (l Lang) meetingTimes(ts []string) string {
	if len(ts) == 0 {
		return l.T("none")
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		day, rest, _ := strings.Cut(t, " ")
		out[i] = l.T("day."+strings.ToLower(day)) + " " + rest
	}
	return strings.Join(out, "; ")
}

// reason writes a grouping reason in words, in the page's language: the
// library's own text (grouping.Reason.Text), so the pages and the API say
// the same.
func (l Lang) reason(r grouping.Reason) string { return r.Text(string(l)) }

// reasonOf writes a reason the grouping service returned.
func (l Lang) reasonOf(r service.ReasonText) string {
	return l.reason(grouping.Reason{Code: r.Code, Params: r.Params})
}

func plusOne(s string) string {
	n, err := strconv.Atoi(s)
	if err != nil {
		return s
	}
	return strconv.Itoa(n + 1)
}

// Langs names a provider's languages.
func (l Lang) Langs(codes []bsk.Language) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = string(c)
	}
	return l.Languages(s)
}

var slotDays = map[string]string{"mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday"}

// slot writes a meeting slot code ("tue-0900") as "Tuesday 09:00".
func (l Lang) slot(code string) string {
	day, hm, ok := strings.Cut(code, "-")
	if d, known := slotDays[day]; ok && known && len(hm) == 4 {
		return l.T("day."+d) + " " + hm[:2] + ":" + hm[2:]
	}
	return code
}
