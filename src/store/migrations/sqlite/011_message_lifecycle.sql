-- Messages that live on: replies, edits, deletions and reactions (docs/protocol.md, "A message's
-- life"). Edits, deletions and reactions are events in the room's seq stream, stored as rows of
-- their own types that name the message they act on (relates_to); the message's own row keeps
-- its current state (text, edited_at, deleted_at), so history reads it without replaying events.
--
-- messages.reply_to:   the seq of the message this one answers, in the same room.
-- messages.relates_to: for an event, the seq of the message it acts on.
-- messages.edited_at:  when the text was last edited; NULL if never.
-- messages.deleted_at: when the message was deleted for everyone; its text and attachment are gone.
--
-- The type check gains the event types, and SQLite cannot change a CHECK in place: the table is
-- rebuilt as in 003_message_type_check.sql, comparisons rather than an IN list, and its indexes
-- made again. The same columns as the PostgreSQL schema.

CREATE TABLE messages_rebuilt (
  id               INTEGER PRIMARY KEY,
  room_id          INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq              INTEGER NOT NULL,
  sender_id        INTEGER NOT NULL REFERENCES users(id),
  -- The sender's idempotency key; NULL for system messages, which have none.
  client_msg_id    TEXT,
  type             TEXT    NOT NULL CHECK (type = 'text' OR type = 'image' OR type = 'file'
                                           OR type = 'audio' OR type = 'video' OR type = 'system'
                                           OR type = 'edit' OR type = 'deletion' OR type = 'reaction'
                                           OR type = 'reaction_removed'),
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
  unread_rank      INTEGER NOT NULL DEFAULT 0,
  reply_to         INTEGER,
  relates_to       INTEGER,
  edited_at        INTEGER,
  deleted_at       INTEGER,
  UNIQUE (room_id, seq),
  CHECK ((att_upload_id IS NULL) = (att_name IS NULL)
         AND (att_name IS NULL) = (att_mime IS NULL)
         AND (att_mime IS NULL) = (att_size IS NULL))
);

INSERT INTO messages_rebuilt (id, room_id, seq, sender_id, client_msg_id, type, text, att_upload_id, att_name,
                              att_mime, att_size, att_width, att_height, att_duration_ms, sys_event, sys_target,
                              created_at, unread_rank)
  SELECT id, room_id, seq, sender_id, client_msg_id, type, text, att_upload_id, att_name,
         att_mime, att_size, att_width, att_height, att_duration_ms, sys_event, sys_target, created_at, unread_rank
  FROM messages;

DROP TABLE messages;
ALTER TABLE messages_rebuilt RENAME TO messages;

CREATE UNIQUE INDEX messages_by_client_id ON messages(sender_id, client_msg_id)
  WHERE client_msg_id IS NOT NULL;
CREATE INDEX messages_by_upload ON messages(att_upload_id) WHERE att_upload_id IS NOT NULL;
-- A deletion finds the edits of the message it deletes, to take their text too.
CREATE INDEX messages_by_relation ON messages(room_id, relates_to) WHERE relates_to IS NOT NULL;

-- Who reacted with what: one row per (message, emoji, user), so reacting twice changes nothing.
CREATE TABLE reactions (
  room_id     INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  emoji       TEXT    NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (room_id, seq, emoji, user_id)
) WITHOUT ROWID;

-- The earlier texts of an edited message, for members to read; gone with the message's deletion.
CREATE TABLE message_versions (
  room_id     INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  text        TEXT    NOT NULL,
  -- When this text was written: the message's created_at, or the edit that wrote it.
  written_at  INTEGER NOT NULL,
  PRIMARY KEY (room_id, seq, version)
) WITHOUT ROWID;
