-- The outbox: work that leaves the system (webhook calls today, push notifications later),
-- written in the same transaction as the change it reports, so that nothing committed is
-- without its deliveries, and delivered by a worker off the message path (docs/integration.md).
-- The same table as the SQLite schema, in PostgreSQL's types.

CREATE TABLE outbox (
  -- The order of writing: a target's deliveries with the same order_key go out in this order.
  position        BIGSERIAL PRIMARY KEY,
  -- Stable across retries: a receiver drops a repeat by it (webhook-id).
  id              TEXT    NOT NULL UNIQUE,
  kind            TEXT    NOT NULL,            -- 'webhook'
  target          TEXT    NOT NULL,            -- where it goes: a webhook's URL
  -- Deliveries to one target with the same key wait for each other (a room's events, in
  -- order); NULL: no order to keep.
  order_key       TEXT,
  event_type      TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  -- A node that claimed it is attempting it until then; after that (the node died) another
  -- node claims it again.
  lease_until     BIGINT  NOT NULL DEFAULT 0,
  last_status     INTEGER,                     -- the HTTP status of the last answer
  last_error      TEXT,
  created_at      BIGINT  NOT NULL,
  updated_at      BIGINT  NOT NULL
);
-- The worker's scan: pending deliveries that are due.
CREATE INDEX outbox_due ON outbox(kind, next_attempt_at) WHERE status = 'pending';
-- "Is an earlier delivery of this room to this target still pending?"
CREATE INDEX outbox_in_order ON outbox(kind, target, order_key, position) WHERE status = 'pending';
-- Finished deliveries, oldest first, for the clean-up.
CREATE INDEX outbox_finished ON outbox(updated_at) WHERE status <> 'pending';
