#include "protocol/fields.hpp"

namespace parley::protocol {

namespace json = boost::json;

namespace {

// JSON numbers that are whole, whatever their representation (1, 1.0), within int64.
std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {
    double d = v.get_double();
    // The range first: converting a double outside int64 (1e300) is undefined behaviour.
    if (d > -9.2e18 && d < 9.2e18 && d == static_cast<double>(static_cast<std::int64_t>(d)))
      return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

Error Fields::wrong_type(std::string_view name, std::string_view expected) const {
  return Error{ErrorCode::invalid_payload, prefix_ + std::string(name) + " must be " + std::string(expected)};
}

Error Fields::missing(std::string_view name) const {
  return Error{ErrorCode::invalid_payload, prefix_ + std::string(name) + " is required"};
}

bool Fields::has(std::string_view name) const {
  const auto* v = object_.if_contains(name);
  return v && !v->is_null();
}

Result<std::string> Fields::required_string(std::string_view name) const {
  auto v = optional_string(name);
  if (!v) return std::unexpected(v.error());
  if (!*v) return std::unexpected(missing(name));
  return std::move(**v);
}

Result<std::optional<std::string>> Fields::optional_string(std::string_view name) const {
  const auto* v = object_.if_contains(name);
  if (!v || v->is_null()) return std::optional<std::string>{};
  if (!v->is_string()) return std::unexpected(wrong_type(name, "a string"));
  return std::optional<std::string>{std::string(v->get_string())};
}

Result<std::int64_t> Fields::required_int(std::string_view name) const {
  auto v = optional_int(name);
  if (!v) return std::unexpected(v.error());
  if (!*v) return std::unexpected(missing(name));
  return **v;
}

Result<std::optional<std::int64_t>> Fields::optional_int(std::string_view name) const {
  const auto* v = object_.if_contains(name);
  if (!v || v->is_null()) return std::optional<std::int64_t>{};
  auto i = as_int(*v);
  if (!i) return std::unexpected(wrong_type(name, "an integer"));
  return std::optional<std::int64_t>{*i};
}

Result<bool> Fields::required_bool(std::string_view name) const {
  const auto* v = object_.if_contains(name);
  if (!v || v->is_null()) return std::unexpected(missing(name));
  if (!v->is_bool()) return std::unexpected(wrong_type(name, "true or false"));
  return v->get_bool();
}

Result<std::vector<std::int64_t>> Fields::optional_int_list(std::string_view name) const {
  std::vector<std::int64_t> out;
  const auto* v = object_.if_contains(name);
  if (!v || v->is_null()) return out;
  const auto* arr = v->if_array();
  if (!arr) return std::unexpected(wrong_type(name, "an array of integers"));
  for (const auto& item : *arr) {
    auto i = as_int(item);
    if (!i) return std::unexpected(wrong_type(name, "an array of integers"));
    out.push_back(*i);
  }
  return out;
}

}  // namespace parley::protocol
