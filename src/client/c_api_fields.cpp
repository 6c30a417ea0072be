#include "client/c_api_fields.hpp"

#include "core/error.hpp"

namespace json = boost::json;

namespace parley::c_api {

namespace {

std::string quoted(std::string_view key) { return "\"" + std::string(key) + "\""; }

const char* type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "something else";
}

std::unexpected<Error> missing(std::string_view key, const char* wanted) {
  return fail(ErrorCode::invalid_payload, quoted(key) + " is required (" + wanted + ")");
}

std::unexpected<Error> mistyped(std::string_view key, const char* wanted, const json::value& v) {
  return fail(ErrorCode::invalid_payload, quoted(key) + " must be " + wanted + ", not " + type_name(v));
}

// Integers only: 3.0 or 1e3 is refused rather than rounded, as a mistake in the caller's code.
std::optional<std::int64_t> as_integer(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

const json::value* present(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

// `shown` is the field's name in an error: "attachment.size" for a field of a nested object.
Result<std::optional<std::string>> optional_text_of(const json::object& o, std::string_view key, std::string_view shown) {
  const auto* v = present(o, key);
  if (!v) return std::optional<std::string>{};
  if (!v->is_string()) return mistyped(shown, "a string", *v);
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<std::int64_t>> optional_integer_of(const json::object& o, std::string_view key,
                                                       std::string_view shown) {
  const auto* v = present(o, key);
  if (!v) return std::optional<std::int64_t>{};
  auto n = as_integer(*v);
  if (!n) return mistyped(shown, "an integer", *v);
  return n;
}

}  // namespace

Result<std::string> Fields::text(std::string_view key) const {
  const auto* v = request_.if_contains(key);
  if (!v) return missing(key, "a string");
  if (!v->is_string()) return mistyped(key, "a string", *v);
  return std::string(v->get_string());
}

Result<std::optional<std::string>> Fields::optional_text(std::string_view key) const {
  return optional_text_of(request_, key, key);
}

Result<std::int64_t> Fields::integer(std::string_view key) const {
  const auto* v = request_.if_contains(key);
  if (!v) return missing(key, "an integer");
  auto n = as_integer(*v);
  if (!n) return mistyped(key, "an integer", *v);
  return *n;
}

Result<std::optional<std::int64_t>> Fields::optional_integer(std::string_view key) const {
  return optional_integer_of(request_, key, key);
}

Result<std::int64_t> Fields::id(std::string_view key) const {
  PARLEY_TRY(n, integer(key));
  if (n <= 0) return fail(ErrorCode::invalid_payload, quoted(key) + " must be an id above 0");
  return n;
}

Result<RoomId> Fields::room_id() const {
  PARLEY_TRY(n, id("room_id"));
  return RoomId{n};
}

Result<UserId> Fields::user_id() const {
  PARLEY_TRY(n, id("user_id"));
  return UserId{n};
}

Result<std::vector<UserId>> Fields::user_ids(std::string_view key) const {
  std::vector<UserId> out;
  const auto* v = present(request_, key);
  if (!v) return out;
  if (!v->is_array()) return mistyped(key, "an array of user ids", *v);
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    auto n = as_integer(v->get_array()[i]);
    if (!n || *n <= 0)
      return fail(ErrorCode::invalid_payload, quoted(key) + " must hold user ids (integers above 0); item " +
                                                  std::to_string(i) + " is not one");
    out.push_back(UserId{*n});
  }
  return out;
}

Result<std::optional<Attachment>> Fields::attachment(std::string_view key) const {
  const auto* v = present(request_, key);
  if (!v) return std::optional<Attachment>{};
  if (!v->is_object()) return mistyped(key, "an object", *v);
  const auto& o = v->get_object();
  const std::string prefix = std::string(key) + ".";
  auto named = [&](std::string_view field) { return prefix + std::string(field); };
  Attachment a;
  const auto* upload = o.if_contains("upload_id");
  if (!upload) return missing(named("upload_id"), "a string");
  if (!upload->is_string()) return mistyped(named("upload_id"), "a string", *upload);
  a.upload_id = std::string(upload->get_string());
  PARLEY_TRY(name, optional_text_of(o, "name", named("name")));
  PARLEY_TRY(mime_type, optional_text_of(o, "mime_type", named("mime_type")));
  PARLEY_TRY(size, optional_integer_of(o, "size", named("size")));
  PARLEY_TRY(width, optional_integer_of(o, "width", named("width")));
  PARLEY_TRY(height, optional_integer_of(o, "height", named("height")));
  PARLEY_TRY(duration, optional_integer_of(o, "duration_ms", named("duration_ms")));
  a.name = name.value_or("");
  a.mime_type = mime_type.value_or("");
  a.size = size.value_or(0);
  if (width) a.width = static_cast<std::int32_t>(*width);
  if (height) a.height = static_cast<std::int32_t>(*height);
  a.duration_ms = duration;
  return std::optional<Attachment>(std::move(a));
}

}  // namespace parley::c_api
