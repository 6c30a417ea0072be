-- Unread counts without counting messages: the rooms list and sync read each room's unread
-- count as three numbers rather than a COUNT(*) over every message after the read watermark
-- (so that no request's cost grows with a user's backlog).
--
--   unread = rooms.counted - (unread_rank of the message at members.read_seq) - members.own_unread
--
-- rooms.counted: how many messages that count as unread (every type but system) the room holds.
-- messages.unread_rank: rooms.counted just after this message was stored (a system message
--   takes the rank of the message before it).
-- members.own_unread: how many of the member's own counted messages lie after their read_seq;
--   one's own messages are never unread. Kept by append_message (+1) and by the watermark's
--   advance (minus the member's own messages it passed).
-- The same columns as the PostgreSQL schema.

ALTER TABLE rooms ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN unread_rank INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN own_unread INTEGER NOT NULL DEFAULT 0;

-- The existing rows, in one pass per table (a running sum, not a count per message).
UPDATE messages SET unread_rank = ranked.running
  FROM (SELECT id, SUM(CASE WHEN type <> 'system' THEN 1 ELSE 0 END)
                   OVER (PARTITION BY room_id ORDER BY seq) AS running
          FROM messages) AS ranked
 WHERE ranked.id = messages.id;
UPDATE rooms SET counted = (SELECT COUNT(*) FROM messages WHERE room_id = rooms.id AND type <> 'system');
UPDATE members SET own_unread = (SELECT COUNT(*) FROM messages x WHERE x.room_id = members.room_id
                                    AND x.sender_id = members.user_id AND x.seq > members.read_seq
                                    AND x.type <> 'system');
