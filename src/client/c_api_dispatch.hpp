#pragma once
// From a request's JSON text to its answer: parse, find the type, run it.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>

#include <parley/client.hpp>

#include "client/c_api_requests.hpp"

namespace parley::c_api {

struct Request {
  boost::json::object fields;
  std::optional<boost::json::value> extra;  // the request's "@extra", when it has one
  const RequestKind* kind = nullptr;
  std::optional<Error> refused;  // not JSON, no type, or an unknown type: answered with this
};

[[nodiscard]] Request parse_request(const char* request_json);

// Runs an accepted request; an exception from the SDK becomes the error internal.
[[nodiscard]] Result<boost::json::value> run_request(Client& sdk, const Request& request,
                                                     const RequestContext& context);

}  // namespace parley::c_api
