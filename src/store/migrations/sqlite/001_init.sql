-- The first schema: users and their logins, rooms, members with their watermarks, messages.
-- Times are milliseconds since the Unix epoch. Enumerations are stored as their wire names
-- (domain/names.cpp), so that a row reads the same in the database as on the wire.

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  -- NOCASE makes both the UNIQUE constraint and `username = ?` case-insensitive; usernames
  -- are ASCII, which is all NOCASE folds.
  username         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  display_name     TEXT    NOT NULL,
  password_hash    TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  presence_status  TEXT    NOT NULL DEFAULT 'available'
                   CHECK (presence_status IN ('available', 'away', 'busy', 'invisible')),
  last_seen_at     INTEGER
);

-- Only the hash of a refresh token is kept; a family is every rotation of one login, so that
-- presenting a used token revokes the whole family at once.
CREATE TABLE refresh_tokens (
  token_hash  TEXT    PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id   TEXT    NOT NULL,
  expires_at  INTEGER NOT NULL,
  used        INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);

CREATE TABLE rooms (
  id                INTEGER PRIMARY KEY,
  kind              TEXT    NOT NULL CHECK (kind IN ('direct', 'group')),
  name              TEXT    NOT NULL DEFAULT '',
  -- "small:large" user ids of a direct room's pair; the UNIQUE constraint is what keeps two
  -- concurrent "open a chat with X" requests from creating two rooms.
  direct_key        TEXT    UNIQUE,
  -- The seq of the newest message: the room's counter, bumped in the same transaction as the
  -- message insert, which is what makes seq gapless.
  last_seq          INTEGER NOT NULL DEFAULT 0,
  created_by        INTEGER NOT NULL REFERENCES users(id),
  created_at        INTEGER NOT NULL,
  -- Time of the newest message, else created_at: the rooms list's order, kept here so that the
  -- list does not have to look at messages to sort.
  last_activity_at  INTEGER NOT NULL,
  CHECK ((kind = 'direct') = (direct_key IS NOT NULL))
);

-- One row per member, whatever the number of messages: delivery and read status are
-- watermarks, not per-message rows.
CREATE TABLE members (
  room_id        INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role           TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
  joined_at      INTEGER NOT NULL,
  delivered_seq  INTEGER NOT NULL DEFAULT 0,
  read_seq       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;
-- "My rooms": covers the lookup from the user's side.
CREATE INDEX members_by_user ON members(user_id, room_id);

CREATE TABLE messages (
  id               INTEGER PRIMARY KEY,
  room_id          INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq              INTEGER NOT NULL,
  sender_id        INTEGER NOT NULL REFERENCES users(id),
  -- The sender's idempotency key; NULL for system messages, which have none.
  client_msg_id    TEXT,
  type             TEXT    NOT NULL CHECK (type IN ('text', 'image', 'file', 'audio', 'video', 'system')),
  text             TEXT    NOT NULL DEFAULT '',
  -- The attachment: all of upload_id, name, mime and size are set, or none of them.
  att_upload_id    TEXT,
  att_name         TEXT,
  att_mime         TEXT,
  att_size         INTEGER,
  att_width        INTEGER,
  att_height       INTEGER,
  att_duration_ms  INTEGER,
  -- What a system message records; NULL for the others.
  sys_event        TEXT,
  sys_target       INTEGER,
  created_at       INTEGER NOT NULL,
  UNIQUE (room_id, seq),
  CHECK ((att_upload_id IS NULL) = (att_name IS NULL)
         AND (att_name IS NULL) = (att_mime IS NULL)
         AND (att_mime IS NULL) = (att_size IS NULL))
);
-- A repeated send finds the original here; partial, so system messages do not fill it.
CREATE UNIQUE INDEX messages_by_client_id ON messages(sender_id, client_msg_id)
  WHERE client_msg_id IS NOT NULL;
