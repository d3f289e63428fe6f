-- +goose Up
-- Sessions started by single sign-on (OpenID Connect) act for a person the
-- provider vouched for, not for an API key: key_id is '' and the principal
-- is kept here. subject is the provider's subject of the ID token; name is
-- the person's name for the page; role, organization_id and provider_id are
-- what the claim mapping gave at sign-in. An API key's session leaves them ''.
ALTER TABLE web_sessions ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE web_sessions ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE web_sessions ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE web_sessions ADD COLUMN organization_id TEXT NOT NULL DEFAULT '';
ALTER TABLE web_sessions ADD COLUMN provider_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE web_sessions DROP COLUMN provider_id;
ALTER TABLE web_sessions DROP COLUMN organization_id;
ALTER TABLE web_sessions DROP COLUMN role;
ALTER TABLE web_sessions DROP COLUMN name;
ALTER TABLE web_sessions DROP COLUMN subject;
