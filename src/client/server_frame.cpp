#include "client/server_frame.hpp"

#include <boost/json/parse.hpp>

#include "client/transport.hpp"

namespace parley::client {

namespace json = boost::json;

ServerFrame read_server_frame(std::string_view text) {
  boost::system::error_code ec;
  json::value frame = json::parse(text, ec);
  if (ec || !frame.is_object()) return std::monostate{};
  auto& o = frame.get_object();
  if (const auto* name = o.if_contains("event"); name && name->is_string()) {
    auto* data = o.if_contains("data");
    return ServerEvent{std::string(name->get_string()),
                       data && data->is_object() ? std::move(data->get_object()) : json::object{}};
  }
  const auto* id = o.if_contains("id");
  if (!id || !id->is_int64()) return std::monostate{};
  if (const auto* ok = o.if_contains("ok"); ok && ok->is_bool() && ok->get_bool()) {
    auto* data = o.if_contains("data");
    return ServerReply{id->get_int64(), data ? std::move(*data) : json::value(json::object{})};
  }
  const auto* error = o.if_contains("error");
  return ServerReply{id->get_int64(),
                     std::unexpected(error ? error_from_json(*error) : Error{ErrorCode::internal, "malformed reply"})};
}

}  // namespace parley::client
