-- API keys gain a lifecycle: an optional expiry, revocation (the row stays, so
-- audit entries still name the key) and the time of last use. Times are
-- RFC 3339 text in UTC, '' for none.
ALTER TABLE api_keys ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN revoked_at TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT NOT NULL DEFAULT '';

-- The audit log becomes a hash chain, rebuilt with seq as its key: seq
-- numbers entries 1, 2, 3, ... without gaps, and hash is SHA-256 over
-- prev_hash and the entry's fields (see store/audit.go). seq is INTEGER, the
-- one type SQLite keeps as the table's own key, so an append writes one
-- B-tree: on PostgreSQL it holds 2,147,483,647 entries. Older entries keep
-- their order and get their hashes from the first append. client is the
-- address of a failed sign-in, detail says why it failed.
CREATE TABLE audit_chain (
	seq       INTEGER PRIMARY KEY,
	id        TEXT NOT NULL,
	at        TEXT NOT NULL,
	key_id    TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	client    TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL DEFAULT '',
	hash      TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_chain (seq, id, at, key_id, action, entity, entity_id)
	SELECT ROW_NUMBER() OVER (ORDER BY id), id, at, key_id, action, entity, entity_id FROM audit;
DROP TABLE audit;
ALTER TABLE audit_chain RENAME TO audit;

-- The chain's head: the last entry's seq and hash, in one row that every
-- append locks, so concurrent writers append one at a time.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY,
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
