-- Full-text search over messages: a GIN index over the words of the text (an image's caption, a
-- file's description) and the attachment's file name, of the content types only and of messages
-- not deleted; the SQLite schema (sqlite/012_message_search.sql) explains the choice. An index
-- over an expression follows every INSERT, UPDATE and DELETE by itself, and the search statement
-- (postgres_session_search.cpp) repeats the expression and the condition word for word so that
-- the planner uses it. 'simple' because messages are in any language: words are lowercased, never
-- stemmed or dropped as stop words.

CREATE INDEX messages_search ON messages
  USING GIN (to_tsvector('simple', text || ' ' || coalesce(att_name, '')))
  WHERE type IN ('text', 'image', 'file', 'audio', 'video') AND deleted_at IS NULL;
