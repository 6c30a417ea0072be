#include "client/c_api_answer.hpp"

#include <cstdlib>
#include <cstring>

namespace json = boost::json;

namespace parley::c_api {

json::object error_json(const Error& e) {
  return {{"kind", to_string(e.kind())}, {"code", to_string(e.code)}, {"message", e.message}};
}

json::object answer_json(Result<json::value> result, const json::value* extra, bool as_update) {
  json::object out;
  if (as_update) {
    out["type"] = "answer";
    out["@extra"] = extra ? *extra : json::value(nullptr);
  }
  out["ok"] = result.has_value();
  if (result) out["data"] = std::move(*result);
  else out["error"] = error_json(result.error());
  if (!as_update && extra) out["@extra"] = *extra;
  return out;
}

char* copy_out(const std::string& text) noexcept {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

char* internal_error_out(const char* what) noexcept {
  static constexpr char kHead[] = R"({"ok":false,"error":{"kind":"server","code":"internal","message":")";
  static constexpr char kTail[] = R"("}})";
  // `what` comes from an exception; only plain characters go into the JSON string.
  char message[128];
  std::size_t n = 0;
  for (const char* p = what ? what : "internal error"; *p && n + 1 < sizeof message; ++p)
    message[n++] = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? *p : '?';
  message[n] = '\0';
  const std::size_t size = sizeof kHead - 1 + n + sizeof kTail;
  char* out = static_cast<char*>(std::malloc(size));
  if (!out) return nullptr;
  std::memcpy(out, kHead, sizeof kHead - 1);
  std::memcpy(out + sizeof kHead - 1, message, n);
  std::memcpy(out + sizeof kHead - 1 + n, kTail, sizeof kTail);
  return out;
}

}  // namespace parley::c_api
