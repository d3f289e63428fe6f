package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// StoredInstrument is a survey instrument as the server keeps it, with the
// REDCap project's record ID field when it came from a data dictionary.
type StoredInstrument struct {
	Instrument survey.Instrument `json:"instrument"`
	// RecordID and Ignored come from a REDCap data dictionary.
	RecordID string   `json:"record_id,omitempty"`
	Ignored  []string `json:"ignored,omitempty"`
}

// SurveyImport is an import of survey responses, run in the background.
type SurveyImport struct {
	ID           string    `json:"id"`
	InstrumentID string    `json:"instrument_id"`
	Format       string    `json:"format"` // "csv" or "redcap"
	Event        string    `json:"event,omitempty"`
	SkipBadRows  bool      `json:"skip_bad_rows,omitempty"`
	Status       RunStatus `json:"status"`
	// Rows counts the rows read so far.
	Rows int `json:"rows"`
	// Report says what a finished import did.
	Report *survey.ImportReport `json:"report,omitempty"`
	// Problems lists why a failed import failed (all or nothing: nothing
	// was imported).
	Problems []Problem `json:"problems,omitempty"`
	// Release fixes what readers may see of a done import; nothing is
	// published before it is set.
	Release    *ImportRelease `json:"release,omitempty"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  time.Time      `json:"created_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// surveyData is an import's responses: the file itself, parsed again (and
// cached) when a report needs it.
type surveyData struct {
	Format string `json:"format"`
	Event  string `json:"event,omitempty"`
	Skip   bool   `json:"skip,omitempty"`
	File   string `json:"file"`
}

// setCache keeps the parsed sets of recent imports, and the published
// tables of recent releases.
type setCache struct {
	mu   sync.Mutex
	sets map[string]*survey.Set
	keys []string
	pubs map[string]*survey.Publication
	pkey []string
}

func (c *setCache) publication(id string) *survey.Publication {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pubs[id]
}

func (c *setCache) putPublication(id string, p *survey.Publication) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pubs == nil {
		c.pubs = map[string]*survey.Publication{}
	}
	if _, ok := c.pubs[id]; !ok {
		c.pkey = append(c.pkey, id)
	}
	c.pubs[id] = p
	for len(c.pkey) > 16 {
		delete(c.pubs, c.pkey[0])
		c.pkey = c.pkey[1:]
	}
}

func (c *setCache) get(id string) *survey.Set {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sets[id]
}

func (c *setCache) put(id string, s *survey.Set) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.sets[id]; !ok {
		c.keys = append(c.keys, id)
	}
	c.sets[id] = s
	for len(c.keys) > 4 {
		delete(c.sets, c.keys[0])
		c.keys = c.keys[1:]
	}
}

func (a *App) surveyRoutes(g *echo.Group) {
	editors := allow(RoleAdmin, RoleEvaluator)
	readers := allow(RoleAdmin, RoleEvaluator, RoleCoordinator)
	g.POST("/instruments", a.postInstrument, editors)
	g.POST("/instruments/from-redcap", a.instrumentFromREDCap, editors)
	g.GET("/instruments", a.listInstruments, readers)
	g.GET("/instruments/:id", a.getInstrument, readers)
	g.POST("/instruments/:id/imports", a.startImport, editors)
	g.GET("/imports/:id", a.getImport, readers)
	g.POST("/imports/:id/release", a.postRelease, editors)
	g.GET("/imports/:id/report", a.surveyReport, readers)
	g.GET("/imports/:id/rankings/:item", a.surveyRanking, readers)
	g.GET("/imports/:id/frequencies/:item", a.surveyFrequencies, readers)
	a.surveyTrendRoutes(g, readers)
}

func (a *App) saveInstrument(c echo.Context, si StoredInstrument) error {
	ctx := c.Request().Context()
	if err := si.Instrument.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(si)
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Insert(ctx, store.Instruments, store.Record{ID: si.Instrument.ID, Doc: b}); err != nil {
			if bsk.ErrorCode(err) == bsk.CodeConflict || strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "duplicate key") {
				return bsk.Errorf(bsk.CodeConflict, "instrument %q exists: give a new version its own ID", si.Instrument.ID)
			}
			return err
		}
		return tx.Audit(ctx, principal(c).KeyID, "create", "instrument", si.Instrument.ID)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, si)
}

func (a *App) postInstrument(c echo.Context) error {
	var in survey.Instrument
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	return a.saveInstrument(c, StoredInstrument{Instrument: in})
}

// instrumentFromREDCap builds an instrument from a REDCap data dictionary
// (the request body, CSV) with ?id= and optional ?cycle= and ?population=.
func (a *App) instrumentFromREDCap(c echo.Context) error {
	id := c.QueryParam("id")
	if id == "" {
		return bsk.Errors{bsk.Invalidf("id", "the query parameter id names the new instrument")}
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	d, err := survey.ParseREDCapDictionary(strings.NewReader(string(body)), id)
	if err != nil {
		return err
	}
	d.Instrument.Cycle = c.QueryParam("cycle")
	d.Instrument.Population = c.QueryParam("population")
	return a.saveInstrument(c, StoredInstrument{Instrument: d.Instrument, RecordID: d.RecordID, Ignored: d.Ignored})
}

func (a *App) loadInstrument(ctx context.Context, id string) (StoredInstrument, error) {
	var si StoredInstrument
	rec, err := a.db.Get(ctx, store.Instruments, id)
	if err != nil {
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return si, bsk.NotFoundf("id", "no instrument %q", id)
		}
		return si, err
	}
	if err := json.Unmarshal(rec.Doc, &si); err != nil {
		return si, bsk.Errorf(bsk.CodeInternal, "stored instrument %q: %w", id, err)
	}
	return si, nil
}

func (a *App) getInstrument(c echo.Context) error {
	si, err := a.loadInstrument(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, si)
}

func (a *App) listInstruments(c echo.Context) error {
	all, err := allOf[StoredInstrument](c.Request().Context(), a.db, store.Instruments)
	if err != nil {
		return err
	}
	if all == nil {
		all = []StoredInstrument{}
	}
	return c.JSON(http.StatusOK, Page[StoredInstrument]{Items: all})
}

// startImport saves the uploaded file and imports it in the background;
// the import's status and progress are at /imports/{id}.
func (a *App) startImport(c echo.Context) error {
	ctx := c.Request().Context()
	si, err := a.loadInstrument(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "redcap" {
		return bsk.Errors{bsk.Invalidf("format", "must be csv or redcap")}
	}
	if format == "redcap" && si.RecordID == "" {
		return bsk.Errors{bsk.Invalidf("format", "instrument %q did not come from a REDCap data dictionary", si.Instrument.ID)}
	}
	skip, _ := strconv.ParseBool(c.QueryParam("skip_bad_rows"))
	body := http.MaxBytesReader(c.Response(), c.Request().Body, parseLimit(a.cfg.ImportLimit))
	imp := SurveyImport{ID: "imp-" + store.NewID(), InstrumentID: si.Instrument.ID, Format: format, Event: c.QueryParam("event"),
		SkipBadRows: skip, Status: RunRunning, CreatedBy: principal(c).KeyID, CreatedAt: time.Now().UTC()}
	dir := filepath.Join(a.cfg.Data, "uploads")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	path := filepath.Join(dir, imp.ID)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the file is larger than the import limit")
		}
		return err
	}
	if err := a.saveImport(ctx, imp, true); err != nil {
		os.Remove(path)
		return err
	}
	if !a.jobs.start(imp.ID, func(jctx context.Context) { a.runImport(jctx, si, imp, path) }) {
		os.Remove(path)
		return bsk.Errorf(bsk.CodeConflict, "the server is shutting down")
	}
	return c.JSON(http.StatusAccepted, imp)
}

func (a *App) saveImport(ctx context.Context, imp SurveyImport, insert bool) error {
	b, _ := json.Marshal(imp)
	rec := store.Record{ID: imp.ID, Parent: imp.InstrumentID, Doc: b}
	return a.db.Write(ctx, func(tx *store.Tx) error {
		if insert {
			if err := tx.Insert(ctx, store.SurveyImports, rec); err != nil {
				return err
			}
			return tx.Audit(ctx, imp.CreatedBy, "import", "survey", imp.ID)
		}
		return tx.Update(ctx, store.SurveyImports, rec)
	})
}

// parseSet parses an import's file.
func parseSet(si StoredInstrument, d surveyData, r io.Reader, progress func(int)) (*survey.Set, survey.ImportReport, error) {
	opts := survey.ImportOptions{SkipBadRows: d.Skip, Progress: progress}
	if d.Format == "redcap" {
		return survey.ImportREDCap(r, &survey.Dictionary{Instrument: si.Instrument, RecordID: si.RecordID, Ignored: si.Ignored},
			survey.REDCapOptions{ImportOptions: opts, Event: d.Event})
	}
	return survey.ImportCSV(r, si.Instrument, opts)
}

// runImport parses the file and, when it is good, stores it with the
// import's report in one transaction; a bad file stores nothing but the
// problems.
func (a *App) runImport(ctx context.Context, si StoredInstrument, imp SurveyImport, path string) {
	defer os.Remove(path)
	defer a.importRows.Delete(imp.ID)
	finish := func() {
		now := time.Now().UTC()
		imp.FinishedAt = &now
		wctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := a.saveImport(wctx, imp, false); err != nil {
			a.log.Error().Err(err).Str("import", imp.ID).Msg("storing a survey import")
		}
	}
	raw, err := os.ReadFile(path)
	if err == nil && !utf8.Valid(raw) {
		err = bsk.Errors{bsk.Invalidf("", "the file is not valid UTF-8")}
	}
	d := surveyData{Format: imp.Format, Event: imp.Event, Skip: imp.SkipBadRows, File: string(raw)}
	var set *survey.Set
	var rep survey.ImportReport
	if err == nil {
		set, rep, err = parseSet(si, d, strings.NewReader(d.File), func(rows int) { a.importRows.Store(imp.ID, rows) })
	}
	imp.Rows = rep.Rows
	if err == nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	if err != nil {
		imp.Status = RunFailed
		if errors.Is(err, errCancelled) {
			imp.Status = RunCancelled
		}
		imp.Problems = problemsOf(err, 100)
		finish()
		return
	}
	imp.Status, imp.Report = RunDone, &rep
	b, _ := json.Marshal(d)
	now := time.Now().UTC()
	imp.FinishedAt = &now
	ib, _ := json.Marshal(imp)
	wctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = a.db.Write(wctx, func(tx *store.Tx) error {
		if err := tx.Insert(wctx, store.SurveyData, store.Record{ID: imp.ID, Parent: imp.InstrumentID, Doc: b}); err != nil {
			return err
		}
		return tx.Update(wctx, store.SurveyImports, store.Record{ID: imp.ID, Parent: imp.InstrumentID, Doc: ib})
	})
	if err != nil {
		imp.Status, imp.Report, imp.Problems = RunFailed, nil, problemsOf(err, 1)
		finish()
		return
	}
	a.sets.put(imp.ID, set)
}

// problemsOf lists an error's problems, at most n.
func problemsOf(err error, n int) []Problem {
	var list bsk.Errors
	if !errors.As(err, &list) {
		var e *bsk.Error
		if errors.As(err, &e) {
			return []Problem{{Field: e.Field, Message: e.Message}}
		}
		return []Problem{{Message: err.Error()}}
	}
	out := []Problem{}
	for _, e := range list[:min(n, len(list))] {
		out = append(out, Problem{Field: e.Field, Message: e.Message})
	}
	return out
}

func (a *App) loadImport(ctx context.Context, id string) (SurveyImport, error) {
	var imp SurveyImport
	rec, err := a.db.Get(ctx, store.SurveyImports, id)
	if err != nil {
		if bsk.ErrorCode(err) == bsk.CodeNotFound {
			return imp, bsk.NotFoundf("id", "no import %q", id)
		}
		return imp, err
	}
	if err := json.Unmarshal(rec.Doc, &imp); err != nil {
		return imp, bsk.Errorf(bsk.CodeInternal, "stored import %q: %w", id, err)
	}
	if imp.Status == RunRunning {
		if rows, ok := a.importRows.Load(id); ok {
			imp.Rows = rows.(int)
		}
	}
	return imp, nil
}

func (a *App) getImport(c echo.Context) error {
	imp, err := a.loadImport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, imp)
}

// setOf returns a finished import's responses, parsed from the stored file
// once and then cached.
func (a *App) setOf(ctx context.Context, id string) (*survey.Set, error) {
	if s := a.sets.get(id); s != nil {
		return s, nil
	}
	imp, err := a.loadImport(ctx, id)
	if err != nil {
		return nil, err
	}
	if imp.Status != RunDone {
		return nil, bsk.Errorf(bsk.CodeConflict, "import %q is %s; reports exist once it is done", id, imp.Status)
	}
	si, err := a.loadInstrument(ctx, imp.InstrumentID)
	if err != nil {
		return nil, err
	}
	rec, err := a.db.Get(ctx, store.SurveyData, id)
	if err != nil {
		return nil, err
	}
	var d surveyData
	if err := json.Unmarshal(rec.Doc, &d); err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored survey data %q: %w", id, err)
	}
	s, _, err := parseSet(si, d, strings.NewReader(d.File), nil)
	if err != nil {
		return nil, bsk.Errorf(bsk.CodeInternal, "stored survey data %q no longer parses: %w", id, err)
	}
	a.sets.put(id, s)
	return s, nil
}

// surveyReport gives a released import's tables: ?breakdown=race
// (repeatable; "race,place" crosses two), each one of the release's;
// ?items=a,b; ?format=csv. The standard, population and race mode are the
// release's: ?standard=, ?population= and ?race= are refused. Every read
// is audited.
func (a *App) surveyReport(c echo.Context) error {
	if err := fixedByRelease(c); err != nil {
		return err
	}
	bds, err := requestedBreakdowns(c)
	if err != nil {
		return err
	}
	var items []string
	if v := c.QueryParam("items"); v != "" {
		items = splitComma(v)
	}
	pub, err := a.publicationOf(c)
	if err != nil {
		return err
	}
	if err := checkReleased(pub, bds, items); err != nil {
		return err
	}
	rep, err := pub.Select(items, bds)
	if err != nil {
		return err
	}
	if err := a.auditRead(c, "survey_report", c.Param("id")); err != nil {
		return err
	}
	if c.QueryParam("format") == "csv" {
		c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		c.Response().Header().Set("Content-Disposition", `attachment; filename="`+c.Param("id")+`.csv"`)
		c.Response().WriteHeader(http.StatusOK)
		return rep.WriteCSV(c.Response())
	}
	type sentenceCell struct {
		Item     string `json:"item"`
		Sentence string `json:"sentence"`
	}
	out := struct {
		*survey.Report
		Sentences []sentenceCell `json:"sentences"`
	}{Report: rep, Sentences: []sentenceCell{}}
	s, err := a.setOf(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	in := s.Instrument()
	for _, it := range in.Items {
		if cell, ok := rep.Total(it.Code); ok {
			out.Sentences = append(out.Sentences, sentenceCell{it.Code, survey.Sentence(in, it, cell)})
		}
	}
	return c.JSON(http.StatusOK, out)
}

// surveyRanking gives a released ranking item's result; audited.
func (a *App) surveyRanking(c echo.Context) error {
	if err := programWide(c); err != nil {
		return err
	}
	pub, err := a.publicationOf(c)
	if err != nil {
		return err
	}
	r, ok := pub.Ranking(c.Param("item"))
	if !ok {
		return bsk.NotFoundf("item", "no ranking item %q in the import's release", c.Param("item"))
	}
	if err := a.auditRead(c, "survey_report", c.Param("id")); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// surveyFrequencies gives a released multi-select item's frequencies;
// audited.
func (a *App) surveyFrequencies(c echo.Context) error {
	if err := programWide(c); err != nil {
		return err
	}
	pub, err := a.publicationOf(c)
	if err != nil {
		return err
	}
	f, ok := pub.Frequency(c.Param("item"))
	if !ok {
		return bsk.NotFoundf("item", "no multi-select item %q in the import's release", c.Param("item"))
	}
	if err := a.auditRead(c, "survey_report", c.Param("id")); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

// splitComma splits a list parameter, trimming spaces.
func splitComma(v string) []string {
	parts := strings.Split(v, ",")
	for k := range parts {
		parts[k] = strings.TrimSpace(parts[k])
	}
	return parts
}

// recoverImports marks imports left running by a previous process failed
// and removes the uploads a crash left behind: no import runs before the
// server starts, and an import's responses live in the database once it
// is done, so every file in the uploads directory is a leftover.
func (a *App) recoverImports(ctx context.Context) error {
	dir := filepath.Join(a.cfg.Data, "uploads")
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	imps, err := allOf[SurveyImport](ctx, a.db, store.SurveyImports)
	if err != nil {
		return err
	}
	for _, imp := range imps {
		if imp.Status != RunRunning {
			continue
		}
		now := time.Now().UTC()
		imp.Status, imp.FinishedAt = RunFailed, &now
		imp.Problems = []Problem{{Message: "the server stopped while the import was in progress; import the file again"}}
		if err := a.saveImport(ctx, imp, false); err != nil {
			return err
		}
	}
	return nil
}
