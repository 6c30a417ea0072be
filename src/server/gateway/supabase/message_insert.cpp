#include "server/gateway/supabase/message_insert.hpp"

#include <memory>

#include <boost/json/parse.hpp>
#include <openssl/rand.h>

#include "server/gateway/supabase/message_row.hpp"

namespace parley::gateway::supabase {

namespace json = boost::json;

namespace {

// 16 random bytes in hex: unique per sender in practice, and within client_msg_id's 64
// printable characters.
std::string fresh_client_msg_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "rest-";
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

Rest<json::object> send_params(const json::object& row, UserId caller) {
  json::object params;
  for (const auto& [key, value] : row) {
    if (key == "id" || key == "seq" || key == "created_at") {
      if (value.is_null()) continue;
      return std::unexpected(PostgrestError{
          .status = 400,
          .code = "428C9",
          .message = "cannot insert a non-DEFAULT value into column \"" + std::string(key) + "\"",
          .details = "Column \"" + std::string(key) + "\" is assigned by the server when the message is stored.",
          .hint = "leave id, seq and created_at out"});
    }
    if (key == "sender_id") {
      if (value.is_null()) continue;
      if (!value.is_int64() || value.get_int64() != caller.value)
        return std::unexpected(PostgrestError{.status = 403,
                                              .code = "42501",
                                              .message = "new row violates row-level security policy for table \"messages\"",
                                              .details = "sender_id must be the caller's own user id",
                                              .hint = "leave sender_id out: Parley sets it to the caller"});
      continue;
    }
    if (key == "room_id" || key == "type" || key == "text" || key == "client_msg_id" || key == "attachment") {
      if (!value.is_null()) params[key] = value;
      continue;
    }
    return std::unexpected(PostgrestError{.status = 400,
                                          .code = "PGRST204",
                                          .message = "Could not find the '" + std::string(key) + "' column of 'messages' in the schema cache",
                                          .hint = "an insert takes room_id, type, text, client_msg_id, attachment and sender_id"});
  }
  if (!params.contains("room_id"))
    return std::unexpected(PostgrestError{
        .status = 400,
        .code = "23502",
        .message = "null value in column \"room_id\" of relation \"messages\" violates not-null constraint"});
  if (!params.contains("client_msg_id")) {
    auto id = fresh_client_msg_id();
    if (id.empty()) return std::unexpected(from_parley(Error{ErrorCode::internal, "no randomness for a client_msg_id"}));
    params["client_msg_id"] = std::move(id);
  }
  return params;
}

class Inserter : public std::enable_shared_from_this<Inserter> {
 public:
  Inserter(const Operations& operations, const service::Caller& caller, std::vector<json::object> sends, RowsDone done)
      : operations_(operations), caller_(caller), sends_(std::move(sends)), done_(std::move(done)) {}

  void next() {
    if (rows_.size() == sends_.size()) return done_(std::move(rows_));
    operations_.call("messages.send", caller_, sends_[rows_.size()],
                     [self = shared_from_this()](Result<json::value> sent) { self->on_sent(std::move(sent)); });
  }

 private:
  void on_sent(Result<json::value> sent) {
    if (!sent) return done_(std::unexpected(from_parley(sent.error())));
    rows_.push_back(message_row(sent->as_object().at("message").as_object()));
    next();
  }

  const Operations& operations_;
  service::Caller caller_;
  std::vector<json::object> sends_;
  RowsDone done_;
  std::vector<json::object> rows_;
};

}  // namespace

Rest<std::vector<json::object>> insert_params(std::string_view body, UserId caller) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !(parsed.is_object() || parsed.is_array()))
    return std::unexpected(PostgrestError{.status = 400,
                                          .code = "PGRST102",
                                          .message = "Empty or invalid json",
                                          .hint = "send a JSON object, or an array of objects, of message columns"});
  json::array rows;
  if (parsed.is_array()) rows = std::move(parsed.get_array());
  else rows.push_back(std::move(parsed));
  if (rows.size() > kMaxInsertRows)
    return std::unexpected(bad_query("at most " + std::to_string(kMaxInsertRows) + " rows per insert"));
  std::vector<json::object> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    if (!row.is_object())
      return std::unexpected(PostgrestError{.status = 400, .code = "PGRST102", .message = "every row must be a JSON object"});
    auto params = send_params(row.get_object(), caller);
    if (!params) return std::unexpected(params.error());
    out.push_back(std::move(*params));
  }
  return out;
}

void insert_messages(const Operations& operations, const service::Caller& caller, std::vector<json::object> sends,
                     RowsDone done) {
  std::make_shared<Inserter>(operations, caller, std::move(sends), std::move(done))->next();
}

}  // namespace parley::gateway::supabase
