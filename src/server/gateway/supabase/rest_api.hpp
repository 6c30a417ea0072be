#pragma once
// /rest/v1/: the part of Supabase's REST API (PostgREST's shape) that a Supabase app's
// `supabase.from('messages')` and `from('rooms')` use, served from Parley's own operations
// (docs/supabase.md, "REST API"). The HTTP session authenticates and writes; this decodes the
// request, calls operations, and encodes rows and PostgREST-shaped errors.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "server/gateway/operations.hpp"
#include "server/gateway/supabase/postgrest_error.hpp"

namespace parley::gateway::supabase {

inline constexpr std::string_view kRestPrefix = "/rest/v1/";

// What supabase-js sends from a browser, for the CORS preflight's Access-Control-Allow-Headers;
// and Content-Range, which it reads, for Access-Control-Expose-Headers.
inline constexpr std::string_view kCorsAllowHeaders =
    "Authorization, Content-Type, apikey, x-client-info, prefer, range, range-unit, accept-profile, content-profile";
inline constexpr std::string_view kCorsExposeHeaders = "Content-Range";

struct RestAnswer {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

using RestDone = std::function<void(RestAnswer)>;
using RestRequest = boost::beast::http::request<boost::beast::http::string_body>;

// The token a request carries: Authorization: Bearer <token>; without an Authorization header,
// the apikey header's value (supabase-js sends both, and the app is told to pass the user's
// access token as its key).
[[nodiscard]] Rest<std::string> rest_token(const RestRequest& request);

[[nodiscard]] RestAnswer error_answer(const PostgrestError& error);

// Serves an authenticated request under kRestPrefix; `done` runs once, on any thread.
// `operations` must outlive the answer.
void serve_rest(const Operations& operations, const service::Caller& caller, const RestRequest& request, RestDone done);

}  // namespace parley::gateway::supabase
