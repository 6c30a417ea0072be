#pragma once
// One HTTP/1.1 request to parleyd on loopback, one connection each, bounded in time.
// A connection failure or a timeout throws; any HTTP status is a normal answer.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::test {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string target;                 // path and query, e.g. "/v1/rooms/3/messages?limit=10"
  std::string body;                   // sent as application/json when not empty
  std::optional<std::string> bearer;  // access token for Authorization: Bearer
  HttpHeaders headers;                // extra or overriding headers
  std::chrono::milliseconds timeout = std::chrono::seconds(20);
};

struct HttpResponse {
  int status = 0;
  std::string body;
  boost::json::value json;                     // null when the body is not JSON
  std::map<std::string, std::string> headers;  // names in lower case

  // The header's value, or "" when absent. `name` is matched case-insensitively.
  [[nodiscard]] std::string header(std::string_view name) const;
  // The body as an object; throws (with the body) when it is not a JSON object.
  [[nodiscard]] const boost::json::object& object() const;
};

[[nodiscard]] HttpResponse send_http(int port, const HttpRequest& request);

// Writes `raw` (a request's header, and as much of its body as the test wants) exactly as given,
// then reads one response: for requests a well-behaved client would not send, such as a
// Content-Length whose body never comes.
[[nodiscard]] HttpResponse send_raw_http(int port, std::string_view raw,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

[[nodiscard]] HttpResponse http_request(int port, std::string_view method, std::string_view target,
                                        std::string_view body = {},
                                        std::optional<std::string> bearer = std::nullopt,
                                        HttpHeaders extra_headers = {});

// The same with a JSON object as the body.
[[nodiscard]] HttpResponse http_json(int port, std::string_view method, std::string_view target,
                                     const boost::json::object& body,
                                     std::optional<std::string> bearer = std::nullopt);

}  // namespace parley::test
