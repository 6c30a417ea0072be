-- Keys of the app's backend for the server API (docs/server-api.md). The key itself is shown
-- once, when it is made; only the SHA-256 of its secret is kept. A revoked key stays listed.
CREATE TABLE api_keys (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL,
  secret_hash   TEXT    NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  revoked_at    INTEGER
);

-- Users the app's backend made as bots (server API, "bot": true): shown as such to clients.
ALTER TABLE users ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;
