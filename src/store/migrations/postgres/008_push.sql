-- Push notifications (docs/push.md): the places a user's devices are woken at, each member's
-- per-room mute, and whether a user's notifications show message text.
-- The same tables as the SQLite schema, in PostgreSQL's types.

CREATE TABLE push_targets (
  id          BIGSERIAL PRIMARY KEY,
  user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('http', 'webpush')),
  -- http: the app id the gateway knows the app by; webpush: empty.
  app_id      TEXT    NOT NULL,
  -- http: the device's token; webpush: the subscription's endpoint. A device registering the
  -- same key again updates its target (and takes it over from another account: the device
  -- now belongs to whoever signed in on it), so a key is unique.
  pushkey     TEXT    NOT NULL,
  url         TEXT    NOT NULL,              -- http: the gateway's notify URL; webpush: empty
  p256dh      TEXT    NOT NULL,              -- webpush: the browser's keys; http: empty
  auth        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  updated_at  BIGINT  NOT NULL,
  UNIQUE (kind, app_id, pushkey)
);
CREATE INDEX push_targets_by_user ON push_targets(user_id, id);

-- A muted room sends its member no push; live events still reach their connected devices.
-- An integer, as in SQLite (and as users.bot), so that both backends read members alike.
ALTER TABLE members ADD COLUMN muted SMALLINT NOT NULL DEFAULT 0 CHECK (muted IN (0, 1));
-- 'shown': a notification carries the start of the message; 'hidden': never any of its text.
ALTER TABLE users ADD COLUMN push_text TEXT NOT NULL DEFAULT 'shown' CHECK (push_text IN ('shown', 'hidden'));
