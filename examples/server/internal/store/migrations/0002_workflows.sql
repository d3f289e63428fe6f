-- +goose Up
-- Workflow records: grouping runs, scholarship cycles and surveys. Same shape as
-- the records of 0001, so one set of store methods serves them all.

-- grouping runs: the request, status, progress and solution
CREATE TABLE grouping_runs (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX grouping_runs_parent ON grouping_runs (parent, id);
CREATE INDEX grouping_runs_org ON grouping_runs (org, id);

-- scholarship programs and their cycles' parameters
CREATE TABLE programs (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX programs_parent ON programs (parent, id);
CREATE INDEX programs_org ON programs (org, id);

-- scholarship applications, org is the applicant's organization, parent the program/cycle
CREATE TABLE applications (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX applications_parent ON applications (parent, id);
CREATE INDEX applications_org ON applications (org, id);

-- scholarship cycle runs: status and summary, parent is the program/cycle
CREATE TABLE cycle_runs (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX cycle_runs_parent ON cycle_runs (parent, id);
CREATE INDEX cycle_runs_org ON cycle_runs (org, id);

-- reviewers' rubric points, one record per application, reviewer and criterion
CREATE TABLE reviews (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX reviews_parent ON reviews (parent, id);

-- one decision record per application and cycle run, parent is the cycle run
CREATE TABLE decisions (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX decisions_parent ON decisions (parent, id);
CREATE INDEX decisions_org ON decisions (org, id);

-- the append-only disbursement and repayment ledger, parent is the program
CREATE TABLE ledger_entries (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX ledger_entries_parent ON ledger_entries (parent, id);
CREATE INDEX ledger_entries_org ON ledger_entries (org, id);

-- survey instruments
CREATE TABLE instruments (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX instruments_parent ON instruments (parent, id);
CREATE INDEX instruments_org ON instruments (org, id);

-- survey imports: status, progress and the import's report, parent is the instrument
CREATE TABLE survey_imports (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX survey_imports_parent ON survey_imports (parent, id);
CREATE INDEX survey_imports_org ON survey_imports (org, id);

-- an import's responses, one document per import, written in one transaction
CREATE TABLE survey_data (
	id         TEXT PRIMARY KEY,
	org        TEXT NOT NULL DEFAULT '',
	parent     TEXT NOT NULL DEFAULT '',
	doc        TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX survey_data_parent ON survey_data (parent, id);
CREATE INDEX survey_data_org ON survey_data (org, id);

-- +goose Down
DROP TABLE survey_data;
DROP TABLE survey_imports;
DROP TABLE instruments;
DROP TABLE ledger_entries;
DROP TABLE decisions;
DROP TABLE reviews;
DROP TABLE cycle_runs;
DROP TABLE applications;
DROP TABLE programs;
DROP TABLE grouping_runs;
