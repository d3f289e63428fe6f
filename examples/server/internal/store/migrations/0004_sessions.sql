-- +goose Up
-- The web app's sessions and one-time sign-in links. Only the SHA-256 hash of
-- a session's or link's secret is stored; the secret lives in the browser's
-- cookie or in the link. key_id is the API key the session acts for, so a
-- revoked or expired key ends its sessions too. Times are RFC 3339 text in
-- UTC ('' for none); expiry is compared in Go, not in SQL.
CREATE TABLE web_sessions (
	hash       TEXT PRIMARY KEY,
	key_id     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_key ON web_sessions (key_id);

CREATE TABLE web_signin_links (
	hash       TEXT PRIMARY KEY,
	key_id     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE web_signin_links;
DROP TABLE web_sessions;
