-- API keys gain a lifecycle: an optional expiry, revocation (the row stays, so
-- audit entries still name the key) and the time of last use. Times are
-- RFC 3339 text in UTC, '' for none.
ALTER TABLE api_keys ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN revoked_at TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT NOT NULL DEFAULT '';

-- The audit log becomes a hash chain: seq numbers entries 1, 2, 3, ...
-- without gaps, and hash is SHA-256 over prev_hash and the entry's fields (see
-- store/audit.go). Entries written before this migration have no seq until
-- the first append chains them, oldest first.
ALTER TABLE audit ADD COLUMN seq BIGINT;
ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
-- client is the address of a failed sign-in, detail says why it failed.
ALTER TABLE audit ADD COLUMN client TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX audit_seq ON audit (seq);

-- The chain's head: the last entry's seq and hash, in one row that every
-- append locks, so concurrent writers append one at a time.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY,
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
