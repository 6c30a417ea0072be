#include "protocol/frames.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/validation.hpp"

namespace parley::protocol {

namespace json = boost::json;

Result<json::object> parse_object(std::string_view bytes) {
  if (!domain::is_valid_utf8(bytes)) return fail(ErrorCode::invalid_utf8, "the payload is not valid UTF-8");
  boost::system::error_code ec;
  json::value value = json::parse(bytes, ec);
  if (ec) return fail(ErrorCode::malformed_json, "the payload is not valid JSON: " + ec.message());
  if (!value.is_object()) return fail(ErrorCode::malformed_json, "the payload must be a JSON object");
  return std::move(value.get_object());
}

Result<Request> parse_request(std::string_view bytes, json::value& id) {
  id = nullptr;
  auto object = parse_object(bytes);
  if (!object) return std::unexpected(object.error());
  if (const auto* given = object->if_contains("id")) {
    if (given->is_string() || given->is_int64() || given->is_uint64()) {
      id = *given;
    } else if (!given->is_null()) {
      return fail(ErrorCode::invalid_payload, "id must be a string or an integer");
    }
  }
  const auto* op = object->if_contains("op");
  if (!op) return fail(ErrorCode::invalid_payload, "op is required");
  if (!op->is_string()) return fail(ErrorCode::invalid_payload, "op must be a string");
  Request request;
  request.id = id;
  request.op = std::string(op->get_string());
  request.params = std::move(*object);
  return request;
}

std::string encode_reply(const json::value& id, const json::value& data) {
  json::object frame{{"id", id}, {"ok", true}, {"data", data}};
  return json::serialize(frame);
}

json::object error_body(const Error& error) {
  json::object body{{"code", to_string(error.code)}, {"message", error.message}};
  if (error.code == ErrorCode::rate_limited) body["retry_after_ms"] = error.retry_after_ms;
  // The store out of reach, an overloaded queue, a shutdown: worth retrying, after a pause.
  if (error.code == ErrorCode::unavailable)
    body["retry_after_ms"] = error.retry_after_ms > 0 ? error.retry_after_ms : kUnavailableRetryAfterMs;
  return body;
}

std::string encode_error_reply(const json::value& id, const Error& error) {
  json::object frame{{"id", id}, {"ok", false}, {"error", error_body(error)}};
  return json::serialize(frame);
}

std::string encode_event(std::string_view name, json::object data) {
  json::object frame{{"event", name}, {"data", std::move(data)}};
  return json::serialize(frame);
}

std::optional<MessagePosition> message_position(std::string_view event_frame) {
  boost::system::error_code ec;
  json::value frame = json::parse(event_frame, ec);
  if (ec || !frame.is_object()) return std::nullopt;
  const auto* name = frame.get_object().if_contains("event");
  if (!name || *name != "message") return std::nullopt;
  const auto* message = frame.get_object().if_contains("data");
  if (!message || !message->is_object()) return std::nullopt;
  message = message->get_object().if_contains("message");
  if (!message || !message->is_object()) return std::nullopt;
  const auto* seq = message->get_object().if_contains("seq");
  const auto* sender = message->get_object().if_contains("sender_id");
  if (!seq || !seq->is_int64() || !sender || !sender->is_int64()) return std::nullopt;
  return MessagePosition{seq->get_int64(), sender->get_int64()};
}

std::optional<PresenceStatusSeen> presence_status(std::string_view event_frame) {
  // Most frames are something else: they are told apart without parsing them.
  if (!event_frame.starts_with(R"({"event":"presence",)")) return std::nullopt;
  boost::system::error_code ec;
  json::value frame = json::parse(event_frame, ec);
  if (ec || !frame.is_object()) return std::nullopt;
  const auto* data = frame.get_object().if_contains("data");
  if (!data || !data->is_object()) return std::nullopt;
  const auto* user = data->get_object().if_contains("user_id");
  const auto* status = data->get_object().if_contains("status");
  if (!user || !user->is_int64() || !status || !status->is_string()) return std::nullopt;
  return PresenceStatusSeen{user->get_int64(), std::string(status->get_string())};
}

unsigned http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_json:
    case ErrorCode::invalid_utf8:
    case ErrorCode::invalid_payload:
    case ErrorCode::unknown_op: return 400;
    case ErrorCode::unauthorized:
    case ErrorCode::invalid_credentials: return 401;
    case ErrorCode::forbidden:
    case ErrorCode::own_accounts_disabled: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::username_taken:
    case ErrorCode::last_admin:
    case ErrorCode::conflict: return 409;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media_type: return 415;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal:
    case ErrorCode::network:
    case ErrorCode::tls_certificate: return 500;  // the SDK's own: never sent by the server
  }
  return 500;
}

}  // namespace parley::protocol
