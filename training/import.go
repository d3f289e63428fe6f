package training

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/beststarts/workforce/bsk"
)

// ImportOptions tune the attendance importers. The zero value works.
type ImportOptions struct {
	// MaxProblems stops collecting problems after this many; 0 means 100.
	MaxProblems int `json:"max_problems,omitempty"`
	// Location is the time zone of a video-meeting report's times, which
	// carry none; nil means UTC. (Zoom writes the account's time zone;
	// King County's is America/Los_Angeles.)
	Location *time.Location `json:"-"`
}

// Unmatched is a row of a participants report that matched no provider,
// kept for review: never dropped in silence.
type Unmatched struct {
	// Row is the row's line number in the file.
	Row int `json:"row"`
	// Name and Email are as the report gives them.
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	// Minutes is the time the row covers.
	Minutes float64 `json:"minutes"`
	// Code says why it is listed: "no_match"; "ambiguous_name" when
	// several providers have the name and no email told them apart; or
	// "no_time" for a matched provider whose joins cover under half a
	// minute (Name and Email are then the first row's).
	Code string `json:"code"`
}

// The codes of [Unmatched].
const (
	CodeNoMatch       = "no_match"
	CodeAmbiguousName = "ambiguous_name"
	CodeNoTime        = "no_time"
)

// ImportResult is what an import read: the attendance records, with the
// credit of their session, and the rows left for review.
type ImportResult struct {
	// Rows counts the data rows read.
	Rows int `json:"rows"`
	// Attendance holds one record per session and provider, in the order
	// first seen.
	Attendance []bsk.Attendance `json:"attendance"`
	// Merged counts the rows joined into another's record (a participant
	// who dropped and re-joined).
	Merged int `json:"merged"`
	// Unmatched lists the rows that matched no provider.
	Unmatched []Unmatched `json:"unmatched"`
}

// problems collects import problems up to a bound.
type problems struct {
	list bsk.Errors
	max  int
}

func (p *problems) add(code bsk.Code, row int, field, format string, args ...any) bool {
	if len(p.list) < p.max {
		e := &bsk.Error{Code: code, Field: bsk.JoinField(bsk.Index("rows", row), field), Message: sprintf(format, args...)}
		p.list = append(p.list, e)
	}
	return len(p.list) < p.max
}

func newProblems(opts ImportOptions) *problems {
	m := opts.MaxProblems
	if m <= 0 {
		m = 100
	}
	return &problems{max: m}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return p.list
}

// skipBOM drops a leading UTF-8 byte order mark.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	return br
}

func csvProblem(err error) (line int, msg string) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line, pe.Err.Error()
	}
	return 0, err.Error()
}

// ImportCSV reads attendance in the project's own shape: a header naming
// session_id, provider_id and hours, and optionally credit (which must be
// the session's credit when given). It streams: memory grows with the
// records kept, not the file.
//
// It is all or nothing: any problem returns no result, with every problem
// found (up to MaxProblems) as [bsk.Errors] whose fields name the row's
// line and the column, like "rows[12].provider_id": an unknown session or
// provider ([bsk.CodeNotFound]), hours that are not a number in (0, 24],
// a credit other than the session's, the same session and provider twice
// ([bsk.CodeConflict]), a malformed line.
func (c *Catalog) ImportCSV(r io.Reader, opts ImportOptions) (ImportResult, error) {
	res := ImportResult{Attendance: []bsk.Attendance{}, Unmatched: []Unmatched{}}
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = true
	p := newProblems(opts)
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return ImportResult{}, bsk.Errors{bsk.Invalidf("rows[1]", "the file is empty: a header row is required")}
		}
		_, msg := csvProblem(err)
		return ImportResult{}, bsk.Errors{bsk.Invalidf("rows[1]", "%s", msg)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			p.add(bsk.CodeConflict, 1, h, "column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"session_id", "provider_id", "hours"} {
		if _, ok := col[need]; !ok {
			p.add(bsk.CodeInvalid, 1, "", "the header has no %s column", need)
		}
	}
	if err := p.err(); err != nil {
		return ImportResult{}, err
	}
	creditCol, hasCredit := col["credit"]
	type key struct {
		s bsk.SessionID
		p bsk.ProviderID
	}
	seen := map[key]int{}
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, msg := csvProblem(err)
			p.add(bsk.CodeInvalid, max(l, line+1), "", "%s", msg)
			break
		}
		line, _ = cr.FieldPos(0)
		res.Rows++
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		sid, pid := bsk.SessionID(get("session_id")), bsk.ProviderID(get("provider_id"))
		ok := true
		credit, known := c.Credit(sid)
		if !known {
			ok = p.add(bsk.CodeNotFound, line, "session_id", "unknown session %q", sid) && false
		}
		if _, found := c.providers[pid]; !found {
			ok = p.add(bsk.CodeNotFound, line, "provider_id", "unknown provider %q", pid) && false
		}
		hours, herr := strconv.ParseFloat(get("hours"), 64)
		switch {
		case herr != nil || math.IsNaN(hours) || math.IsInf(hours, 0):
			ok = p.add(bsk.CodeInvalid, line, "hours", "%q is not a number", get("hours")) && false
		case hours <= 0 || hours > bsk.MaxAttendanceHours:
			ok = p.add(bsk.CodeInvalid, line, "hours", "%g is outside (0, %d]", hours, bsk.MaxAttendanceHours) && false
		}
		if hasCredit && creditCol < len(rec) && known {
			if v := bsk.Credit(strings.TrimSpace(rec[creditCol])); v != "" && v != credit {
				ok = p.add(bsk.CodeInvalid, line, "credit", "%q is not session %s's credit %q", v, sid, credit) && false
			}
		}
		if !ok {
			if len(p.list) >= p.max {
				break
			}
			continue
		}
		k := key{sid, pid}
		if first, dup := seen[k]; dup {
			if !p.add(bsk.CodeConflict, line, "provider_id", "provider %q attended session %q already on line %d", pid, sid, first) {
				break
			}
			continue
		}
		seen[k] = line
		res.Attendance = append(res.Attendance, bsk.Attendance{SessionID: sid, ProviderID: pid, Hours: hours, Credit: credit})
	}
	if err := p.err(); err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// Directory matches the people of a video-meeting report to providers: by
// email first (without case), then by name (without case, runs of spaces
// read as one); a display name's trailing parenthesis ("Ana Ruiz
// (she/her)") is tried without it.
type Directory struct {
	byEmail map[string]bsk.ProviderID
	byName  map[string][]bsk.ProviderID
}

// NewDirectory builds a directory from the providers' names and the emails
// they sign in with (a provider may have none). Errors: an email given for
// an unknown provider ([bsk.CodeNotFound]) or to two providers
// ([bsk.CodeConflict]), the field naming the email.
func NewDirectory(providers []bsk.Provider, emails map[bsk.ProviderID][]string) (*Directory, error) {
	d := &Directory{byEmail: map[string]bsk.ProviderID{}, byName: map[string][]bsk.ProviderID{}}
	known := make(map[bsk.ProviderID]bool, len(providers))
	for _, p := range providers {
		known[p.ID] = true
		n := normName(p.Name)
		if n != "" && !slices.Contains(d.byName[n], p.ID) {
			d.byName[n] = append(d.byName[n], p.ID)
		}
	}
	ids := make([]bsk.ProviderID, 0, len(emails))
	for id := range emails {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var pr bsk.Problems
	for _, id := range ids {
		if !known[id] {
			pr.AddCode(bsk.CodeNotFound, "emails."+string(id), "unknown provider %q", id)
			continue
		}
		for i, e := range emails[id] {
			e = normEmail(e)
			if e == "" {
				continue
			}
			if other, dup := d.byEmail[e]; dup && other != id {
				pr.AddCode(bsk.CodeConflict, bsk.Index("emails."+string(id), i), "email %q is also provider %q's", e, other)
				continue
			}
			d.byEmail[e] = id
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

// Match returns the provider a report's name and email stand for, or "" and
// the [Unmatched] code. A nil Directory matches no one.
func (d *Directory) Match(name, email string) (bsk.ProviderID, string) {
	if d == nil {
		return "", CodeNoMatch
	}
	if id, ok := d.byEmail[normEmail(email)]; ok && email != "" {
		return id, ""
	}
	n := normName(name)
	ids := d.byName[n]
	if len(ids) == 0 {
		if i := strings.LastIndex(n, " ("); i > 0 && strings.HasSuffix(n, ")") {
			ids = d.byName[n[:i]]
		}
	}
	switch len(ids) {
	case 0:
		return "", CodeNoMatch
	case 1:
		return ids[0], ""
	}
	return "", CodeAmbiguousName
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func normName(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

// ZoomColumn names the role of a participants report's header cell as
// [Catalog.ImportZoom] reads it: "name", "email", "join", "leave",
// "duration", or "" for a column the importer ignores. A program that
// shows a report for review before importing it finds the same columns.
func ZoomColumn(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	switch {
	case strings.HasPrefix(h, "name"), h == "participant", h == "display name":
		return "name"
	case strings.Contains(h, "email"):
		return "email"
	case strings.HasPrefix(h, "join"):
		return "join"
	case strings.HasPrefix(h, "leave"):
		return "leave"
	case strings.HasPrefix(h, "duration"):
		return "duration"
	}
	return ""
}

var zoomLayouts = []string{
	"01/02/2006 03:04:05 PM", "01/02/2006 3:04:05 PM", "01/02/2006 03:04 PM", "01/02/2006 15:04:05", "01/02/2006 15:04",
	"2006-01-02 15:04:05", "2006-01-02 15:04", time.RFC3339, "2006-01-02T15:04:05",
}

func parseZoomTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range zoomLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// span is one join of one participant.
type span struct{ join, leave time.Time }

// ImportZoom reads a video meeting's participants report (Zoom's
// "Participants" CSV: name, email, join time, leave time, duration; one row
// per join) for one session. Rows are matched to providers by email, then
// by name ([Directory.Match]); a participant's re-joins are merged into one
// record whose hours are the time covered by any of their joins (overlaps
// counted once), at most the session's length. Rows that match no provider
// are listed in Unmatched, never dropped. A summary block before the
// participants header (meeting ID, topic, ...) is skipped.
//
// It streams: memory grows with the participants and their joins, not with
// the file. It is all or nothing, like [Catalog.ImportCSV]: an unknown
// session ([bsk.CodeNotFound]), a report without the participants header,
// a time that does not parse, a leave before the join, a duration that is
// not a number, or a row given twice (the same person, join and leave;
// [bsk.CodeConflict]) returns no result and every problem, each naming
// the row's line and column ("rows[7].leave_time").
func (c *Catalog) ImportZoom(r io.Reader, session bsk.SessionID, dir *Directory, opts ImportOptions) (ImportResult, error) {
	s, off, ok := c.sessionAndOffering(session)
	if !ok {
		return ImportResult{}, bsk.Errors{bsk.NotFoundf("session_id", "unknown session %q", session)}
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	credit := s.CreditFor(off.Kind)
	cr := csv.NewReader(skipBOM(r))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	p := newProblems(opts)
	res := ImportResult{Attendance: []bsk.Attendance{}, Unmatched: []Unmatched{}}
	col := map[string]int{}
	line := 0
	// The header: the first record naming both a join and a leave column.
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return ImportResult{}, bsk.Errors{bsk.Invalidf("rows", "no participants header (name, email, join time, leave time, duration) in the report")}
		}
		if err != nil {
			l, msg := csvProblem(err)
			return ImportResult{}, bsk.Errors{bsk.Invalidf(bsk.Index("rows", max(l, line+1)), "%s", msg)}
		}
		line, _ = cr.FieldPos(0)
		clear(col)
		for i, h := range rec {
			if k := ZoomColumn(h); k != "" {
				if _, dup := col[k]; !dup {
					col[k] = i
				}
			}
		}
		_, j := col["join"]
		_, l := col["leave"]
		_, n := col["name"]
		if j && l && n {
			break
		}
	}
	type rowKey struct {
		who         string
		join, leave int64
	}
	seen := map[rowKey]int{}
	order := []bsk.ProviderID{}
	joins := map[bsk.ProviderID][]span{}
	firstRow := map[bsk.ProviderID]Unmatched{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			l, msg := csvProblem(err)
			p.add(bsk.CodeInvalid, max(l, line+1), "", "%s", msg)
			break
		}
		line, _ = cr.FieldPos(0)
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		res.Rows++
		name, email := get("name"), get("email")
		join, jok := parseZoomTime(get("join"), loc)
		leave, lok := parseZoomTime(get("leave"), loc)
		good := true
		if name == "" && email == "" {
			good = p.add(bsk.CodeInvalid, line, "name", "neither a name nor an email") && false
		}
		if !jok {
			good = p.add(bsk.CodeInvalid, line, "join_time", "%q is not a time", get("join")) && false
		}
		if !lok {
			good = p.add(bsk.CodeInvalid, line, "leave_time", "%q is not a time", get("leave")) && false
		}
		if jok && lok && leave.Before(join) {
			good = p.add(bsk.CodeInvalid, line, "leave_time", "%s is before the join time %s", get("leave"), get("join")) && false
		}
		if d := get("duration"); d != "" {
			if v, err := strconv.ParseFloat(d, 64); err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
				good = p.add(bsk.CodeInvalid, line, "duration", "%q is not a number of minutes", d) && false
			}
		}
		if !good {
			if len(p.list) >= p.max {
				break
			}
			continue
		}
		k := rowKey{normEmail(email) + "\x00" + normName(name), join.Unix(), leave.Unix()}
		if first, dup := seen[k]; dup {
			if !p.add(bsk.CodeConflict, line, "join_time", "the same join as line %d", first) {
				break
			}
			continue
		}
		seen[k] = line
		id, code := dir.Match(name, email)
		if id == "" {
			res.Unmatched = append(res.Unmatched, Unmatched{Row: line, Name: name, Email: email, Minutes: leave.Sub(join).Minutes(), Code: code})
			continue
		}
		if _, ok := joins[id]; !ok {
			order = append(order, id)
			firstRow[id] = Unmatched{Row: line, Name: name, Email: email, Code: CodeNoTime}
		} else {
			res.Merged++
		}
		joins[id] = append(joins[id], span{join, leave})
	}
	if err := p.err(); err != nil {
		return ImportResult{}, err
	}
	for _, id := range order {
		minutes := math.Round(covered(joins[id]).Minutes())
		minutes = min(minutes, float64(s.Minutes))
		if minutes <= 0 {
			res.Unmatched = append(res.Unmatched, firstRow[id])
			continue
		}
		res.Attendance = append(res.Attendance, bsk.Attendance{SessionID: s.ID, ProviderID: id, Hours: minutes / 60, Credit: credit})
	}
	return res, nil
}

// covered returns the time covered by any of the spans.
func covered(spans []span) time.Duration {
	slices.SortFunc(spans, func(a, b span) int { return a.join.Compare(b.join) })
	var total time.Duration
	var end time.Time
	for _, s := range spans {
		if s.join.Before(end) {
			s.join = end
		}
		if s.leave.After(s.join) {
			total += s.leave.Sub(s.join)
			end = s.leave
		}
	}
	return total
}
