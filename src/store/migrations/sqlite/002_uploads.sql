-- Uploaded files: what the server knows of each; the bytes are in the blob store under sha256.
-- Several uploads may share one sha256 (the same file uploaded twice): the blob goes only with
-- the last of them.

CREATE TABLE uploads (
  id             TEXT    PRIMARY KEY,
  owner_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  sha256         TEXT    NOT NULL,
  size           INTEGER NOT NULL CHECK (size >= 0),
  mime_type      TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  width          INTEGER,
  height         INTEGER,
  duration_ms    INTEGER,
  created_at     INTEGER NOT NULL,
  -- When a message first referred to it; NULL until then, and the sweeper removes it once it
  -- is older than the time to live.
  referenced_at  INTEGER
) WITHOUT ROWID;
-- The sweeper's scan: unreferenced uploads, oldest first.
CREATE INDEX uploads_unreferenced ON uploads(created_at) WHERE referenced_at IS NULL;
CREATE INDEX uploads_by_sha256 ON uploads(sha256);

-- "Which messages carry this upload": whether a member of their room may download it.
CREATE INDEX messages_by_upload ON messages(att_upload_id) WHERE att_upload_id IS NOT NULL;
