-- Logins ended before their access tokens expire (logout, a reused refresh token, a password
-- change): every node refuses those tokens at once, and a node that starts reads them here.
-- A row is useless once the last access token of its login has expired (expires_at).
CREATE TABLE revoked_logins (
  family_id   TEXT    PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX revoked_logins_by_expiry ON revoked_logins(expires_at);
-- A user's logins, for ending every other one when the password changes.
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(user_id);
