-- Messages that live on: replies, edits, deletions and reactions. The same columns and tables as
-- the SQLite schema (sqlite/011_message_lifecycle.sql), which explains them.

ALTER TABLE messages DROP CONSTRAINT messages_type_check;
ALTER TABLE messages ADD CONSTRAINT messages_type_check
  CHECK (type IN ('text', 'image', 'file', 'audio', 'video', 'system', 'edit', 'deletion', 'reaction',
                  'reaction_removed'));
ALTER TABLE messages ADD COLUMN reply_to BIGINT;
ALTER TABLE messages ADD COLUMN relates_to BIGINT;
ALTER TABLE messages ADD COLUMN edited_at BIGINT;
ALTER TABLE messages ADD COLUMN deleted_at BIGINT;

CREATE INDEX messages_by_relation ON messages(room_id, relates_to) WHERE relates_to IS NOT NULL;

CREATE TABLE reactions (
  room_id     BIGINT  NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq         BIGINT  NOT NULL,
  emoji       TEXT    NOT NULL,
  user_id     BIGINT  NOT NULL REFERENCES users(id),
  created_at  BIGINT  NOT NULL,
  PRIMARY KEY (room_id, seq, emoji, user_id)
);

CREATE TABLE message_versions (
  room_id     BIGINT  NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq         BIGINT  NOT NULL,
  version     INTEGER NOT NULL,
  text        TEXT    NOT NULL,
  written_at  BIGINT  NOT NULL,
  PRIMARY KEY (room_id, seq, version)
);
