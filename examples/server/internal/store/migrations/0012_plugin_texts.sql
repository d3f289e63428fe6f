-- +goose Up
-- The reason texts each plug-in declared the last time it was seen running:
-- its stored decisions read in plain language even after a restart where
-- the plug-in is refused or never starts. texts is the JSON of its
-- scholarship.Texts (code -> language -> template); seen_at is RFC 3339
-- text in UTC.
CREATE TABLE plugin_texts (
	plugin  TEXT PRIMARY KEY,
	version TEXT NOT NULL,
	texts   TEXT NOT NULL,
	seen_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE plugin_texts;
