// The outbox: deliveries written with the changes they report, claimed under a lease, and
// their outcomes (docs/integration.md).
#include <algorithm>
#include <string>
#include <utility>

#include "store/delivery_rows.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_session.hpp"

namespace parley::store::sqlite {
namespace {

[[nodiscard]] Result<domain::Delivery> delivery_row(const Statement& row) { return read_delivery(row); }

// Due, not leased, and no earlier delivery to the same target under the same order key still
// pending: that one goes first (outbox_in_order finds it).
const std::string& claim_sql() {
  static const std::string sql =
      "UPDATE outbox SET lease_until = ?3, attempts = attempts + 1, updated_at = ?2 WHERE position IN ("
      "SELECT d.position FROM outbox d WHERE d.kind = ?1 AND d.status = 'pending' AND d.next_attempt_at <= ?2"
      " AND d.lease_until <= ?2 AND (d.order_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox e"
      " WHERE e.kind = d.kind AND e.target = d.target AND e.order_key = d.order_key AND e.status = 'pending'"
      " AND e.position < d.position)) ORDER BY d.position LIMIT ?4) RETURNING " +
      delivery_columns();
  return sql;
}

}  // namespace

Result<void> SqliteSession::insert_delivery(const NewDelivery& d) {
  PARLEY_TRY(insert, connection_->prepare("INSERT INTO outbox (id, kind, target, order_key, event_type, payload, status,"
                                          " next_attempt_at, created_at, updated_at)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7, ?7)"));
  insert.bind_all(d.id, d.kind, d.target, d.order_key, d.event_type, d.payload, d.created_at_ms);
  return insert.run();
}

Result<std::vector<domain::Delivery>> SqliteSession::claim_deliveries(const std::string& kind, TimestampMs now,
                                                                    TimestampMs lease_until, int limit) {
  PARLEY_TRY(claim, connection_->prepare(claim_sql()));
  claim.bind_all(kind, now, lease_until, limit);
  PARLEY_TRY(claimed, fetch_all(claim, delivery_row));
  // RETURNING gives the rows in no promised order.
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.position < b.position; });
  return claimed;
}

Result<void> SqliteSession::finish_attempt(const DeliveryOutcome& o) {
  PARLEY_TRY(update, connection_->prepare("UPDATE outbox SET status = ?2, next_attempt_at = ?3, last_status = ?4,"
                                          " last_error = ?5, updated_at = ?6, lease_until = 0 WHERE id = ?1"));
  update.bind_all(o.id, domain::to_string(o.status), o.next_attempt_ms, o.http_status, o.error, o.at_ms);
  return change_one_row(update, "delivery");
}

Result<std::vector<domain::Delivery>> SqliteSession::list_deliveries(const std::string& kind, std::int64_t before,
                                                                   int limit) {
  PARLEY_TRY(query, connection_->prepare("SELECT " + delivery_columns() +
                                         " FROM outbox WHERE kind = ?1 AND (?2 <= 0 OR position < ?2)"
                                         " ORDER BY position DESC LIMIT ?3"));
  query.bind_all(kind, before, limit);
  return fetch_all(query, delivery_row);
}

Result<std::optional<domain::Delivery>> SqliteSession::requeue_delivery(const std::string& id, TimestampMs now) {
  PARLEY_TRY(update, connection_->prepare("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?2,"
                                          " updated_at = ?2 WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM outbox e"
                                          " WHERE e.kind = outbox.kind AND e.target = outbox.target AND e.lease_until > ?2"
                                          " AND (e.id = outbox.id OR e.order_key = outbox.order_key)) RETURNING " +
                                          delivery_columns()));
  update.bind_all(id, now);
  PARLEY_TRY(requeued, fetch_optional(update, delivery_row));
  if (requeued) return requeued;
  PARLEY_TRY(exists, connection_->prepare("SELECT 1 FROM outbox WHERE id = ?1"));
  exists.bind_all(id);
  PARLEY_TRY(found, exists.step());
  if (found) return fail(ErrorCode::conflict, kRequeueWhileLeased);
  return std::nullopt;
}

Result<bool> SqliteSession::replace_waiting_delivery(const NewDelivery& newer, TimestampMs now) {
  PARLEY_TRY(update, connection_->prepare("UPDATE outbox SET payload = ?5, updated_at = ?6"
                                          " WHERE position = (SELECT MAX(position) FROM outbox WHERE kind = ?1"
                                          "   AND target = ?2 AND order_key = ?3 AND status = 'pending')"
                                          " AND event_type = ?4 AND lease_until <= ?6"));
  update.bind_all(newer.kind, newer.target, newer.order_key, newer.event_type, newer.payload, now);
  PARLEY_CHECK(update.run());
  return connection_->changes() > 0;
}

Result<std::int64_t> SqliteSession::delete_finished_deliveries(TimestampMs updated_before, int limit) {
  PARLEY_TRY(remove, connection_->prepare("DELETE FROM outbox WHERE position IN (SELECT position FROM outbox"
                                          " WHERE status <> 'pending' AND updated_at < ?1 ORDER BY updated_at"
                                          " LIMIT ?2)"));
  remove.bind_all(updated_before, limit);
  PARLEY_CHECK(remove.run());
  return static_cast<std::int64_t>(connection_->changes());
}

}  // namespace parley::store::sqlite
