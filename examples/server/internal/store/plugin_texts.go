package store

import (
	"context"
	"time"
)

// PluginTexts are the reason texts a plug-in declared the last time it
// was seen running, kept so that its stored decisions read in plain
// language when it no longer runs.
type PluginTexts struct {
	// Plugin is the plug-in's catalog name.
	Plugin string
	// Version is the version it reported.
	Version string
	// Texts is the JSON of its texts: code, language, template.
	Texts  []byte
	SeenAt time.Time
}

// SavePluginTexts stores a plug-in's texts, replacing those stored
// before.
func (db *DB) SavePluginTexts(ctx context.Context, p PluginTexts) error {
	return db.Write(ctx, func(t *Tx) error {
		_, err := t.tx.ExecContext(ctx, t.db.bind("INSERT INTO plugin_texts (plugin, version, texts, seen_at) VALUES (?, ?, ?, ?) "+
			"ON CONFLICT (plugin) DO UPDATE SET version = excluded.version, texts = excluded.texts, seen_at = excluded.seen_at"),
			p.Plugin, p.Version, string(p.Texts), timeText(p.SeenAt))
		return storeErr("save plug-in texts", err)
	})
}

// AllPluginTexts returns every plug-in's stored texts, by plug-in name.
func (db *DB) AllPluginTexts(ctx context.Context) ([]PluginTexts, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT plugin, version, texts, seen_at FROM plugin_texts ORDER BY plugin")
	if err != nil {
		return nil, storeErr("plug-in texts", err)
	}
	defer rows.Close()
	var out []PluginTexts
	for rows.Next() {
		var p PluginTexts
		var texts, seen string
		if err := rows.Scan(&p.Plugin, &p.Version, &texts, &seen); err != nil {
			return nil, storeErr("plug-in texts", err)
		}
		p.Texts, p.SeenAt = []byte(texts), parseTime(seen)
		out = append(out, p)
	}
	return out, storeErr("plug-in texts", rows.Err())
}
