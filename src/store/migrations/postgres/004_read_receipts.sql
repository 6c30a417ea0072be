-- Private read receipts: a user may keep how far they have read to their own devices.
-- users.read_receipts is the choice ('everyone' or 'private'), members.shared_read_seq how far
-- the other members of the room are shown the member has read: it follows read_seq while the
-- choice is 'everyone' and stays where it was while it is 'private'.

ALTER TABLE users ADD COLUMN read_receipts TEXT NOT NULL DEFAULT 'everyone'
  CHECK (read_receipts IN ('everyone', 'private'));

-- Everyone shared their reads until now.
ALTER TABLE members ADD COLUMN shared_read_seq BIGINT NOT NULL DEFAULT 0;
UPDATE members SET shared_read_seq = read_seq;
