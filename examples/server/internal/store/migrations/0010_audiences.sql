-- +goose Up
-- Who may join an offering: its audience rule's date-effective periods
-- (training.AudiencePeriod), one record per offering; id and parent are the
-- offering's ID. Same shape as the records of 0001.
CREATE TABLE offering_audiences (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE offering_audiences;
