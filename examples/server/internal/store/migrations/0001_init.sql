-- +goose Up
-- Records are stored as JSON documents beside the key columns the server
-- queries by. The same SQL runs on SQLite and PostgreSQL.
CREATE TABLE organizations (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE providers (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX providers_org ON providers (org, id);
CREATE TABLE offerings (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX sessions_parent ON sessions (parent, id);
CREATE TABLE attendance (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX attendance_org ON attendance (org, id);
CREATE INDEX attendance_parent ON attendance (parent, id);
CREATE TABLE api_keys (
	id              TEXT PRIMARY KEY,
	hash            TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL,
	role            TEXT NOT NULL,
	organization_id TEXT NOT NULL DEFAULT '',
	provider_id     TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL
);
CREATE TABLE audit (
	id        TEXT PRIMARY KEY,
	at        TEXT NOT NULL,
	key_id    TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at, id);

-- +goose Down
DROP TABLE audit;
DROP TABLE api_keys;
DROP TABLE attendance;
DROP TABLE sessions;
DROP TABLE offerings;
DROP TABLE providers;
DROP TABLE organizations;
