#include "server/gateway/upload_declaration.hpp"

#include <boost/url/parse.hpp>
#include <algorithm>
#include <charconv>
#include <limits>

namespace parley::gateway {
namespace {

// A whole decimal number, or an invalid_payload naming the parameter.
Result<std::int64_t> integer_parameter(std::string_view name, std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return fail(ErrorCode::invalid_payload, std::string(name) + " must be a whole number");
  return value;
}

}  // namespace

Result<service::UploadDeclaration> read_upload_declaration(std::string_view target, std::string_view content_type) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return fail(ErrorCode::invalid_payload, "the request target is not a valid URL");
  service::UploadDeclaration d;
  d.mime_type = std::string(content_type);
  if (d.mime_type.empty()) return fail(ErrorCode::invalid_payload, "send the file's type as Content-Type");
  bool named = false;
  for (auto param : url->params()) {
    if (param.key == "name") {
      d.name = param.value;
      named = true;
    } else if (param.key == "width" || param.key == "height" || param.key == "duration_ms") {
      PARLEY_TRY(value, integer_parameter(param.key, param.value));
      // The service checks the ranges; this only keeps the values inside their types.
      if (param.key == "duration_ms")
        d.duration_ms = value;
      else
        (param.key == "width" ? d.width : d.height) =
            static_cast<std::int32_t>(std::clamp<std::int64_t>(value, 0, std::numeric_limits<std::int32_t>::max()));
    }
  }
  if (!named) return fail(ErrorCode::invalid_payload, "the query parameter name is required");
  return d;
}

}  // namespace parley::gateway
