// The outbox: deliveries written with the changes they report, claimed under a lease, and
// their outcomes (docs/integration.md).
#include <algorithm>
#include <string>
#include <utility>

#include "store/delivery_rows.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_fetch.hpp"
#include "store/postgres/postgres_session.hpp"

namespace parley::store::postgres {
namespace {

[[nodiscard]] Result<domain::Delivery> delivery_row(const Row& row) { return read_delivery(row); }

// Due, not leased, and no earlier delivery to the same target under the same order key still
// pending: that one goes first (outbox_in_order finds it). SKIP LOCKED: another node claiming
// at the same moment takes other rows instead of waiting for these; a row it locked and leased
// meanwhile fails the lease test when this statement looks at it again.
const std::string& claim_sql() {
  static const std::string sql =
      "UPDATE outbox SET lease_until = $3, attempts = attempts + 1, updated_at = $2 WHERE position IN ("
      "SELECT d.position FROM outbox d WHERE d.kind = $1 AND d.status = 'pending' AND d.next_attempt_at <= $2"
      " AND d.lease_until <= $2 AND (d.order_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox e"
      " WHERE e.kind = d.kind AND e.target = d.target AND e.order_key = d.order_key AND e.status = 'pending'"
      " AND e.position < d.position)) ORDER BY d.position LIMIT $4 FOR UPDATE SKIP LOCKED)"
      " AND lease_until <= $2 RETURNING " +
      delivery_columns();
  return sql;
}

}  // namespace

Result<void> PostgresSession::insert_delivery(const NewDelivery& d) {
  PARLEY_CHECK(connection_->query("INSERT INTO outbox (id, kind, target, order_key, event_type, payload,"
                                          " status, next_attempt_at, created_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7)",
                                          Params(d.id, d.kind, d.target, d.order_key, d.event_type, d.payload,
                                                 d.created_at_ms)));
  return {};
}

Result<std::vector<domain::Delivery>> PostgresSession::claim_deliveries(const std::string& kind, TimestampMs now,
                                                                      TimestampMs lease_until, int limit) {
  PARLEY_TRY(rows, connection_->query(claim_sql(), Params(kind, now, lease_until, limit)));
  PARLEY_TRY(claimed, fetch_all(rows, delivery_row));
  // RETURNING gives the rows in no promised order.
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.position < b.position; });
  return claimed;
}

Result<void> PostgresSession::finish_attempt(const DeliveryOutcome& o) {
  return change_one_row("UPDATE outbox SET status = $2, next_attempt_at = $3, last_status = $4, last_error = $5,"
                        " updated_at = $6, lease_until = 0 WHERE id = $1",
                        Params(o.id, domain::to_string(o.status), o.next_attempt_ms, o.http_status, o.error, o.at_ms),
                        "delivery");
}

Result<std::vector<domain::Delivery>> PostgresSession::list_deliveries(const std::string& kind, std::int64_t before,
                                                                     int limit) {
  PARLEY_TRY(rows, connection_->query("SELECT " + delivery_columns() +
                                          " FROM outbox WHERE kind = $1 AND ($2::bigint <= 0 OR position < $2::bigint)"
                                          " ORDER BY position DESC LIMIT $3",
                                      Params(kind, before, limit)));
  return fetch_all(rows, delivery_row);
}

Result<std::optional<domain::Delivery>> PostgresSession::requeue_delivery(const std::string& id, TimestampMs now) {
  PARLEY_TRY(rows, connection_->query("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2,"
                                      " updated_at = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM outbox e"
                                      " WHERE e.kind = outbox.kind AND e.target = outbox.target AND e.lease_until > $2"
                                      " AND (e.id = outbox.id OR e.order_key = outbox.order_key)) RETURNING " +
                                          delivery_columns(),
                                      Params(id, now)));
  PARLEY_TRY(requeued, fetch_optional(rows, delivery_row));
  if (requeued) return requeued;
  PARLEY_TRY(found, connection_->query("SELECT 1 FROM outbox WHERE id = $1", Params(id)));
  if (found.size() > 0) return fail(ErrorCode::conflict, kRequeueWhileLeased);
  return std::nullopt;
}

Result<bool> PostgresSession::replace_waiting_delivery(const NewDelivery& newer, TimestampMs now) {
  PARLEY_TRY(updated, connection_->query("UPDATE outbox SET payload = $5, updated_at = $6"
                                         " WHERE position = (SELECT MAX(position) FROM outbox WHERE kind = $1"
                                         "   AND target = $2 AND order_key = $3 AND status = 'pending')"
                                         " AND event_type = $4 AND lease_until <= $6",
                                         Params(newer.kind, newer.target, newer.order_key, newer.event_type,
                                                newer.payload, now)));
  return updated.affected() > 0;
}

Result<std::int64_t> PostgresSession::delete_finished_deliveries(TimestampMs updated_before, int limit) {
  PARLEY_TRY(removed, connection_->query("DELETE FROM outbox WHERE position IN (SELECT position FROM outbox"
                                         " WHERE status <> 'pending' AND updated_at < $1 ORDER BY updated_at"
                                         " LIMIT $2)",
                                         Params(updated_before, limit)));
  return removed.affected();
}

}  // namespace parley::store::postgres
