// Feeds the SDK what a server could send on its WebSocket: read_server_frame
// (client/server_frame.hpp) tells events from replies, then the SDK's readers of the
// protocol's objects (client/json_mapping.hpp, error_from_json in client/transport.hpp) read the
// event's data, the reply's data and error, and every object, and every object in a list, one
// level inside them. Beyond "no crash", it checks that:
//  - each object read and written back by the SDK (as it keeps it in its local store) reads
//    back to the same: what the SDK stores is what it read;
//  - an error's code read from the server is one the SDK can name and read again.
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "client/json_mapping.hpp"
#include "client/server_frame.hpp"
#include "client/transport.hpp"
#include "fuzz_support.hpp"

namespace {

namespace json = boost::json;
using namespace parley;
using fuzz::require;

// Read, written, read and written again: the two writes are the same.
template <class Read>
void check_stored_as_read(const json::value& value, Read read) {
  const json::object written = client::to_json(read(value));
  require(client::to_json(read(json::value(written))) == written, "an object kept by the SDK reads back the same");
}

void read_as_every_object(const json::value& value) {
  check_stored_as_read(value, client::user_from_json);
  check_stored_as_read(value, client::message_from_json);
  check_stored_as_read(value, client::room_from_json);
  check_stored_as_read(value, client::member_from_json);
  check_stored_as_read(value, client::presence_from_json);
  const Error error = client::error_from_json(value);
  require(client::error_code_from(to_string(error.code)) == error.code, "an error's code is named and read again");
}

// The value, and what it holds one level in: the shapes the SDK finds its objects in.
void read_inside(const json::value& value) {
  read_as_every_object(value);
  auto read_items = [](const json::value& inner) {
    read_as_every_object(inner);
    if (const auto* list = inner.if_array())
      for (const auto& item : *list) read_as_every_object(item);
  };
  if (const auto* object = value.if_object())
    for (const auto& [key, inner] : *object) read_items(inner);
  if (const auto* list = value.if_array())
    for (const auto& item : *list) read_as_every_object(item);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const client::ServerFrame frame = client::read_server_frame(fuzz::as_text(data, size));
  if (const auto* event = std::get_if<client::ServerEvent>(&frame)) read_inside(json::value(event->data));
  if (const auto* reply = std::get_if<client::ServerReply>(&frame)) {
    if (reply->answer) read_inside(*reply->answer);
    else require(client::error_code_from(to_string(reply->answer.error().code)) == reply->answer.error().code,
                 "a reply's error code is named and read again");
  }
  return 0;
}
