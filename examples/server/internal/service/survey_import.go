package service

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// SurveyImport is an import of survey responses, run in the background.
// Its times are UTC, written in RFC 3339.
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
	Problems []ImportProblem `json:"problems,omitempty"`
	// Release fixes what readers may see of a done import; nothing is
	// published before it is set.
	Release    *ImportRelease `json:"release,omitempty"`
	CreatedBy  string         `json:"created_by"`
	CreatedAt  time.Time      `json:"created_at"`
	FinishedAt *time.Time     `json:"finished_at,omitempty"`
}

// ImportProblem is one reason a failed import failed.
type ImportProblem struct {
	// Field is the offending row and column ("rows[3].respected"), or ""
	// for the file as a whole.
	Field string `json:"field"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Hidden says the reason is withheld from this reader because it can
	// quote a respondent's answer; Message then says so, and Field still
	// names the row and column.
	Hidden bool `json:"hidden,omitempty"`
}

// ImportRequest asks for an import of responses to an instrument.
type ImportRequest struct {
	// InstrumentID names the instrument.
	InstrumentID string
	// Format is "csv" (the default when empty) or "redcap" (for an
	// instrument built from a REDCap data dictionary).
	Format string
	// Event keeps one REDCap event's records.
	Event string
	// SkipBadRows imports the good rows of a file and reports the others;
	// without it one bad row fails the whole import.
	SkipBadRows bool
}

// surveyData is an import's responses: the file itself, parsed again (and
// cached) when a report needs it.
type surveyData struct {
	Format string `json:"format"`
	Event  string `json:"event,omitempty"`
	Skip   bool   `json:"skip,omitempty"`
	File   string `json:"file"`
}

// StartImport saves the file read from r and imports it in the
// background; the import's status and progress are read with [Import].
// An error reading r (over HTTP, a body beyond the import limit) is
// returned wrapped, so that the caller can tell it apart.
//
// Errors: not_found for an unknown instrument, invalid for a bad format,
// conflict while the server shuts down, unauthorized; internal for a
// file that cannot be saved.
func (s *Surveys) StartImport(ctx context.Context, req ImportRequest, r io.Reader) (SurveyImport, error) {
	p, err := require(ctx, SurveyEditors()...)
	if err != nil {
		return SurveyImport{}, err
	}
	si, err := s.instrument(ctx, req.InstrumentID)
	if err != nil {
		return SurveyImport{}, err
	}
	if req.Format == "" {
		req.Format = "csv"
	}
	if req.Format != "csv" && req.Format != "redcap" {
		return SurveyImport{}, bsk.Errors{bsk.Invalidf("format", "must be csv or redcap")}
	}
	if req.Format == "redcap" && si.RecordID == "" {
		return SurveyImport{}, bsk.Errors{bsk.Invalidf("format", "instrument %q did not come from a REDCap data dictionary", si.Instrument.ID)}
	}
	imp := SurveyImport{ID: "imp-" + store.NewID(), InstrumentID: si.Instrument.ID, Format: req.Format, Event: req.Event,
		SkipBadRows: req.SkipBadRows, Status: RunRunning, CreatedBy: p.KeyID, CreatedAt: time.Now().UTC()}
	path, err := s.saveUpload(imp.ID, r)
	if err != nil {
		return SurveyImport{}, err
	}
	if err := s.putImport(ctx, imp, true); err != nil {
		return SurveyImport{}, errors.Join(err, removeUpload(path))
	}
	started := s.jobs.Start(imp.ID, func(jctx context.Context) { s.runImport(jctx, si, imp, path) }, func(e *bsk.Error) { s.importFailed(imp.ID, e) })
	if !started {
		return SurveyImport{}, errors.Join(bsk.Errorf(bsk.CodeConflict, "the server is shutting down"), removeUpload(path))
	}
	return imp, nil
}

// saveUpload copies r into the uploads directory and returns the file's
// path; nothing is left behind when it fails.
func (s *Surveys) saveUpload(id string, r io.Reader) (string, error) {
	if err := os.MkdirAll(s.uploads, 0o700); err != nil {
		return "", bsk.Errorf(bsk.CodeInternal, "the uploads directory: %w", err)
	}
	path := filepath.Join(s.uploads, id)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", bsk.Errorf(bsk.CodeInternal, "saving the upload: %w", err)
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", errors.Join(bsk.Errorf(bsk.CodeInternal, "saving the upload: %w", err), removeUpload(path))
	}
	return path, nil
}

// removeUpload removes an upload; one already gone is no error.
func removeUpload(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return bsk.Errorf(bsk.CodeInternal, "removing an upload: %w", err)
	}
	return nil
}

// putImport stores an import: a new one with its audit entry, or a change
// of its status.
func (s *Surveys) putImport(ctx context.Context, imp SurveyImport, insert bool) error {
	doc, err := encode("import", imp)
	if err != nil {
		return err
	}
	rec := store.Record{ID: imp.ID, Parent: imp.InstrumentID, Doc: doc}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if insert {
			if err := tx.Insert(ctx, store.SurveyImports, rec); err != nil {
				return err
			}
			return tx.Audit(ctx, imp.CreatedBy, "import", "survey", imp.ID)
		}
		return tx.Update(ctx, store.SurveyImports, rec)
	})
}

// parseSurvey parses an import's file.
func parseSurvey(si StoredInstrument, d surveyData, r io.Reader, progress func(int)) (*survey.Set, survey.ImportReport, error) {
	opts := survey.ImportOptions{SkipBadRows: d.Skip, Progress: progress}
	if d.Format == "redcap" {
		return survey.ImportREDCap(r, &survey.Dictionary{Instrument: si.Instrument, RecordID: si.RecordID, Ignored: si.Ignored},
			survey.REDCapOptions{ImportOptions: opts, Event: d.Event})
	}
	return survey.ImportCSV(r, si.Instrument, opts)
}

// runImport parses the file and, when it is good, stores it with the
// import's report in one transaction; a bad file stores nothing but the
// problems. The upload is removed once read, before the outcome is
// stored, so an import reported finished has no file left on disk (one
// left by a crash is removed at the next start).
func (s *Surveys) runImport(ctx context.Context, si StoredInstrument, imp SurveyImport, path string) {
	outcome, finish := RunFailed, s.metrics.importBegan()
	defer func() { finish(outcome) }()
	defer s.rows.Delete(imp.ID)
	raw, err := os.ReadFile(path)
	if rerr := removeUpload(path); rerr != nil {
		s.log.Error().Err(rerr).Str("import", imp.ID).Msg("removing a survey upload")
	}
	if err != nil {
		err = bsk.Errorf(bsk.CodeInternal, "reading the upload: %w", err)
	} else if !utf8.Valid(raw) {
		err = bsk.Errors{bsk.Invalidf("", "the file is not valid UTF-8")}
	}
	d := surveyData{Format: imp.Format, Event: imp.Event, Skip: imp.SkipBadRows, File: string(raw)}
	var set *survey.Set
	var rep survey.ImportReport
	if err == nil {
		set, rep, err = parseSurvey(si, d, strings.NewReader(d.File), func(rows int) { s.rows.Store(imp.ID, rows) })
	}
	imp.Rows = rep.Rows
	if err == nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	if err == nil {
		err = s.storeImported(imp, d, rep)
		if err == nil {
			s.cache.putSet(imp.ID, set)
			outcome = RunDone
			return
		}
		imp.Problems = importProblems(err, 1)
	} else {
		imp.Problems = importProblems(err, 100)
	}
	now := time.Now().UTC()
	imp.Status, imp.Report, imp.FinishedAt = RunFailed, nil, &now
	wctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.putImport(wctx, imp, false); err != nil {
		s.log.Error().Err(err).Str("import", imp.ID).Msg("storing a survey import")
	}
}

// storeImported stores a good file's responses and the done import in
// one transaction.
func (s *Surveys) storeImported(imp SurveyImport, d surveyData, rep survey.ImportReport) error {
	now := time.Now().UTC()
	imp.Status, imp.Report, imp.FinishedAt = RunDone, &rep, &now
	data, err := encode("survey data", d)
	if err != nil {
		return err
	}
	doc, err := encode("import", imp)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return s.db.Write(wctx, func(tx *store.Tx) error {
		if err := tx.Insert(wctx, store.SurveyData, store.Record{ID: imp.ID, Parent: imp.InstrumentID, Doc: data}); err != nil {
			return err
		}
		return tx.Update(wctx, store.SurveyImports, store.Record{ID: imp.ID, Parent: imp.InstrumentID, Doc: doc})
	})
}

// importProblems lists an error's problems, at most n.
func importProblems(err error, n int) []ImportProblem {
	var list bsk.Errors
	if !errors.As(err, &list) {
		var e *bsk.Error
		if errors.As(err, &e) {
			return []ImportProblem{{Field: e.Field, Message: e.Message}}
		}
		return []ImportProblem{{Message: err.Error()}}
	}
	out := []ImportProblem{}
	for _, e := range list[:min(n, len(list))] {
		out = append(out, ImportProblem{Field: e.Field, Message: e.Message})
	}
	return out
}

// importFailed marks import id failed with err, the internal error a
// panic in its job became (the jobs log the panic with its stack under the
// job's ID): a problem that names the job and no internal detail.
func (s *Surveys) importFailed(id string, err *bsk.Error) {
	s.rows.Delete(id)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	imp, gerr := s.storedImport(ctx, id)
	if gerr == nil {
		now := time.Now().UTC()
		imp.Status, imp.FinishedAt, imp.Report = RunFailed, &now, nil
		imp.Problems = []ImportProblem{{Message: err.Message}}
		gerr = s.putImport(ctx, imp, false)
	}
	if gerr != nil {
		s.log.Error().Err(gerr).Str("job", id).Msg("marking a panicked survey import failed")
	}
}

// Import returns an import, with the rows read so far while it runs. A
// coordinator reads each bad row's row and column but not its reason,
// which can quote the respondent's answer (see forReader).
//
// Errors: not_found, unauthorized.
func (s *Surveys) Import(ctx context.Context, id string) (SurveyImport, error) {
	p, err := require(ctx, SurveyReaders()...)
	if err != nil {
		return SurveyImport{}, err
	}
	imp, err := s.storedImport(ctx, id)
	if err != nil {
		return SurveyImport{}, err
	}
	return forReader(p, imp), nil
}

func (s *Surveys) storedImport(ctx context.Context, id string) (SurveyImport, error) {
	rec, err := s.db.Get(ctx, store.SurveyImports, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return SurveyImport{}, bsk.NotFoundf("id", "no import %q", id)
	}
	if err != nil {
		return SurveyImport{}, err
	}
	imp, err := decode[SurveyImport]("import", rec)
	if err != nil {
		return SurveyImport{}, err
	}
	if imp.Status == RunRunning {
		if rows, ok := s.rows.Load(id); ok {
			imp.Rows = rows.(int)
		}
	}
	return imp, nil
}

// RecoverImports marks imports left running by a previous process failed
// and removes the uploads a crash left behind: no import runs before the
// server starts, and an import's responses live in the database once it
// is done, so every file in the uploads directory is a leftover. The
// server calls it as [System] on start, before it serves.
//
// Errors: unauthorized (administrator only), internal.
func (s *Surveys) RecoverImports(ctx context.Context) error {
	if _, err := require(ctx, RoleAdmin); err != nil {
		return err
	}
	entries, err := os.ReadDir(s.uploads)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return bsk.Errorf(bsk.CodeInternal, "the uploads directory: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(s.uploads, e.Name())); err != nil {
			return bsk.Errorf(bsk.CodeInternal, "removing a leftover upload: %w", err)
		}
	}
	var left []SurveyImport
	err = scanAll(ctx, s.db, store.SurveyImports, store.Filter{}, func(rec store.Record) error {
		imp, err := decode[SurveyImport]("import", rec)
		if err == nil && imp.Status == RunRunning {
			left = append(left, imp)
		}
		return err
	})
	if err != nil {
		return err
	}
	for _, imp := range left {
		now := time.Now().UTC()
		imp.Status, imp.FinishedAt = RunFailed, &now
		imp.Problems = []ImportProblem{{Message: "the server stopped while the import was in progress; import the file again"}}
		if err := s.putImport(ctx, imp, false); err != nil {
			return err
		}
		s.log.Warn().Str("import", imp.ID).Msg("marked an interrupted survey import failed")
	}
	return nil
}
