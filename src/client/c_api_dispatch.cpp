#include "client/c_api_dispatch.hpp"

#include <boost/json/parse.hpp>
#include <exception>

#include "client/log.hpp"

namespace json = boost::json;

namespace parley::c_api {

Request parse_request(const char* request_json) {
  Request out;
  boost::system::error_code ec;
  json::value parsed = json::parse(request_json ? request_json : "", ec);
  if (ec || !parsed.is_object()) {
    out.refused = Error{ErrorCode::malformed_json, "a request must be a JSON object with a \"type\""};
    return out;
  }
  out.fields = std::move(parsed.get_object());
  if (const auto* extra = out.fields.if_contains("@extra")) out.extra = *extra;
  const auto* type = out.fields.if_contains("type");
  if (!type) {
    out.refused = Error{ErrorCode::invalid_payload, "\"type\" is required (a string)"};
  } else if (!type->is_string()) {
    out.refused = Error{ErrorCode::invalid_payload, "\"type\" must be a string"};
  } else if (out.kind = find_request(type->get_string()); !out.kind) {
    out.refused = Error{ErrorCode::unknown_op, "unknown request type \"" + std::string(type->get_string()) + "\""};
  }
  return out;
}

Result<json::value> run_request(Client& sdk, const Request& request, const RequestContext& context) {
  try {
    if (request.refused) return std::unexpected(*request.refused);
    return request.kind->run(sdk, Fields(request.fields), context);
  } catch (const std::exception& e) {
    client::log(client::LogLevel::error, std::string("a request failed inside the SDK: ") + e.what());
    return fail(ErrorCode::internal, std::string("the SDK failed: ") + e.what());
  } catch (...) {
    return fail(ErrorCode::internal, "the SDK failed");
  }
}

}  // namespace parley::c_api
