#include "server/gateway/supabase/rest_api.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "server/gateway/supabase/message_insert.hpp"
#include "server/gateway/supabase/message_pages.hpp"
#include "server/gateway/supabase/postgrest_query.hpp"
#include "server/gateway/supabase/room_rows.hpp"

namespace parley::gateway::supabase {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

constexpr std::string_view kSingleObject = "application/vnd.pgrst.object+json";
constexpr std::string_view kServedTables = "Parley serves the tables messages and rooms";
constexpr std::string_view kServedMethods =
    "Parley serves GET, HEAD and POST on /rest/v1/messages and GET and HEAD on /rest/v1/rooms";

enum class Shape { array, single };

PostgrestError unknown_table(std::string_view name) {
  return PostgrestError{.status = 404,
                        .code = "PGRST205",
                        .message = "Could not find the table 'public." + std::string(name) + "' in the schema cache",
                        .hint = std::string(kServedTables)};
}

PostgrestError wrong_method(std::string_view method, std::string_view table) {
  return PostgrestError{.status = 405,
                        .code = "PGRST117",
                        .message = "Unsupported HTTP method: " + std::string(method) + " on " + std::string(table),
                        .hint = std::string(kServedMethods)};
}

// Supabase's tables live in the schema `public`; a client asking for another is told so.
Rest<void> check_profiles(const RestRequest& request) {
  for (std::string_view header : {"Accept-Profile", "Content-Profile"}) {
    const auto schema = request[header];
    if (!schema.empty() && schema != "public")
      return std::unexpected(PostgrestError{.status = 406,
                                            .code = "PGRST106",
                                            .message = "The schema must be one of the following: public",
                                            .details = std::string(header) + ": " + std::string(schema)});
  }
  return {};
}

// An array of rows, or with .single() one object (PostgREST's vnd.pgrst.object+json). CSV and
// the other media types PostgREST offers are not served.
Rest<Shape> accepted_shape(std::string_view accept) {
  if (accept.find(kSingleObject) != std::string_view::npos) return Shape::single;
  if (accept.empty() || accept.find("application/json") != std::string_view::npos ||
      accept.find("*/*") != std::string_view::npos)
    return Shape::array;
  return std::unexpected(PostgrestError{.status = 406,
                                        .code = "PGRST107",
                                        .message = "None of these media types are available: " + std::string(accept),
                                        .hint = "Parley answers application/json and application/vnd.pgrst.object+json"});
}

RestAnswer rows_answer(unsigned status, const std::vector<json::object>& rows, Shape shape,
                       std::optional<std::string> range) {
  RestAnswer answer{.status = status};
  if (range) answer.headers.emplace_back("Content-Range", std::move(*range));
  if (shape == Shape::single) {
    if (rows.size() != 1) {
      auto refused = error_answer(PostgrestError{.status = 406,
                                                 .code = "PGRST116",
                                                 .message = "Cannot coerce the result to a single JSON object",
                                                 .details = "The result contains " + std::to_string(rows.size()) + " rows"});
      refused.headers.insert(refused.headers.begin(), answer.headers.begin(), answer.headers.end());
      return refused;
    }
    answer.body = json::serialize(rows.front());
    return answer;
  }
  json::array list;
  list.reserve(rows.size());
  for (const auto& row : rows) list.push_back(row);
  answer.body = json::serialize(list);
  return answer;
}

// Unwraps a Rest<T> into `name`, or answers its error and returns.
#define PARLEY_REST(name, expr)                                      \
  auto name = (expr);                                                \
  if (!name) return done(error_answer(name.error()))

void read_message_rows(const Operations& operations, const service::Caller& caller, const RestRequest& request,
                       std::string_view query_text, Shape shape, RestDone done) {
  PARLEY_REST(query, parse_read_query(query_text, messages_table()));
  PARLEY_REST(ranged, apply_range(*query, request[http::field::range], request["Range-Unit"]));
  PARLEY_REST(window, message_window(*query));
  PARLEY_REST(prefer, parse_prefer(request["Prefer"]));
  read_messages(operations, caller, *window,
                [&operations, caller, done = std::move(done), columns = query->columns, window = *window,
                 count = prefer->count, shape](Rest<std::vector<json::object>> rows) {
                  if (!rows) return done(error_answer(rows.error()));
                  for (auto& row : *rows) row = project(row, columns);
                  if (!count) return done(rows_answer(200, *rows, shape, content_range(window.offset, rows->size())));
                  // The count is the window's width up to the room's newest seq (seq is gapless).
                  operations.call("rooms.get", caller, json::object{{"room_id", window.room_id}},
                                  [done, window, rows = std::move(*rows), shape](Result<json::value> room) {
                                    if (!room) return done(error_answer(from_parley(room.error())));
                                    const auto last_seq = room->as_object().at("last_seq").to_number<std::int64_t>();
                                    done(rows_answer(200, rows, shape,
                                                     content_range(window.offset, rows.size(), messages_in_window(window, last_seq))));
                                  });
                });
}

void insert_message_rows(const Operations& operations, const service::Caller& caller, const RestRequest& request,
                         std::string_view query_text, Shape shape, RestDone done) {
  PARLEY_REST(select, parse_write_query(query_text, messages_table()));
  PARLEY_REST(prefer, parse_prefer(request["Prefer"]));
  PARLEY_REST(sends, insert_params(request.body(), caller.user));
  insert_messages(operations, caller, std::move(*sends),
                  [done = std::move(done), columns = std::move(*select), returned = prefer->returned,
                   shape](Rest<std::vector<json::object>> rows) {
                    if (!rows) return done(error_answer(rows.error()));
                    // supabase-js's insert without .select() asks for return=minimal: no body.
                    if (returned != ReturnPreference::representation) return done(RestAnswer{.status = 201});
                    for (auto& row : *rows) row = project(row, columns);
                    done(rows_answer(201, *rows, shape, std::nullopt));
                  });
}

void read_room_rows(const Operations& operations, const service::Caller& caller, const RestRequest& request,
                    std::string_view query_text, Shape shape, RestDone done) {
  PARLEY_REST(query, parse_read_query(query_text, rooms_table()));
  PARLEY_REST(ranged, apply_range(*query, request[http::field::range], request["Range-Unit"]));
  PARLEY_REST(prefer, parse_prefer(request["Prefer"]));
  operations.call("rooms.list", caller, json::object{},
                  [done = std::move(done), query = std::move(*query), count = prefer->count,
                   shape](Result<json::value> listed) {
                    if (!listed) return done(error_answer(from_parley(listed.error())));
                    std::vector<json::object> rows;
                    for (const auto& room : listed->as_object().at("rooms").as_array())
                      rows.push_back(room_row(room.as_object()));
                    auto selected = select_rooms(std::move(rows), query);
                    if (!selected) return done(error_answer(selected.error()));
                    const auto total = count ? std::optional(selected->matched) : std::nullopt;
                    done(rows_answer(200, selected->rows, shape, content_range(query.offset, selected->rows.size(), total)));
                  });
}

#undef PARLEY_REST

}  // namespace

Rest<std::string> rest_token(const RestRequest& request) {
  constexpr std::string_view kBearer = "Bearer ";
  const auto authorization = request[http::field::authorization];
  if (authorization.size() > kBearer.size() && authorization.starts_with(kBearer))
    return std::string(authorization.substr(kBearer.size()));
  const auto apikey = request["apikey"];
  if (authorization.empty() && !apikey.empty()) return std::string(apikey);
  return std::unexpected(PostgrestError{.status = 401,
                                        .code = "PGRST301",
                                        .message = "No access token: send Authorization: Bearer <access token>",
                                        .details = "unauthorized",
                                        .hint = "the apikey header is read as the token when there is no Authorization header"});
}

RestAnswer error_answer(const PostgrestError& error) {
  RestAnswer answer{.status = error.status, .body = json::serialize(error.body())};
  if (error.retry_after_ms > 0) answer.headers.emplace_back("Retry-After", std::to_string((error.retry_after_ms + 999) / 1000));
  if (error.status == 401) answer.headers.emplace_back("WWW-Authenticate", "Bearer");
  return answer;
}

void serve_rest(const Operations& operations, const service::Caller& caller, const RestRequest& request, RestDone done) {
  auto url = boost::urls::parse_origin_form(request.target());
  if (!url) return done(error_answer(bad_query("the request target cannot be read")));
  const std::string path = url->path();
  const std::string_view table = std::string_view(path).substr(std::min(path.size(), kRestPrefix.size()));
  if (table.starts_with("rpc/"))
    return done(error_answer(PostgrestError{.status = 404,
                                            .code = "PGRST202",
                                            .message = "Could not find the function public." + std::string(table.substr(4)),
                                            .hint = "Parley serves no functions; " + std::string(kServedTables)}));
  if (table != "messages" && table != "rooms") return done(error_answer(unknown_table(table)));
  if (auto profiles = check_profiles(request); !profiles) return done(error_answer(profiles.error()));
  auto shape = accepted_shape(request[http::field::accept]);
  if (!shape) return done(error_answer(shape.error()));
  const auto encoded_query = url->encoded_query();
  const std::string_view query(encoded_query.data(), encoded_query.size());
  // HEAD is GET without the body: supabase-js's select(..., {count: 'exact', head: true}).
  const bool head = request.method() == http::verb::head;
  const auto method = head ? http::verb::get : request.method();
  if (head)
    done = [whole = std::move(done)](RestAnswer answer) {
      answer.body.clear();
      whole(std::move(answer));
    };
  if (table == "messages" && method == http::verb::get)
    return read_message_rows(operations, caller, request, query, *shape, std::move(done));
  if (table == "messages" && method == http::verb::post)
    return insert_message_rows(operations, caller, request, query, *shape, std::move(done));
  if (table == "rooms" && method == http::verb::get)
    return read_room_rows(operations, caller, request, query, *shape, std::move(done));
  auto refused = error_answer(wrong_method(request.method_string(), table));
  refused.headers.emplace_back("Allow", table == "messages" ? "GET, HEAD, POST" : "GET, HEAD");
  done(std::move(refused));
}

}  // namespace parley::gateway::supabase
