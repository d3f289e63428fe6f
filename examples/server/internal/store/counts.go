package store

import (
	"context"
	"regexp"
	"strings"

	"github.com/beststarts/workforce/bsk"
)

// GroupCount is how many records of one parent have one value of a
// document field.
type GroupCount struct {
	Parent, Value string
	N             int
}

// docField is a top-level field name of a stored document, the only kind
// of name [DB.CountByParent] puts into its query.
var docField = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// CountByParent counts the records of kind k by parent and by the value of
// the document's field (absent reads as ""), keeping only the records
// whose document has no value, or "", for the field unless, in one query;
// parents, when given, keeps those parents' records alone (by the
// parent's index). Field names are the documents' own top-level JSON
// names.
func (db *DB) CountByParent(ctx context.Context, k Kind, field, unless string, parents ...string) ([]GroupCount, error) {
	if !k.valid() || !docField.MatchString(field) || !docField.MatchString(unless) {
		return nil, bsk.Errorf(bsk.CodeInternal, "count by parent: bad kind %q or field %q, %q", k, field, unless)
	}
	value := func(f string) string { return "COALESCE(json_extract(doc, '$." + f + "'), '')" }
	if db.dialect == Postgres {
		value = func(f string) string { return "COALESCE(doc::jsonb ->> '" + f + "', '')" }
	}
	q := "SELECT parent, " + value(field) + ", COUNT(*) FROM " + string(k) + " WHERE " + value(unless) + " = ''"
	args := make([]any, len(parents))
	if len(parents) > 0 {
		q += " AND parent IN (?" + strings.Repeat(", ?", len(parents)-1) + ")"
		for i, p := range parents {
			args[i] = p
		}
	}
	rows, err := db.read.QueryContext(ctx, db.bind(q+" GROUP BY 1, 2"), args...)
	if err != nil {
		return nil, storeErr("count by parent", err)
	}
	defer rows.Close()
	var out []GroupCount
	for rows.Next() {
		var g GroupCount
		if err := rows.Scan(&g.Parent, &g.Value, &g.N); err != nil {
			return nil, storeErr("count by parent", err)
		}
		out = append(out, g)
	}
	return out, storeErr("count by parent", rows.Err())
}
