// Feeds a WebSocket request frame, as a client sends it, to what the server reads it with:
// protocol::parse_request, the typed field reads of protocol::Fields on every field it has,
// attachment_from_json, the parameters of messages.send and sync (server/gateway/
// operation_params.hpp) with the domain's checks of an outgoing message, the server API's user
// id lists and group members, and message_position.
// Beyond "no crash", it checks that:
//  - a failure is one of the three a frame can have, and its error reply is JSON that carries
//    the id read from the frame;
//  - a request's op is the frame's "op", and a reply to it echoes its id;
//  - a field read as an integer holds that number, and a field read as a string is there;
//  - what sync reads keeps its page size within bounds, and a user id list its length;
//  - a username normalized once stays the same when normalized again;
//  - a frame that message_position reads is a JSON object.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/validation.hpp"
#include "fuzz_support.hpp"
#include "protocol/fields.hpp"
#include "protocol/frames.hpp"
#include "protocol/json_codec.hpp"
#include "server/gateway/operation_params.hpp"

namespace {

namespace json = boost::json;
using namespace parley;
using fuzz::require;

json::value reparsed(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  require(!ec && value.is_object(), "an encoded reply is a JSON object");
  return value;
}

bool is_echoable_id(const json::value& id) { return id.is_null() || id.is_string() || id.is_int64() || id.is_uint64(); }

// An integer read from a JSON number is that number.
void check_int_read(const json::value& field, std::int64_t read) {
  if (field.is_int64()) require(field.get_int64() == read, "an int64 field reads as itself");
  else if (field.is_uint64()) require(static_cast<std::uint64_t>(read) == field.get_uint64(), "a uint64 field reads as itself");
  else require(field.is_double() && static_cast<double>(read) == field.get_double(), "a whole double reads as itself");
}

void read_every_field(const json::object& params) {
  protocol::Fields fields(params, "fuzz.");
  for (const auto& [key, value] : params) {
    if (auto text = fields.optional_string(key); text && *text) require(fields.has(key), "a string read is there");
    if (auto number = fields.optional_int(key); number && *number) check_int_read(value, **number);
    if (auto list = fields.optional_int_list(key); list && !list->empty()) {
      require(value.is_array() && value.get_array().size() == list->size(), "an int list has every item");
      for (std::size_t i = 0; i < list->size(); ++i) check_int_read(value.get_array()[i], (*list)[i]);
    }
    (void)fields.required_string(key);
    (void)fields.required_int(key);
  }
}

void check_domain_rules(const json::object& params) {
  if (const auto* username = params.if_contains("username"); username && username->is_string()) {
    if (auto once = domain::normalize_username(username->get_string())) {
      auto twice = domain::normalize_username(*once);
      require(twice && *twice == *once, "a normalized username normalizes to itself");
    }
  }
  for (std::string_view key : {"password", "new_password", "current_password"})
    if (const auto* v = params.if_contains(key); v && v->is_string()) (void)domain::validate_password(v->get_string());
  if (const auto* v = params.if_contains("display_name"); v && v->is_string())
    (void)domain::validate_display_name(v->get_string());
  if (const auto* v = params.if_contains("name"); v && v->is_string()) (void)domain::validate_room_name(v->get_string());
}

void read_operations(const json::object& params) {
  read_every_field(params);
  check_domain_rules(params);
  if (const auto* attachment = params.if_contains("attachment")) (void)protocol::attachment_from_json(*attachment);
  if (auto message = gateway::outgoing_message(params)) {
    (void)domain::validate_client_msg_id(message->client_msg_id);
    (void)domain::validate_outgoing(*message);
  }
  if (auto sync = gateway::sync_request(params))
    require(sync->limit >= -1 && sync->limit <= 1'000'000, "a sync page size is within bounds");
  if (auto users = gateway::user_id_list(params))
    require(!users->empty() && users->size() <= gateway::kMaxPresenceUsers, "a user id list is within bounds");
  (void)gateway::group_members(params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame = fuzz::as_text(data, size);
  json::value id;
  auto request = protocol::parse_request(frame, id);
  require(is_echoable_id(id), "the id read is one a reply can echo");
  if (!request) {
    const ErrorCode code = request.error().code;
    require(code == ErrorCode::invalid_utf8 || code == ErrorCode::malformed_json || code == ErrorCode::invalid_payload,
            "a bad frame fails as one of the three kinds");
    require(reparsed(protocol::encode_error_reply(id, request.error())).at("id") == id, "an error reply echoes the id");
  } else {
    require(request->params.at("op").as_string() == request->op, "the op is the frame's op");
    require(reparsed(protocol::encode_reply(id, json::object{})).at("id") == id, "a reply echoes the id");
    read_operations(request->params);
  }
  if (protocol::message_position(frame)) require(protocol::parse_object(frame).has_value(), "a positioned event is an object");
  return 0;
}
