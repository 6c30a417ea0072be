#pragma once
// The HTTP routes (docs/protocol.md, "HTTP routes"): each maps to an operation, with its path
// and query parameters turned into the operation's fields.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace parley::gateway {

// Who may call a route: anyone, a user with an access token, or the app's backend with an API
// key (the server API, /v1/server/...). Neither credential works where the other is asked for.
enum class RouteAuth { none, user, api_key };

struct RouteMatch {
  enum class Outcome { matched, wrong_method, no_route };
  Outcome outcome = Outcome::no_route;
  std::string_view op;
  unsigned success_status = 200;
  RouteAuth auth = RouteAuth::user;
  boost::json::object params;  // path parameters and query parameters
};

// `target` is the request target, path and query, e.g. "/v1/rooms/3/messages?limit=20".
[[nodiscard]] RouteMatch match_route(std::string_view method, std::string_view target);

}  // namespace parley::gateway
