#include "client/c_api_options.hpp"

#include <boost/json/parse.hpp>

#include "client/c_api_fields.hpp"
#include "core/error.hpp"

namespace json = boost::json;

namespace parley::c_api {

namespace {

Result<std::optional<std::chrono::milliseconds>> duration_of(const Fields& f, std::string_view key) {
  PARLEY_TRY(ms, f.optional_integer(key));
  if (!ms) return std::optional<std::chrono::milliseconds>{};
  if (*ms <= 0) return fail(ErrorCode::invalid_payload, "\"" + std::string(key) + "\" must be above 0");
  return std::optional(std::chrono::milliseconds(*ms));
}

}  // namespace

Result<OpenOptions> parse_open_options(const char* options_json) {
  boost::system::error_code ec;
  json::value parsed = json::parse(options_json ? options_json : "", ec);
  if (ec || !parsed.is_object()) return fail(ErrorCode::malformed_json, "the options must be a JSON object");
  const Fields f(parsed.get_object());
  OpenOptions out;
  PARLEY_TRY(server, f.text("server"));
  PARLEY_TRY(data_dir, f.text("data_dir"));
  out.client.server = std::move(server);
  out.client.data_dir = std::move(data_dir);
  PARLEY_TRY(request_timeout, duration_of(f, "request_timeout_ms"));
  PARLEY_TRY(reconnect_min, duration_of(f, "reconnect_min_ms"));
  PARLEY_TRY(reconnect_max, duration_of(f, "reconnect_max_ms"));
  if (request_timeout) out.client.request_timeout = *request_timeout;
  if (reconnect_min) out.client.reconnect_min = *reconnect_min;
  if (reconnect_max) out.client.reconnect_max = *reconnect_max;
  PARLEY_TRY(max_update_bytes, f.optional_integer("max_update_bytes"));
  if (max_update_bytes && *max_update_bytes <= 0)
    return fail(ErrorCode::invalid_payload, "\"max_update_bytes\" must be above 0");
  if (max_update_bytes) out.max_update_bytes = static_cast<std::size_t>(*max_update_bytes);
  PARLEY_TRY(ca_file, f.optional_text("ca_file"));
  if (ca_file) out.client.ca_file = std::move(*ca_file);
  return out;
}

}  // namespace parley::c_api
