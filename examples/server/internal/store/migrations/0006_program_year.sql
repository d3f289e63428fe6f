-- +goose Up
-- The program year of reflective consultation: published runs (one
-- offering per group, its monthly sessions), members' enrolments in the
-- groups with their history, and consultants' invoices. Same shape as the
-- records of 0001.

-- a published grouping run, id is the run's ID, parent the run it re-groups
CREATE TABLE rc_publications (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX rc_publications_parent ON rc_publications (parent, id);

-- a member's enrolment in an offering from a time, until a time once they
-- leave or move; org is the member's organization, parent the offering
CREATE TABLE enrolments (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX enrolments_parent ON enrolments (parent, id);
CREATE INDEX enrolments_org ON enrolments (org, id);

-- consultants' invoices, one per month billed
CREATE TABLE invoices (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- one row per invoiced session, id is the session's ID and parent the
-- invoice: the primary key keeps a session off a second invoice
CREATE TABLE invoiced_sessions (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX invoiced_sessions_parent ON invoiced_sessions (parent, id);

-- +goose Down
DROP TABLE invoiced_sessions;
DROP TABLE invoices;
DROP TABLE enrolments;
DROP TABLE rc_publications;
