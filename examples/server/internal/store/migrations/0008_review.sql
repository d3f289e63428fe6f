-- +goose Up
-- Scholarship review and completion: a cycle's reviewer assignment (the
-- settings, the reviewers and who reviews what; id and parent are the
-- program/cycle), and coursework progress reported against an award (parent
-- is the cycle run). Same shape as the records of 0001, so one set of store
-- methods serves them.
CREATE TABLE review_assignments (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX review_assignments_parent ON review_assignments (parent, id);
CREATE INDEX review_assignments_org ON review_assignments (org, id);

CREATE TABLE course_progress (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX course_progress_parent ON course_progress (parent, id);
CREATE INDEX course_progress_org ON course_progress (org, id);

-- +goose Down
DROP TABLE course_progress;
DROP TABLE review_assignments;
