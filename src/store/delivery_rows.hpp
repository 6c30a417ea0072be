#pragma once
// The outbox's rows (domain::Delivery), for every backend: the column list and its reader.
#include <string>

#include "core/error.hpp"
#include "domain/delivery.hpp"
#include "store/row_mapping.hpp"

namespace parley::store {

// The SELECT (or RETURNING) list read_delivery reads.
[[nodiscard]] inline const std::string& delivery_columns() {
  static const std::string columns =
      "position, id, kind, target, order_key, event_type, payload, status, attempts, next_attempt_at,"
      " last_status, last_error, created_at, updated_at";
  return columns;
}

// Why requeue_delivery refused, the same from every backend.
inline constexpr const char* kRequeueWhileLeased =
    "an attempt of this delivery, or of one before it in its room, is under way; ask again when it ends";

template <class Row>
Result<domain::Delivery> read_delivery(const Row& row) {
  std::string status_name = row.text(7);
  auto status = domain::delivery_status_from(status_name);
  if (!status) return std::unexpected(corrupt_row("delivery status", status_name));
  auto last_status = row.optional_int64(10);
  return domain::Delivery{
      .position = row.int64(0),
      .id = row.text(1),
      .kind = row.text(2),
      .target = row.text(3),
      .order_key = row.optional_text(4),
      .event_type = row.text(5),
      .payload = row.text(6),
      .status = *status,
      .attempts = static_cast<int>(row.int64(8)),
      .next_attempt_ms = row.int64(9),
      .last_http_status = last_status ? std::optional<int>(static_cast<int>(*last_status)) : std::nullopt,
      .last_error = row.text(11),
      .created_at_ms = row.int64(12),
      .updated_at_ms = row.int64(13),
  };
}

}  // namespace parley::store
