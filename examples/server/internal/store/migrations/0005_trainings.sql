-- +goose Up
-- Trainings: registrations for an offering or one of its sessions, and the
-- notices of promotions from the waitlist. Same shape as the records of 0001:
-- org is the registered provider's organization, parent the offering.
CREATE TABLE registrations (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX registrations_parent ON registrations (parent, id);
CREATE INDEX registrations_org ON registrations (org, id);

CREATE TABLE waitlist_notices (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX waitlist_notices_parent ON waitlist_notices (parent, id);
CREATE INDEX waitlist_notices_org ON waitlist_notices (org, id);

-- +goose Down
DROP TABLE waitlist_notices;
DROP TABLE registrations;
