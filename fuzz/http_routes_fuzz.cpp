// Feeds an HTTP request line and a Content-Type, as "METHOD target\ncontent-type", to what the
// gateway routes a request with: match_route (the JSON routes, with their path and query
// parameters), match_media_route (the upload and download routes) and read_upload_declaration
// (what POST /v1/uploads declares of its file). Beyond "no crash", it checks that:
//  - no target is claimed by both a JSON route and a media route;
//  - a matched route names its operation, and its parameters are integers or strings;
//  - the same path with one trailing slash is routed the same;
//  - a declaration read has a name and a type, and dimensions that fit their types.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "server/gateway/http_routes.hpp"
#include "server/gateway/media_transfer.hpp"
#include "server/gateway/upload_declaration.hpp"

namespace {

using namespace parley;
using namespace parley::gateway;
using fuzz::require;

// The target with a slash after its path, or nothing when the path already ends with one or has
// escapes (an escaped "/" ends the decoded path while the written one does not).
std::string with_trailing_slash(std::string_view target) {
  const auto query = target.find('?');
  std::string out(target.substr(0, query));
  if (out.empty() || out.back() == '/' || out.find('%') != std::string::npos) return {};
  out += '/';
  if (query != std::string_view::npos) out += target.substr(query);
  return out;
}

void check_route(std::string_view method, std::string_view target) {
  const RouteMatch match = match_route(method, target);
  if (match_media_route(method, target) != MediaRoute::none)
    require(match.outcome == RouteMatch::Outcome::no_route, "a media route is no JSON route");
  if (match.outcome != RouteMatch::Outcome::matched) return;
  require(!match.op.empty(), "a matched route names its operation");
  for (const auto& [name, value] : match.params)
    require(value.is_int64() || value.is_string(), "a parameter is an integer or a string");
  if (const std::string again = with_trailing_slash(target); !again.empty()) {
    const RouteMatch slashed = match_route(method, again);
    require(slashed.outcome == match.outcome && slashed.op == match.op && slashed.params == match.params,
            "a trailing slash routes the same");
  }
}

void check_declaration(std::string_view target, std::string_view content_type) {
  auto declared = read_upload_declaration(target, content_type);
  if (!declared) {
    require(declared.error().code == ErrorCode::invalid_payload, "a bad declaration is an invalid payload");
    return;
  }
  require(!declared->mime_type.empty(), "a declaration has a type");
  require(!declared->width || *declared->width >= 0, "a width is not negative");
  require(!declared->height || *declared->height >= 0, "a height is not negative");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [method, rest] = fuzz::split_at(fuzz::as_text(data, size), ' ');
  const auto [target, content_type] = fuzz::split_at(rest, '\n');
  check_route(method, target);
  check_declaration(target, content_type);
  return 0;
}
