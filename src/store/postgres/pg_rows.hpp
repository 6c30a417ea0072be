#pragma once
// Rows to domain values. Each reader takes the statement and the index of its first column, so
// that one query can select a room, a member and a message side by side; the *_columns
// functions give the matching SELECT lists, so the column order is written in one place.
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/message.hpp"
#include "domain/room.hpp"
#include "domain/user.hpp"
#include "store/postgres/pg_connection.hpp"

namespace parley::store::postgres {

inline constexpr int kUserColumnCount = 4;
inline constexpr int kRoomColumnCount = 6;
inline constexpr int kMemberColumnCount = 6;
inline constexpr int kMessageColumnCount = 17;

// "a.col1, a.col2, ..." for the table aliased `alias` (empty: unqualified).
[[nodiscard]] std::string user_columns(std::string_view alias = {});
[[nodiscard]] std::string room_columns(std::string_view alias = {});
[[nodiscard]] std::string member_columns(std::string_view alias = {});
[[nodiscard]] std::string message_columns(std::string_view alias = {});

[[nodiscard]] domain::User read_user(const Row& row, int first_column);
// These fail (internal) only on a stored name the domain does not know: a corrupt row.
[[nodiscard]] Result<domain::Room> read_room(const Row& row, int first_column);
[[nodiscard]] Result<domain::Member> read_member(const Row& row, int first_column);
[[nodiscard]] Result<domain::Message> read_message(const Row& row, int first_column);

}  // namespace parley::store::postgres
