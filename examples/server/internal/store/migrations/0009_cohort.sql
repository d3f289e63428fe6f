-- +goose Up
-- Certificate cohorts: id is the cohort's offering (stored with its
-- modules' sessions among the offerings and sessions of 0001), the doc its
-- modules with their clinicians and mentors and the modules required to
-- complete. Enrolment is the offering's registrations and waitlist
-- notices (0005). Same shape as the records of 0001.
CREATE TABLE cohorts (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE cohorts;
