package store

import (
	"context"
	"regexp"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// docPath is a path of JSON names into a stored document ("status",
// "request.preset"), the only kind of path [DB.Newest] puts into its
// query.
var docPath = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

// Match keeps the records whose document holds Value at Path, a dotted
// path of the documents' own JSON names ("request.preset"); the zero
// Match keeps every record.
type Match struct {
	Path, Value string
}

// Newest returns at most limit records of kind k whose documents match m
// (every record for the zero Match),
// newest first: in descending ID order (IDs from [NewID] begin with their
// creation time), those whose ID sorts before before when it is not "".
// The database walks the records from the newest by their primary key and
// stops at limit, so the records read are the newest alone. A path that is
// not a dotted path of plain JSON names is refused, never put into the
// query.
func (db *DB) Newest(ctx context.Context, k Kind, m Match, before string, limit int) ([]Record, error) {
	if !k.valid() || (m != (Match{}) && !docPath.MatchString(m.Path)) || limit <= 0 {
		return nil, bsk.Errorf(bsk.CodeInternal, "newest: bad kind %q, path %q or limit %d", k, m.Path, limit)
	}
	q := "SELECT id, org, parent, doc FROM " + string(k) + " WHERE 1 = 1"
	var args []any
	if m != (Match{}) {
		q += " AND " + db.docValue(m.Path) + " = ?"
		args = append(args, m.Value)
	}
	if before != "" {
		q += " AND id < ?"
		args = append(args, before)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	return db.records(ctx, "newest", q, args)
}

// Containing returns at most f.Limit records of kind k, in ID order after
// f.After and of f.Org when it is not "", whose document's text at path
// (a dotted path of the documents' own JSON names) holds text, ignoring
// case: the database lowers the field (SQLite lowers ASCII letters alone,
// PostgreSQL every letter) and looks for text, lowered, inside it. The
// records read are the matches alone, so a search reads one page however
// many records there are; callers that compare case beyond ASCII check
// each match again.
func (db *DB) Containing(ctx context.Context, k Kind, path, text string, f Filter) ([]Record, error) {
	if !k.valid() || !docPath.MatchString(path) || f.Limit <= 0 {
		return nil, bsk.Errorf(bsk.CodeInternal, "containing: bad kind %q, path %q or limit %d", k, path, f.Limit)
	}
	find := "instr(lower(" + db.docValue(path) + "), ?) > 0"
	if db.dialect == Postgres {
		find = "strpos(lower(" + db.docValue(path) + "), ?) > 0"
	}
	q := "SELECT id, org, parent, doc FROM " + string(k) + " WHERE id > ? AND " + find
	args := []any{f.After, strings.ToLower(text)}
	if f.Org != "" {
		q += " AND org = ?"
		args = append(args, f.Org)
	}
	if f.Parent != "" {
		q += " AND parent = ?"
		args = append(args, f.Parent)
	}
	q += " ORDER BY id LIMIT ?"
	args = append(args, f.Limit)
	return db.records(ctx, "containing", q, args)
}

// docValue is the SQL text of the document's value at a dotted path,
// checked against docPath by the caller.
func (db *DB) docValue(path string) string {
	if db.dialect == Postgres {
		return "(doc::jsonb #>> '{" + strings.ReplaceAll(path, ".", ",") + "}')"
	}
	return "json_extract(doc, '$." + path + "')"
}

// records runs a query of id, org, parent and doc.
func (db *DB) records(ctx context.Context, op, q string, args []any) ([]Record, error) {
	rows, err := db.read.QueryContext(ctx, db.bind(q), args...)
	if err != nil {
		return nil, storeErr(op, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Org, &r.Parent, &r.Doc); err != nil {
			return nil, storeErr(op, err)
		}
		out = append(out, r)
	}
	return out, storeErr(op, rows.Err())
}

// Keyed is a record's ID with its document's text at a path ("" when
// the document has none there).
type Keyed struct {
	ID, Value string
}

// Values returns, in ID order, the ID and the document's text at path of
// every record of kind k of f.Org and f.Parent when they are not "" (by
// their indexes), for a caller that orders or picks records by that value
// before reading the few it shows with [DB.GetMany]. f.After and f.Limit
// are not used.
func (db *DB) Values(ctx context.Context, k Kind, path string, f Filter) ([]Keyed, error) {
	if !k.valid() || !docPath.MatchString(path) {
		return nil, bsk.Errorf(bsk.CodeInternal, "values: bad kind %q or path %q", k, path)
	}
	q := "SELECT id, COALESCE(" + db.docValue(path) + ", '') FROM " + string(k) + " WHERE 1 = 1"
	var args []any
	if f.Org != "" {
		q += " AND org = ?"
		args = append(args, f.Org)
	}
	if f.Parent != "" {
		q += " AND parent = ?"
		args = append(args, f.Parent)
	}
	rows, err := db.read.QueryContext(ctx, db.bind(q+" ORDER BY id"), args...)
	if err != nil {
		return nil, storeErr("values", err)
	}
	defer rows.Close()
	var out []Keyed
	for rows.Next() {
		var v Keyed
		if err := rows.Scan(&v.ID, &v.Value); err != nil {
			return nil, storeErr("values", err)
		}
		out = append(out, v)
	}
	return out, storeErr("values", rows.Err())
}

// GetMany returns the records of kind k with these IDs, in the order of
// ids, in one query; an ID with no record is left out.
func (db *DB) GetMany(ctx context.Context, k Kind, ids []string) ([]Record, error) {
	if !k.valid() {
		return nil, bsk.Errorf(bsk.CodeInternal, "unknown kind %q", k)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	recs, err := db.records(ctx, "get many", "SELECT id, org, parent, doc FROM "+string(k)+" WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", args)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Record, len(recs))
	for _, r := range recs {
		byID[r.ID] = r
	}
	out := make([]Record, 0, len(recs))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}
