-- Full-text search over messages (docs/protocol.md, "messages.search"): an FTS5 index of the
-- text (an image's caption, a file's description) and the attachment's file name of the content
-- types. System messages and events (edits, deletions, reactions) are never in it, nor a deleted
-- message. The index keeps no copy of the text (content='messages'); the triggers keep it true
-- when a message is stored, edited, deleted for everyone, or removed with its room.
--
-- An external-content table must be told exactly what it was given for a row to take the row out
-- again ('delete' with the old values), so every trigger indexes on the same condition, and an
-- update takes the old row out and puts the new one in. FTS5's 'rebuild' would read every row of
-- messages, events included, so the rows there are now are put in by a SELECT of the same
-- condition. unicode61 (the default tokenizer) folds case and diacritics in every script.
--
-- One update trigger does both steps in order: SQLite runs triggers of one event newest first,
-- and the old row must leave the index before the new one enters. The conditions are comparisons
-- rather than an IN list, which SQLite evaluates through a temporary b-tree built on every
-- insert (011_message_lifecycle.sql).

CREATE VIRTUAL TABLE messages_fts USING fts5(text, att_name, content='messages', content_rowid='id');

INSERT INTO messages_fts (rowid, text, att_name)
  SELECT id, text, att_name FROM messages
  WHERE type IN ('text', 'image', 'file', 'audio', 'video') AND deleted_at IS NULL;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
  WHEN (new.type = 'text' OR new.type = 'image' OR new.type = 'file' OR new.type = 'audio' OR new.type = 'video')
       AND new.deleted_at IS NULL
BEGIN
  INSERT INTO messages_fts (rowid, text, att_name) VALUES (new.id, new.text, new.att_name);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
  WHEN (old.type = 'text' OR old.type = 'image' OR old.type = 'file' OR old.type = 'audio' OR old.type = 'video')
       AND old.deleted_at IS NULL
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text, att_name) VALUES ('delete', old.id, old.text, old.att_name);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF type, text, att_name, deleted_at ON messages
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text, att_name)
    SELECT 'delete', old.id, old.text, old.att_name
    WHERE (old.type = 'text' OR old.type = 'image' OR old.type = 'file' OR old.type = 'audio' OR old.type = 'video')
       AND old.deleted_at IS NULL;
  INSERT INTO messages_fts (rowid, text, att_name)
    SELECT new.id, new.text, new.att_name
    WHERE (new.type = 'text' OR new.type = 'image' OR new.type = 'file' OR new.type = 'audio' OR new.type = 'video')
       AND new.deleted_at IS NULL;
END;
