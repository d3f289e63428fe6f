-- +goose Up
-- Several funds for a scholarship cycle: the funds staff define for a cycle
-- (scholarship.Fund: name, tier, budget, rule; id is the program/cycle,
-- parent the program), and a funded run's allocation across them, with
-- every award, decline, return and promotion step (id is the cycle run,
-- parent the program/cycle). Same shape as the records of 0001.
CREATE TABLE cycle_funds (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX cycle_funds_parent ON cycle_funds (parent, id);

CREATE TABLE fund_runs (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX fund_runs_parent ON fund_runs (parent, id);

-- +goose Down
DROP TABLE fund_runs;
DROP TABLE cycle_funds;
