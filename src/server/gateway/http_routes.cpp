#include "server/gateway/http_routes.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <charconv>
#include <vector>

namespace parley::gateway {

namespace json = boost::json;

namespace {

struct Route {
  std::string_view method;
  std::string_view pattern;  // "{name}" segments are parameters
  std::string_view op;
  unsigned success_status;
  RouteAuth auth;
};

constexpr auto N = RouteAuth::none;
constexpr auto U = RouteAuth::user;
constexpr auto K = RouteAuth::api_key;

constexpr std::array kRoutes{
    Route{"POST", "/v1/auth/register", "auth.register", 201, N},
    Route{"POST", "/v1/auth/login", "auth.login", 200, N},
    Route{"POST", "/v1/auth/refresh", "auth.refresh", 200, N},
    Route{"POST", "/v1/auth/logout", "auth.logout", 200, N},
    Route{"POST", "/v1/auth/password", "auth.password", 200, U},
    Route{"GET", "/v1/me", "me", 200, U},
    Route{"PATCH", "/v1/me", "me.update", 200, U},
    Route{"GET", "/v1/users/{username}", "users.get", 200, U},
    Route{"GET", "/v1/rooms", "rooms.list", 200, U},
    Route{"POST", "/v1/rooms", "rooms.create", 201, U},
    Route{"POST", "/v1/rooms/direct", "rooms.direct", 200, U},
    Route{"GET", "/v1/rooms/{room_id}", "rooms.get", 200, U},
    Route{"PATCH", "/v1/rooms/{room_id}", "rooms.rename", 200, U},
    Route{"POST", "/v1/rooms/{room_id}/leave", "rooms.leave", 200, U},
    Route{"GET", "/v1/rooms/{room_id}/members", "members.list", 200, U},
    Route{"POST", "/v1/rooms/{room_id}/members", "members.add", 200, U},
    Route{"PATCH", "/v1/rooms/{room_id}/members/{user_id}", "members.role", 200, U},
    Route{"DELETE", "/v1/rooms/{room_id}/members/{user_id}", "members.remove", 200, U},
    Route{"GET", "/v1/rooms/{room_id}/messages", "messages.history", 200, U},
    Route{"POST", "/v1/rooms/{room_id}/messages", "messages.send", 200, U},
    Route{"GET", "/v1/rooms/{room_id}/messages/{seq}/receipts", "messages.receipts", 200, U},
    Route{"GET", "/v1/rooms/{room_id}/messages/{seq}/reactions", "messages.reactions", 200, U},
    Route{"GET", "/v1/rooms/{room_id}/messages/{seq}/versions", "messages.versions", 200, U},
    Route{"GET", "/v1/search", "messages.search", 200, U},
    Route{"POST", "/v1/rooms/{room_id}/receipts", "receipts.mark", 200, U},
    Route{"PUT", "/v1/me/presence", "presence.set", 200, U},
    Route{"POST", "/v1/sync", "sync", 200, U},
    Route{"POST", "/v1/push/targets", "push.register", 200, U},
    Route{"GET", "/v1/push/targets", "push.list", 200, U},
    Route{"DELETE", "/v1/push/targets/{target_id}", "push.remove", 200, U},
    Route{"PUT", "/v1/rooms/{room_id}/mute", "rooms.mute", 200, U},
    Route{"GET", "/v1/push/webpush-key", "push.webpush_key", 200, U},
    // The server API (docs/server-api.md).
    Route{"POST", "/v1/server/users", "server.users.upsert", 200, K},
    Route{"POST", "/v1/server/users/{user_id}/revoke", "server.users.revoke", 200, K},
    Route{"GET", "/v1/server/presence", "server.presence", 200, K},
    Route{"POST", "/v1/server/rooms", "server.rooms.create", 201, K},
    Route{"POST", "/v1/server/rooms/direct", "server.rooms.direct", 200, K},
    Route{"POST", "/v1/server/rooms/{room_id}/members", "server.members.add", 200, K},
    Route{"PATCH", "/v1/server/rooms/{room_id}/members/{user_id}", "server.members.role", 200, K},
    Route{"DELETE", "/v1/server/rooms/{room_id}/members/{user_id}", "server.members.remove", 200, K},
    Route{"POST", "/v1/server/rooms/{room_id}/messages", "server.messages.send", 200, K},
    Route{"GET", "/v1/server/rooms/{room_id}/messages", "server.messages.history", 200, K},
    Route{"GET", "/v1/server/search", "server.messages.search", 200, K},
    Route{"GET", "/v1/server/webhooks/deliveries", "server.webhooks.deliveries", 200, K},
    Route{"POST", "/v1/server/webhooks/deliveries/{delivery_id}/redeliver", "server.webhooks.redeliver", 200, K},
};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Numbers become JSON integers so that operations read them as they read WebSocket fields;
// anything else stays a string and fails the operation's type check with a clear message.
// Query-string parameters that are text even when they look like a number: a search for "2024"
// searches for the word, and a cursor is opaque.
constexpr std::array<std::string_view, 2> kTextParameters{"query", "cursor"};

json::value parameter_value(std::string_view text) {
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc{} && end == text.data() + text.size() && !text.empty()) return number;
  return json::string(text);
}

bool match_path(std::string_view pattern, const std::vector<std::string_view>& segments, json::object& params) {
  auto parts = split_path(pattern);
  if (parts.size() != segments.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].starts_with('{')) {
      if (segments[i].empty()) return false;
      params[parts[i].substr(1, parts[i].size() - 2)] = parameter_value(segments[i]);
    } else if (parts[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

RouteMatch match_route(std::string_view method, std::string_view target) {
  RouteMatch result;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return result;
  std::string path = url->path();  // percent-decoded
  if (path.size() > 1 && path.back() == '/') path.pop_back();
  auto segments = split_path(path);
  for (const auto& route : kRoutes) {
    json::object params;
    if (!match_path(route.pattern, segments, params)) continue;
    if (route.method != method) {
      result.outcome = RouteMatch::Outcome::wrong_method;
      continue;
    }
    for (auto param : url->params()) {
      if (params.contains(param.key)) continue;
      const bool text = std::find(kTextParameters.begin(), kTextParameters.end(), param.key) != kTextParameters.end();
      params[param.key] = text ? json::value(json::string(param.value)) : parameter_value(param.value);
    }
    result = RouteMatch{RouteMatch::Outcome::matched, route.op, route.success_status, route.auth, std::move(params)};
    return result;
  }
  return result;
}

}  // namespace parley::gateway
