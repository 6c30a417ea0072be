#include "store/row_mapping.hpp"

#include <array>

namespace parley::store {
namespace {

// The order here is the order the readers below read.
constexpr std::array<std::string_view, kUserColumnCount> kUserColumns{"id", "username", "display_name", "created_at", "bot", "external_id"};
constexpr std::array<std::string_view, kRoomColumnCount> kRoomColumns{"id",       "kind",       "name",
                                                                      "last_seq", "created_by", "created_at"};
constexpr std::array<std::string_view, kMemberColumnCount> kMemberColumns{
    "room_id", "user_id", "role", "joined_at", "delivered_seq", "read_seq", "shared_read_seq", "muted"};
constexpr std::array<std::string_view, kMessageColumnCount> kMessageColumns{
    "id",         "room_id",         "seq",       "sender_id",  "client_msg_id", "type",
    "text",       "att_upload_id",   "att_name",  "att_mime",   "att_size",      "att_width",
    "att_height", "att_duration_ms", "sys_event", "sys_target", "created_at",   "reply_to",
    "relates_to", "edited_at",       "deleted_at"};
constexpr std::array<std::string_view, kUploadColumnCount> kUploadColumns{
    "id",    "owner_id", "sha256",      "size",       "mime_type",    "name",
    "width", "height",   "duration_ms", "created_at", "referenced_at"};

template <std::size_t N>
std::string qualified(const std::array<std::string_view, N>& columns, std::string_view alias) {
  std::string list;
  for (std::string_view column : columns) {
    if (!list.empty()) list += ", ";
    if (!alias.empty()) {
      list += alias;
      list += '.';
    }
    list += column;
  }
  return list;
}

}  // namespace

std::string user_columns(std::string_view alias) { return qualified(kUserColumns, alias); }
std::string room_columns(std::string_view alias) { return qualified(kRoomColumns, alias); }
std::string member_columns(std::string_view alias) { return qualified(kMemberColumns, alias); }
std::string message_columns(std::string_view alias) { return qualified(kMessageColumns, alias); }
std::string upload_columns(std::string_view alias) { return qualified(kUploadColumns, alias); }

Error insert_user_error(Error store_error, const std::string& username, const std::string& external_id) {
  if (store_error.code != ErrorCode::conflict) return store_error;
  // SQLite names the column (users.external_id), PostgreSQL the index (users_external_id); the
  // message may quote the statement too, which names the column without its table.
  if (store_error.message.find("users.external_id") != std::string::npos ||
      store_error.message.find("users_external_id") != std::string::npos)
    return Error{ErrorCode::conflict, "another user is bound to the external id " + external_id};
  return Error{ErrorCode::username_taken, "the username " + username + " is taken"};
}

Error corrupt_row(std::string_view what, const std::string& stored) {
  return Error{ErrorCode::internal, "the store holds an unknown " + std::string(what) + " '" + stored + "'"};
}

}  // namespace parley::store
