#pragma once
// Checked access to fields of JSON the server sent. A missing or wrongly typed field throws with
// the field's name and the whole object, so a failing test says what the server actually sent
// instead of Boost.JSON's bare "out of range".
#include <boost/json.hpp>

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace parley::test {

namespace json = boost::json;

[[noreturn]] inline void throw_bad_field(const json::object& o, std::string_view key,
                                         std::string_view wanted) {
  throw std::runtime_error("expected field \"" + std::string(key) + "\" to be " +
                           std::string(wanted) + " in " + json::serialize(o));
}

inline const json::value& get_field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) throw_bad_field(o, key, "present");
  return it->value();
}

inline bool has_field(const json::object& o, std::string_view key) { return o.contains(key); }

inline std::int64_t get_int(const json::object& o, std::string_view key) {
  const json::value& v = get_field(o, key);
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= INT64_MAX) return static_cast<std::int64_t>(v.get_uint64());
  throw_bad_field(o, key, "an integer");
}

inline std::string get_str(const json::object& o, std::string_view key) {
  const json::value& v = get_field(o, key);
  if (!v.is_string()) throw_bad_field(o, key, "a string");
  return std::string(v.get_string());
}

inline bool get_bool(const json::object& o, std::string_view key) {
  const json::value& v = get_field(o, key);
  if (!v.is_bool()) throw_bad_field(o, key, "a boolean");
  return v.get_bool();
}

inline const json::object& get_obj(const json::object& o, std::string_view key) {
  const json::value& v = get_field(o, key);
  if (!v.is_object()) throw_bad_field(o, key, "an object");
  return v.get_object();
}

inline const json::array& get_arr(const json::object& o, std::string_view key) {
  const json::value& v = get_field(o, key);
  if (!v.is_array()) throw_bad_field(o, key, "an array");
  return v.get_array();
}

// The elements of an array that must all be objects (messages, rooms, members).
inline const json::object& as_obj(const json::value& v) {
  if (!v.is_object()) throw std::runtime_error("expected a JSON object, got " + json::serialize(v));
  return v.get_object();
}

}  // namespace parley::test

// GoogleTest prints JSON in failure messages as JSON (found by argument-dependent lookup)
// instead of as the bytes of each element.
namespace boost::json {
inline void PrintTo(const value& v, std::ostream* os) { *os << serialize(v); }
inline void PrintTo(const object& o, std::ostream* os) { *os << serialize(o); }
inline void PrintTo(const array& a, std::ostream* os) { *os << serialize(a); }
}  // namespace boost::json
