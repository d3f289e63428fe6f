package service

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/training"
)

// A participants report in two steps, for a person to review: PreviewZoom
// reads it and stores nothing; ConfirmZoom reads it again with the
// reviewer's choice of provider for rows the names did not settle, and
// stores the attendance. The report travels with the review (the store
// keeps no report, and no email), so the second step checks everything
// again. [Trainings.ImportZoom], the API's one-step import, is unchanged.

// ZoomReportLimit is the largest participants report the review reads:
// far above a meeting's (a 125-person training's is some 15 KB), and low
// enough that the review form, which carries the report base64-encoded,
// stays under the server's 1 MB limit for ordinary requests.
const ZoomReportLimit = 512 << 10

// ZoomPreview is a participants report read for review: nothing stored.
type ZoomPreview struct {
	// SessionID is the session the report is of.
	SessionID bsk.SessionID `json:"session_id"`
	// Rows counts the report's participant rows.
	Rows int `json:"rows"`
	// Merged counts the rows joined into another's record (re-joins).
	Merged int `json:"merged"`
	// Matched are the providers the report's rows name, in the order first
	// seen, with the hours their joins cover.
	Matched []ZoomMatch `json:"matched"`
	// Review lists the rows that matched no provider, or several, or too
	// little time, each with the providers it may be.
	Review []ZoomReviewRow `json:"review"`
}

// ZoomMatch is a provider a report's rows name.
type ZoomMatch struct {
	ProviderID bsk.ProviderID `json:"provider_id"`
	Name       string         `json:"name"`
	// Hours is the time covered by their joins, at most the session's.
	Hours float64 `json:"hours"`
	// Joins counts their rows: more than one is a re-join, merged.
	Joins int `json:"joins"`
	// Recorded is set when their attendance of the session is on file:
	// confirming leaves it as it is.
	Recorded bool `json:"recorded,omitempty"`
}

// ZoomReviewRow is a row for a person to settle.
type ZoomReviewRow struct {
	training.Unmatched
	// Candidates are the providers the row may stand for: every provider
	// with the name when it is ambiguous; for a name that matched no one,
	// up to five whose names share the most words with it.
	Candidates []ZoomCandidate `json:"candidates"`
}

// ZoomCandidate is a provider a row may stand for.
type ZoomCandidate struct {
	ProviderID     bsk.ProviderID     `json:"provider_id"`
	Name           string             `json:"name"`
	OrganizationID bsk.OrganizationID `json:"organization_id"`
	// Organization is the organization's name.
	Organization string `json:"organization"`
}

// ZoomConfirmed is what a confirmed review stored.
type ZoomConfirmed struct {
	ZoomImport
	// Kept lists the providers whose attendance of the session was
	// already on file, left as it was.
	Kept []bsk.ProviderID `json:"kept"`
}

// zoomWorkforce is what reading a report for a session needs.
type zoomWorkforce struct {
	sess    bsk.Session
	catalog *training.Catalog
	provs   map[bsk.ProviderID]bsk.Provider
	all     []bsk.Provider
	orgs    map[bsk.OrganizationID]string
}

// zoomSession loads the session, its offering and every provider (names
// and organizations only) for matching.
func (t *Trainings) zoomSession(ctx context.Context, sessionID string) (zoomWorkforce, error) {
	sRec, err := t.db.Get(ctx, store.Sessions, sessionID)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return zoomWorkforce{}, bsk.NotFoundf("id", "no session %q", sessionID)
	}
	if err != nil {
		return zoomWorkforce{}, err
	}
	sess, err := decode[bsk.Session]("session", sRec)
	if err != nil {
		return zoomWorkforce{}, err
	}
	oRec, err := t.db.Get(ctx, store.Offerings, sRec.Parent)
	if err != nil {
		return zoomWorkforce{}, err
	}
	off, err := decode[bsk.Offering]("offering", oRec)
	if err != nil {
		return zoomWorkforce{}, err
	}
	w := bsk.Workforce{Offerings: []bsk.Offering{off}, Sessions: []bsk.Session{sess}}
	if err := loadAll(ctx, t.db, store.Organizations, "organization", &w.Organizations); err != nil {
		return zoomWorkforce{}, err
	}
	if err := loadAll(ctx, t.db, store.Providers, "provider", &w.Providers); err != nil {
		return zoomWorkforce{}, err
	}
	zw := zoomWorkforce{sess: sess, provs: make(map[bsk.ProviderID]bsk.Provider, len(w.Providers))}
	for i := range w.Providers {
		w.Providers[i].Demographics = bsk.Demographics{} // matching reads names only
		zw.provs[w.Providers[i].ID] = w.Providers[i]
	}
	zw.all = w.Providers
	zw.orgs = make(map[bsk.OrganizationID]string, len(w.Organizations))
	for _, o := range w.Organizations {
		zw.orgs[o.ID] = o.Name
	}
	if zw.catalog, err = training.NewCatalog(w); err != nil {
		return zoomWorkforce{}, bsk.Errorf(bsk.CodeInternal, "stored workforce: %w", err)
	}
	return zw, nil
}

// recorded returns the providers whose attendance of the session is on
// file.
func recorded(ctx context.Context, from lister, sessionID bsk.SessionID) (map[bsk.ProviderID]bool, error) {
	out := map[bsk.ProviderID]bool{}
	err := scanAll(ctx, from, store.Attendance, store.Filter{Parent: string(sessionID)}, func(rec store.Record) error {
		a, err := decode[bsk.Attendance]("attendance record", rec)
		out[a.ProviderID] = true
		return err
	})
	return out, err
}

// PreviewZoom reads a participants report for a session as
// [Trainings.ImportZoom] does and stores nothing: the matched providers
// with their hours and joins, and the rows for a person to settle with
// their candidates. Errors: unauthorized for roles other than the
// administrator and coordinators; not found for an unknown session;
// invalid with every problem of the report, each naming its row and
// column, or for a report over [ZoomReportLimit].
func (t *Trainings) PreviewZoom(ctx context.Context, sessionID string, report []byte, loc *time.Location) (ZoomPreview, error) {
	if _, err := require(ctx, RoleAdmin, RoleCoordinator); err != nil {
		return ZoomPreview{}, err
	}
	if len(report) > ZoomReportLimit {
		return ZoomPreview{}, bsk.Errors{bsk.Invalidf("file", "the report is larger than %d bytes", ZoomReportLimit)}
	}
	zw, err := t.zoomSession(ctx, sessionID)
	if err != nil {
		return ZoomPreview{}, err
	}
	dir, err := training.NewDirectory(zw.all, nil)
	if err != nil {
		return ZoomPreview{}, err
	}
	res, err := zw.catalog.ImportZoom(bytes.NewReader(report), zw.sess.ID, dir, training.ImportOptions{Location: loc})
	if err != nil {
		return ZoomPreview{}, err
	}
	rep, err := readZoomReport(report)
	if err != nil {
		return ZoomPreview{}, err
	}
	joins := map[bsk.ProviderID]int{}
	for _, i := range rep.data() {
		if id, _ := dir.Match(rep.cell(i, rep.name), rep.cell(i, rep.email)); id != "" {
			joins[id]++
		}
	}
	done, err := recorded(ctx, t.db, zw.sess.ID)
	if err != nil {
		return ZoomPreview{}, err
	}
	out := ZoomPreview{SessionID: zw.sess.ID, Rows: res.Rows, Merged: res.Merged, Matched: []ZoomMatch{}, Review: []ZoomReviewRow{}}
	for _, a := range res.Attendance {
		out.Matched = append(out.Matched, ZoomMatch{ProviderID: a.ProviderID, Name: zw.provs[a.ProviderID].Name, Hours: a.Hours,
			Joins: joins[a.ProviderID], Recorded: done[a.ProviderID]})
	}
	for _, u := range res.Unmatched {
		row := ZoomReviewRow{Unmatched: u, Candidates: []ZoomCandidate{}}
		if u.Code != training.CodeNoTime {
			for _, p := range zoomCandidates(zw.all, u.Name) {
				row.Candidates = append(row.Candidates, ZoomCandidate{ProviderID: p.ID, Name: p.Name, OrganizationID: p.OrganizationID, Organization: zw.orgs[p.OrganizationID]})
			}
		}
		out.Review = append(out.Review, row)
	}
	slices.SortStableFunc(out.Review, func(a, b ZoomReviewRow) int { return cmp.Compare(a.Row, b.Row) })
	return out, nil
}

// ConfirmZoom stores the attendance of a reviewed participants report:
// the report is read again, each row in picks (its line, as PreviewZoom
// gave it) standing for the chosen provider, its joins merged with that
// provider's others as the import merges re-joins. Rows without a pick
// are left out and listed in Unmatched. A provider whose attendance of the
// session is already on file keeps it (listed in Kept); the rest is
// stored in one transaction, all or nothing.
//
// Errors: unauthorized for roles other than the administrator and
// coordinators; not found for an unknown session; invalid with every
// problem of the report, or for a pick of a row that is not for review
// or of an unknown provider (naming rows[<line>].provider_id).
func (t *Trainings) ConfirmZoom(ctx context.Context, sessionID string, report []byte, picks map[int]bsk.ProviderID, loc *time.Location) (ZoomConfirmed, error) {
	p, err := require(ctx, RoleAdmin, RoleCoordinator)
	if err != nil {
		return ZoomConfirmed{}, err
	}
	if len(report) > ZoomReportLimit {
		return ZoomConfirmed{}, bsk.Errors{bsk.Invalidf("file", "the report is larger than %d bytes", ZoomReportLimit)}
	}
	zw, err := t.zoomSession(ctx, sessionID)
	if err != nil {
		return ZoomConfirmed{}, err
	}
	opts := training.ImportOptions{Location: loc}
	dir, err := training.NewDirectory(zw.all, nil)
	if err != nil {
		return ZoomConfirmed{}, err
	}
	first, err := zw.catalog.ImportZoom(bytes.NewReader(report), zw.sess.ID, dir, opts)
	if err != nil {
		return ZoomConfirmed{}, err
	}
	reviewable := map[int]bool{}
	for _, u := range first.Unmatched {
		reviewable[u.Row] = u.Code != training.CodeNoTime
	}
	var pr bsk.Problems
	for _, r := range slices.Sorted(maps.Keys(picks)) {
		f := bsk.Index("rows", r) + ".provider_id"
		if !reviewable[r] {
			pr.Add(f, "line %d is not a row for review", r)
		} else if _, ok := zw.provs[picks[r]]; !ok {
			pr.AddCode(bsk.CodeNotFound, f, "no provider %q", picks[r])
		}
	}
	if err := pr.Err(); err != nil {
		return ZoomConfirmed{}, err
	}
	res := first
	if len(picks) > 0 {
		var nonce [6]byte
		rand.Read(nonce[:])
		rep, err := readZoomReport(report)
		if err != nil {
			return ZoomConfirmed{}, err
		}
		emails := map[bsk.ProviderID][]string{}
		rewritten, lines, err := rep.withEmails(func(line int) string {
			id, ok := picks[line]
			if !ok {
				return ""
			}
			e := fmt.Sprintf("review-%s-line-%d@review.invalid", hex.EncodeToString(nonce[:]), line)
			emails[id] = append(emails[id], e)
			return e
		})
		if err != nil {
			return ZoomConfirmed{}, err
		}
		if dir, err = training.NewDirectory(zw.all, emails); err != nil {
			return ZoomConfirmed{}, err
		}
		if res, err = zw.catalog.ImportZoom(bytes.NewReader(rewritten), zw.sess.ID, dir, opts); err != nil {
			return ZoomConfirmed{}, err
		}
		for i := range res.Unmatched {
			res.Unmatched[i].Row = lines[res.Unmatched[i].Row]
			if res.Unmatched[i].Code == training.CodeNoTime && strings.HasSuffix(res.Unmatched[i].Email, "@review.invalid") {
				res.Unmatched[i].Email = ""
			}
		}
	}
	out := ZoomConfirmed{ZoomImport: ZoomImport{SessionID: zw.sess.ID, Rows: res.Rows, Merged: res.Merged, Unmatched: res.Unmatched}, Kept: []bsk.ProviderID{}}
	err = t.db.Write(ctx, func(tx *store.Tx) error {
		done, err := recorded(ctx, tx, zw.sess.ID)
		if err != nil {
			return err
		}
		for _, a := range res.Attendance {
			if done[a.ProviderID] {
				out.Kept = append(out.Kept, a.ProviderID)
				continue
			}
			doc, err := encode("attendance record", a)
			if err != nil {
				return err
			}
			org := string(zw.provs[a.ProviderID].OrganizationID)
			if err := tx.Insert(ctx, store.Attendance, store.Record{ID: AttendanceID(a), Org: org, Parent: string(a.SessionID), Doc: doc}); err != nil {
				return err
			}
			out.Imported++
		}
		return tx.Audit(ctx, p.KeyID, "import_zoom", "session", string(zw.sess.ID))
	})
	if err != nil {
		return ZoomConfirmed{}, err
	}
	return out, nil
}

// zoomCandidates are the providers a report's name may stand for: those with
// the name (without case, runs of spaces read as one, a trailing
// parenthesis dropped), or else up to five whose names share the most
// words with it, in ID order among equals.
func zoomCandidates(all []bsk.Provider, name string) []bsk.Provider {
	words := nameWords(name)
	if len(words) == 0 {
		return nil
	}
	type scored struct {
		p     bsk.Provider
		score int
	}
	var same, near []scored
	for _, p := range all {
		pw := nameWords(p.Name)
		if slices.Equal(pw, words) {
			same = append(same, scored{p, 0})
			continue
		}
		n := 0
		for _, w := range words {
			if len(w) > 1 && slices.Contains(pw, w) {
				n++
			}
		}
		if n > 0 {
			near = append(near, scored{p, n})
		}
	}
	pick := same
	if len(pick) == 0 {
		pick = near
	}
	slices.SortStableFunc(pick, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.p.ID, b.p.ID))
	})
	if len(same) == 0 {
		pick = pick[:min(5, len(pick))]
	}
	out := make([]bsk.Provider, len(pick))
	for i, s := range pick {
		out[i] = s.p
	}
	return out
}

// nameWords are a name's words without case, a trailing parenthesis
// ("Ana Ruiz (she/her)") dropped.
func nameWords(name string) []string {
	n := strings.ToLower(strings.TrimSpace(name))
	if i := strings.LastIndex(n, " ("); i > 0 && strings.HasSuffix(n, ")") {
		n = n[:i]
	}
	return strings.FieldsFunc(n, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
}

// zoomReport is a participants report's records with their lines, and
// where its header and its name and email columns are. It finds the header
// as the importer does: the first record naming a name, a join and a
// leave column.
type zoomReport struct {
	records     [][]string
	lines       []int
	header      int // -1: none
	name, email int // -1: none
}

// readZoomReport reads a report's records (the importer has read it
// before, so a file that does not parse has been refused already).
func readZoomReport(b []byte) (zoomReport, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	rep := zoomReport{header: -1, name: -1, email: -1}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return zoomReport{}, bsk.Errors{bsk.Invalidf("rows", "%v", err)}
		}
		line, _ := cr.FieldPos(0)
		rep.records = append(rep.records, rec)
		rep.lines = append(rep.lines, line)
		if rep.header >= 0 {
			continue
		}
		col := map[string]int{}
		for i, h := range rec {
			if k := training.ZoomColumn(h); k != "" {
				if _, dup := col[k]; !dup {
					col[k] = i
				}
			}
		}
		_, j := col["join"]
		_, l := col["leave"]
		n, hasName := col["name"]
		if j && l && hasName {
			rep.header, rep.name = len(rep.records)-1, n
			if e, ok := col["email"]; ok {
				rep.email = e
			}
		}
	}
	if rep.header < 0 {
		return zoomReport{}, bsk.Errors{bsk.Invalidf("rows", "no participants header in the report")}
	}
	return rep, nil
}

// data returns the indexes of the participant records.
func (r zoomReport) data() []int {
	var out []int
	for i := r.header + 1; i < len(r.records); i++ {
		if rec := r.records[i]; len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		out = append(out, i)
	}
	return out
}

// cell is record i's column c, trimmed; "" when it has none.
func (r zoomReport) cell(i, c int) string {
	if c < 0 || c >= len(r.records[i]) {
		return ""
	}
	return strings.TrimSpace(r.records[i][c])
}

// withEmails writes the report again with the email of each participant
// row set to email(line) when that is not "" (an email column is added
// when the report has none), and returns the new file with a map from its
// lines to the report's.
func (r zoomReport) withEmails(email func(line int) string) ([]byte, map[int]int, error) {
	col := r.email
	if col < 0 {
		col = len(r.records[r.header])
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for i, rec := range r.records {
		rec = slices.Clone(rec)
		if i >= r.header {
			for len(rec) <= col {
				rec = append(rec, "")
			}
			if i == r.header && r.email < 0 {
				rec[col] = "Email"
			} else if e := email(r.lines[i]); i > r.header && e != "" {
				rec[col] = e
			}
		}
		if err := cw.Write(rec); err != nil {
			return nil, nil, bsk.Errorf(bsk.CodeInternal, "writing the report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, nil, bsk.Errorf(bsk.CodeInternal, "writing the report: %w", err)
	}
	// The new file's lines, record by record.
	lines := map[int]int{}
	cr := csv.NewReader(bytes.NewReader(buf.Bytes()))
	cr.FieldsPerRecord = -1
	for i := 0; ; i++ {
		if _, err := cr.Read(); err != nil {
			break
		}
		l, _ := cr.FieldPos(0)
		if i < len(r.lines) {
			lines[l] = r.lines[i]
		}
	}
	return buf.Bytes(), lines, nil
}
