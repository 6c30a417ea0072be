#pragma once
// The messages table's SQL and stored values, once for both backends. The statements are
// written with PostgreSQL's $1, $2 ... placeholders; the SQLite session turns them into ?1, ?2
// (sqlite_placeholders). Where the backends' SQL differs (how the seq is taken), each session
// keeps its own statement; the column list and the values a message is stored as are here, so
// a new column is written in one place (with row_mapping's reader and the two migrations).
// sqlite_placeholders is in store/sql_database.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "domain/message.hpp"
#include "store/sql_database.hpp"

namespace parley::store {

// The values of one message row, in message_columns() order after the id: room_id, seq,
// sender_id, client_msg_id ... created_at. Empty strings and unset ids are NULL where the
// column means "none": a system message has no client_msg_id, and NULLs stay out of the unique
// (sender, client_msg_id) index.
using MessageValues =
    std::tuple<RoomId, Seq, UserId, std::optional<std::string_view>, std::string_view, std::string_view,
               std::optional<std::string_view>, std::optional<std::string_view>, std::optional<std::string_view>,
               std::optional<std::int64_t>, std::optional<std::int64_t>, std::optional<std::int64_t>,
               std::optional<std::int64_t>, std::optional<std::string_view>, std::optional<UserId>, std::int64_t,
               std::optional<std::int64_t>, std::optional<std::int64_t>, std::optional<std::int64_t>,
               std::optional<std::int64_t>>;

// Views into `message`, which must outlive the values.
[[nodiscard]] MessageValues message_values(const domain::Message& message, Seq seq);

// "$1, $2, ... $20": the placeholders of message_values in an INSERT.
[[nodiscard]] const std::string& message_value_placeholders();

// The message a sender sent with this client_msg_id: $1 sender, $2 client_msg_id.
[[nodiscard]] const std::string& select_message_by_client_id_sql();
// The newest `limit` below the bound, turned around, so that pages are always oldest first:
// $1 room, $2 before, $3 limit.
[[nodiscard]] const std::string& select_messages_before_sql();
// The oldest `limit` after the bound: $1 room, $2 after, $3 limit.
[[nodiscard]] const std::string& select_messages_after_sql();

// "(x.type = 'text' OR ...)": the messages that count as unread (domain::is_content), for the
// table aliased `alias`. Comparisons rather than an IN list, which SQLite would build a b-tree
// for on every run (003_message_type_check.sql).
[[nodiscard]] std::string counted_message_condition(std::string_view alias);

// " LEFT JOIN messages <alias> ON ...": the room's newest message that is shown as one (content
// or system), not an edit, deletion or reaction, whose seq may be the room's last. For the
// rooms table aliased `room`. The scan goes back from last_seq by (room_id, seq) and stops at
// the first message shown: past the events at the room's end, if any.
[[nodiscard]] std::string join_last_shown_message(std::string_view alias, std::string_view room);


}  // namespace parley::store
