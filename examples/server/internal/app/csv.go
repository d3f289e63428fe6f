package app

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/beststarts/workforce/bsk"
)

// ProviderCSVColumns are the columns of a provider import, in any order;
// id, organization_id, name, role and languages are required. Lists are
// separated by ";". availability reads "tue 09:00-12:00;thu 13:00-15:30".
// started is a date, YYYY-MM-DD.
var ProviderCSVColumns = []string{
	"id", "organization_id", "name", "role", "reports_to", "disciplines", "service_levels",
	"languages", "race", "gender", "age_band", "place", "income", "education",
	"years_experience", "endorsement", "hours_per_week", "started", "availability",
}

const maxImportRows = 100_000

// importProviders reads a CSV of providers and stores all of them in one
// transaction, or none: every problem comes back with its line and column
// as rows[LINE].field, where LINE is the file's line number (the header is
// line 1).
func (a *App) importProviders(c echo.Context) error {
	body := http.MaxBytesReader(c.Response(), c.Request().Body, parseLimit(a.cfg.ImportLimit))
	provs, err := parseProviderCSV(body)
	if err != nil {
		return err
	}
	// rows[i] is on line i+2: the header is line 1.
	n, err := a.svc.Workforce.ImportProviders(c.Request().Context(), provs, func(i int) int { return i + 2 })
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int{"imported": n})
}

func parseLimit(s string) int64 {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 20 << 20
	}
	return n * mult
}

// parseProviderCSV reads and validates every row; it returns every problem
// of the file at once.
func parseProviderCSV(r io.Reader) ([]bsk.Provider, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the import is too large")
		}
		return nil, bsk.Errors{bsk.Invalidf("rows[1]", "reading the header: %v", err)}
	}
	col := map[string]int{}
	var problems bsk.Problems
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		known := false
		for _, c := range ProviderCSVColumns {
			known = known || c == h
		}
		if !known {
			problems.Add(fmt.Sprintf("rows[1].%s", h), "unknown column %q (columns: %s)", h, strings.Join(ProviderCSVColumns, ", "))
			continue
		}
		if _, dup := col[h]; dup {
			problems.Add(fmt.Sprintf("rows[1].%s", h), "duplicate column %q", h)
		}
		col[h] = i
	}
	for _, req := range []string{"id", "organization_id", "name", "role", "languages"} {
		if _, ok := col[req]; !ok {
			problems.Add("rows[1]", "missing required column %q", req)
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	var out []bsk.Provider
	seen := map[bsk.ProviderID]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line := 0
		if err == nil && len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		row := fmt.Sprintf("rows[%d]", line)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the import is too large")
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				row = fmt.Sprintf("rows[%d]", pe.StartLine)
			}
			problems.Add(row, "%v", err)
			if problems.Len() > 100 {
				break
			}
			continue
		}
		if len(out) >= maxImportRows {
			problems.Add(row, "more than %d rows", maxImportRows)
			break
		}
		v, perr := providerFromRow(rec, col)
		problems.Merge(row, perr)
		problems.Merge(row, v.Validate())
		if j, dup := seen[v.ID]; dup && v.ID != "" {
			problems.AddCode(bsk.CodeConflict, row+".id", "duplicate id %q (also line %d)", v.ID, j)
		}
		seen[v.ID] = line
		out = append(out, v)
		if problems.Len() > 1000 {
			break
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, bsk.Errors{bsk.Invalidf("rows[2]", "the file has no rows")}
	}
	return out, nil
}

func providerFromRow(rec []string, col map[string]int) (bsk.Provider, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	list := func(name string) []string {
		s := get(name)
		if s == "" {
			return nil
		}
		parts := strings.Split(s, ";")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	var p bsk.Problems
	num := func(name string) float64 {
		s := get(name)
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			p.Add(name, "%q is not a number", s)
		}
		return f
	}
	v := bsk.Provider{
		ID: bsk.ProviderID(get("id")), OrganizationID: bsk.OrganizationID(get("organization_id")),
		Name: get("name"), Role: bsk.Role(get("role")), ReportsTo: bsk.ProviderID(get("reports_to")),
		Education: bsk.Education(get("education")), Endorsement: bsk.Endorsement(get("endorsement")),
		YearsExperience: num("years_experience"), HoursPerWeek: num("hours_per_week"),
		Demographics: bsk.Demographics{
			Gender: bsk.Gender(get("gender")), AgeBand: bsk.AgeBand(get("age_band")),
			Place: bsk.Place(get("place")), Income: bsk.IncomeBand(get("income")),
		},
	}
	for _, s := range list("disciplines") {
		v.Disciplines = append(v.Disciplines, bsk.Discipline(s))
	}
	for _, s := range list("service_levels") {
		v.ServiceLevels = append(v.ServiceLevels, bsk.ServiceLevel(s))
	}
	for _, s := range list("languages") {
		v.Languages = append(v.Languages, bsk.Language(s))
	}
	for _, s := range list("race") {
		v.Demographics.Race = append(v.Demographics.Race, bsk.RaceEthnicity(s))
	}
	if s := get("started"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			p.Add("started", "%q is not a date (YYYY-MM-DD)", s)
		}
		v.Started = t
	}
	for i, s := range list("availability") {
		slot, err := parseSlot(s)
		if err != nil {
			p.Add(bsk.Index("availability", i), "%v", err)
			continue
		}
		v.Availability = append(v.Availability, slot)
	}
	return v, p.Err()
}

// parseSlot reads "tue 09:00-12:00".
func parseSlot(s string) (bsk.Slot, error) {
	day, span, ok := strings.Cut(strings.TrimSpace(s), " ")
	from, to, ok2 := strings.Cut(span, "-")
	if !ok || !ok2 {
		return bsk.Slot{}, fmt.Errorf("%q is not like \"tue 09:00-12:00\"", s)
	}
	clock := func(x string) (int, error) {
		var h, m int
		if n, err := fmt.Sscanf(strings.TrimSpace(x), "%d:%d", &h, &m); n != 2 || err != nil || m < 0 || m > 59 {
			return 0, fmt.Errorf("%q is not a time like 09:00", x)
		}
		return h*60 + m, nil
	}
	a, err := clock(from)
	if err != nil {
		return bsk.Slot{}, err
	}
	b, err := clock(to)
	if err != nil {
		return bsk.Slot{}, err
	}
	return bsk.Slot{Day: bsk.Day(strings.ToLower(day)), Start: a, End: b}, nil
}
