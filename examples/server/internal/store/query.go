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
// path of the documents' own JSON names ("request.preset").
type Match struct {
	Path, Value string
}

// Newest returns at most limit records of kind k whose documents match m,
// newest first: in descending ID order (IDs from [NewID] begin with their
// creation time), those whose ID sorts before before when it is not "".
// The database walks the records from the newest by their primary key and
// stops at limit, so the records read are the newest alone. A path that is
// not a dotted path of plain JSON names is refused, never put into the
// query.
func (db *DB) Newest(ctx context.Context, k Kind, m Match, before string, limit int) ([]Record, error) {
	if !k.valid() || !docPath.MatchString(m.Path) || limit <= 0 {
		return nil, bsk.Errorf(bsk.CodeInternal, "newest: bad kind %q, path %q or limit %d", k, m.Path, limit)
	}
	value := "json_extract(doc, '$." + m.Path + "')"
	if db.dialect == Postgres {
		value = "(doc::jsonb #>> '{" + strings.ReplaceAll(m.Path, ".", ",") + "}')"
	}
	q := "SELECT id, org, parent, doc FROM " + string(k) + " WHERE " + value + " = ?"
	args := []any{m.Value}
	if before != "" {
		q += " AND id < ?"
		args = append(args, before)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, db.bind(q), args...)
	if err != nil {
		return nil, storeErr("newest", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.ID, &r.Org, &r.Parent, &r.Doc); err != nil {
			return nil, storeErr("newest", err)
		}
		out = append(out, r)
	}
	return out, storeErr("newest", rows.Err())
}
