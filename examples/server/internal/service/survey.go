package service

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rs/zerolog"

	"github.com/beststarts/workforce/bsk"
	"github.com/beststarts/workforce/examples/server/internal/store"
	"github.com/beststarts/workforce/survey"
)

// Surveys serves the county's surveys: instruments, the imports of their
// responses (run in the background, all or nothing), the release that
// fixes what may be published from an import, and the release's tables:
// reports, rankings, frequencies, trends between cycles and paired
// comparisons. The access policy is in survey_access.go; every read of
// a release's tables is audited.
type Surveys struct {
	db    *store.DB
	audit *Audit
	log   zerolog.Logger
	// uploads is the directory of uploaded files waiting for their
	// import.
	uploads string
	cache   *surveyCache
	// rows holds the rows read so far by each running import.
	rows sync.Map
	// jobs runs the imports, beside the grouping runs.
	jobs    *Jobs
	metrics *Metrics
}

func newSurveys(db *store.DB, audit *Audit, jobs *Jobs, log zerolog.Logger, data string) *Surveys {
	return &Surveys{db: db, audit: audit, log: log, uploads: filepath.Join(data, "uploads"),
		cache: &surveyCache{sets: map[string]*survey.Set{}, pubs: map[string]*survey.Publication{}}, jobs: jobs}
}

// StoredInstrument is a survey instrument as the server keeps it, with the
// REDCap project's record ID field when it came from a data dictionary.
type StoredInstrument struct {
	Instrument survey.Instrument `json:"instrument"`
	// RecordID and Ignored come from a REDCap data dictionary.
	RecordID string   `json:"record_id,omitempty"`
	Ignored  []string `json:"ignored,omitempty"`
}

// REDCapInstrument names an instrument built from a REDCap data
// dictionary.
type REDCapInstrument struct {
	// ID names the new instrument; required.
	ID string
	// Cycle and Population describe it (see survey.Instrument).
	Cycle, Population string
}

// CreateInstrument stores a new instrument. An instrument is never
// changed: a new version gets its own ID.
//
// Errors: invalid (naming the field), conflict for a taken ID,
// unauthorized.
func (s *Surveys) CreateInstrument(ctx context.Context, in survey.Instrument) (StoredInstrument, error) {
	return s.saveInstrument(ctx, StoredInstrument{Instrument: in})
}

// InstrumentFromREDCap builds and stores an instrument from a REDCap data
// dictionary (CSV, read from r).
//
// Errors: invalid (naming the field or the dictionary's row), conflict
// for a taken ID, unauthorized.
func (s *Surveys) InstrumentFromREDCap(ctx context.Context, req REDCapInstrument, r io.Reader) (StoredInstrument, error) {
	if _, err := require(ctx, SurveyEditors()...); err != nil {
		return StoredInstrument{}, err
	}
	if req.ID == "" {
		return StoredInstrument{}, bsk.Errors{bsk.Invalidf("id", "the query parameter id names the new instrument")}
	}
	d, err := survey.ParseREDCapDictionary(r, req.ID)
	if err != nil {
		return StoredInstrument{}, err
	}
	d.Instrument.Cycle, d.Instrument.Population = req.Cycle, req.Population
	return s.saveInstrument(ctx, StoredInstrument{Instrument: d.Instrument, RecordID: d.RecordID, Ignored: d.Ignored})
}

func (s *Surveys) saveInstrument(ctx context.Context, si StoredInstrument) (StoredInstrument, error) {
	p, err := require(ctx, SurveyEditors()...)
	if err != nil {
		return StoredInstrument{}, err
	}
	if err := si.Instrument.Validate(); err != nil {
		return StoredInstrument{}, err
	}
	doc, err := encode("instrument", si)
	if err != nil {
		return StoredInstrument{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Insert(ctx, store.Instruments, store.Record{ID: si.Instrument.ID, Doc: doc}); err != nil {
			if bsk.ErrorCode(err) == bsk.CodeConflict || strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "duplicate key") {
				return bsk.Errorf(bsk.CodeConflict, "instrument %q exists: give a new version its own ID", si.Instrument.ID)
			}
			return err
		}
		return tx.Audit(ctx, p.KeyID, "create", "instrument", si.Instrument.ID)
	})
	if err != nil {
		return StoredInstrument{}, err
	}
	return si, nil
}

// Instrument returns one instrument.
//
// Errors: not_found, unauthorized.
func (s *Surveys) Instrument(ctx context.Context, id string) (StoredInstrument, error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return StoredInstrument{}, err
	}
	return s.instrument(ctx, id)
}

func (s *Surveys) instrument(ctx context.Context, id string) (StoredInstrument, error) {
	rec, err := s.db.Get(ctx, store.Instruments, id)
	if bsk.ErrorCode(err) == bsk.CodeNotFound {
		return StoredInstrument{}, bsk.NotFoundf("id", "no instrument %q", id)
	}
	if err != nil {
		return StoredInstrument{}, err
	}
	return decode[StoredInstrument]("instrument", rec)
}

// Instruments lists every instrument, in ID order, on one page.
//
// Errors: unauthorized.
func (s *Surveys) Instruments(ctx context.Context) (Page[StoredInstrument], error) {
	if _, err := require(ctx, SurveyReaders()...); err != nil {
		return Page[StoredInstrument]{}, err
	}
	page := Page[StoredInstrument]{Items: []StoredInstrument{}}
	err := scanAll(ctx, s.db, store.Instruments, store.Filter{}, func(rec store.Record) error {
		si, err := decode[StoredInstrument]("instrument", rec)
		page.Items = append(page.Items, si)
		return err
	})
	if err != nil {
		return Page[StoredInstrument]{}, err
	}
	return page, nil
}

// surveyCache keeps the parsed sets of recent imports, and the published
// tables of recent releases.
type surveyCache struct {
	mu   sync.Mutex
	sets map[string]*survey.Set
	keys []string
	pubs map[string]*survey.Publication
	pkey []string
}

// How many parsed sets and publications the cache keeps.
const (
	cachedSets         = 4
	cachedPublications = 16
)

func (c *surveyCache) publication(id string) *survey.Publication {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pubs[id]
}

func (c *surveyCache) putPublication(id string, p *survey.Publication) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.pubs[id]; !ok {
		c.pkey = append(c.pkey, id)
	}
	c.pubs[id] = p
	for len(c.pkey) > cachedPublications {
		delete(c.pubs, c.pkey[0])
		c.pkey = c.pkey[1:]
	}
}

func (c *surveyCache) set(id string) *survey.Set {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sets[id]
}

func (c *surveyCache) putSet(id string, s *survey.Set) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.sets[id]; !ok {
		c.keys = append(c.keys, id)
	}
	c.sets[id] = s
	for len(c.keys) > cachedSets {
		delete(c.sets, c.keys[0])
		c.keys = c.keys[1:]
	}
}
