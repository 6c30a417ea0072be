-- A new message enters the search index when its transaction commits, not when it is inserted.
--
-- Why: FTS5 writes what it holds in memory out to a new segment of its index at every savepoint
-- of a transaction it has joined, and the writer opens one savepoint per operation of a batch.
-- With the insert trigger of 012_message_search.sql each message of a group commit cost a segment
-- write and the merges behind it: 30-45% of the writer's time sending into rooms of one. Now
-- the trigger only notes the message's id here, and the session's commit indexes every noted
-- message in one statement before COMMIT (SqliteSession::commit), in the same transaction: the
-- index is as true at every commit as before, and FTS5 joins the transaction once, at its end.
--
-- A noted message is not in the index yet, so an edit or a deletion before its commit must not
-- take it out of the index ('delete' with values the index was never given would corrupt it):
-- the update and delete triggers touch the index only for messages not noted here, and the
-- commit reads a noted message as it stands then (edited, or deleted and so left out).
-- A deleted row's note goes with it, so an id SQLite gives again later is noted afresh.

CREATE TABLE messages_fts_pending (id INTEGER PRIMARY KEY);

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
  WHEN (new.type = 'text' OR new.type = 'image' OR new.type = 'file' OR new.type = 'audio' OR new.type = 'video')
       AND new.deleted_at IS NULL
BEGIN
  INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text, att_name)
    SELECT 'delete', old.id, old.text, old.att_name
    WHERE (old.type = 'text' OR old.type = 'image' OR old.type = 'file' OR old.type = 'audio' OR old.type = 'video')
       AND old.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE id = old.id);
  DELETE FROM messages_fts_pending WHERE id = old.id;
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF type, text, att_name, deleted_at ON messages
  WHEN NOT EXISTS (SELECT 1 FROM messages_fts_pending WHERE id = old.id)
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
