#pragma once
// The C API's request types: one entry per parley::Client call, which reads the request's
// fields strictly, makes the call and encodes its result as the answer's "data".
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>
#include <unordered_map>

#include <parley/client.hpp>

#include "client/c_api_fields.hpp"

namespace parley::c_api {

// What a request may do besides answering: a transfer reports its progress as updates.
struct RequestContext {
  TransferProgress progress;
};

using RequestHandler = Result<boost::json::value> (*)(Client&, const Fields&, const RequestContext&);

struct RequestKind {
  RequestHandler run;
  // Writes to the outbox: such requests run one at a time, in the order they came, so that two
  // sends reach the server in the order the app made them.
  bool writes_outbox = false;
};

using RequestTable = std::unordered_map<std::string_view, RequestKind>;

void add_account_requests(RequestTable& table);  // account and connection
void add_room_requests(RequestTable& table);     // rooms and members
void add_message_requests(RequestTable& table);  // messages, files, typing and presence

// nullptr for a type that does not exist.
[[nodiscard]] const RequestKind* find_request(std::string_view type);

// --- helpers for the entries -------------------------------------------------------------------

template <class T, class Encode>
Result<boost::json::value> data_of(Result<T> result, Encode encode) {
  if (!result) return std::unexpected(std::move(result.error()));
  return boost::json::value(encode(*result));
}

inline Result<boost::json::value> no_data(Result<void> result) {
  if (!result) return std::unexpected(std::move(result.error()));
  return boost::json::value(boost::json::object{});
}

}  // namespace parley::c_api
