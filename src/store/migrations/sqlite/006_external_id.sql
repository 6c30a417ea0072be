-- Users that sign in with the app's own identity provider: the id that provider gives them
-- (the token's user id claim, `sub` by default). NULL for Parley's own accounts; unique among
-- the others, so that every later token of one person finds the same user.

ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX users_external_id ON users (external_id);
