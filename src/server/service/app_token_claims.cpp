#include "server/service/app_token_claims.hpp"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/limits.hpp"

namespace parley::service {
namespace {

namespace json = boost::json;

// An external id longer than this is refused: it is stored, indexed and logged.
constexpr std::size_t kMaxExternalIdBytes = 255;

[[nodiscard]] const json::value* claim_at(const json::object& claims, std::string_view path) {
  const json::object* object = &claims;
  while (true) {
    const auto dot = path.find('.');
    const json::value* value = object->if_contains(path.substr(0, dot));
    if (!value || dot == std::string_view::npos) return value;
    if (!value->is_object()) return nullptr;
    object = &value->get_object();
    path.remove_prefix(dot + 1);
  }
}

// A string claim as is, an integer one written out (some providers number their users); else empty.
[[nodiscard]] std::string text_claim(const json::object& claims, std::string_view path) {
  if (path.empty()) return {};
  const json::value* value = claim_at(claims, path);
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  return {};
}

[[nodiscard]] std::optional<std::int64_t> time_claim(const json::object& claims, std::string_view name) {
  const json::value* value = claims.if_contains(name);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(value->get_uint64(), INT64_MAX));
  // A time as a double (1.7e9) is read whole; one beyond int64's range, or not finite, is no
  // time at all: converting it would be undefined behaviour, and the token is refused.
  if (value->is_double()) {
    const double seconds = value->get_double();
    if (!std::isfinite(seconds) || seconds < -9.2e18 || seconds > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(seconds);
  }
  return std::nullopt;
}

[[nodiscard]] bool audience_matches(const json::value* aud, std::string_view audience) {
  if (!aud) return false;
  if (aud->is_string()) return aud->get_string() == audience;
  if (!aud->is_array()) return false;
  const auto& list = aud->get_array();
  return std::any_of(list.begin(), list.end(), [&](const json::value& v) { return v.is_string() && v.get_string() == audience; });
}

// `text` cut to at most `max` bytes without splitting a UTF-8 character.
[[nodiscard]] std::string cut_utf8(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

[[nodiscard]] bool blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

}  // namespace

Result<AppUser> check_app_claims(const json::object& claims, const AppClaimRules& rules, std::int64_t now_s,
                                 Expiry expiry) {
  // The leeway moves `now`, never the token's times: those may be anywhere in int64's range,
  // and adding to them could overflow.
  const std::int64_t leeway = rules.leeway.count();
  const auto exp = time_claim(claims, "exp");
  if (!exp) return fail(ErrorCode::unauthorized, "the access token has no expiry (exp)");
  if (expiry == Expiry::enforced && *exp <= now_s - leeway)
    return fail(ErrorCode::unauthorized, "the access token has expired");
  if (const auto nbf = time_claim(claims, "nbf"); nbf && *nbf > now_s + leeway)
    return fail(ErrorCode::unauthorized, "the access token is not valid yet (nbf)");
  if (const auto iat = time_claim(claims, "iat"); iat && *iat > now_s + leeway)
    return fail(ErrorCode::unauthorized, "the access token was issued in the future (iat)");
  if (!rules.issuer.empty() && text_claim(claims, "iss") != rules.issuer)
    return fail(ErrorCode::unauthorized, "the access token's issuer (iss) is not " + rules.issuer);
  if (!rules.audience.empty() && !audience_matches(claims.if_contains("aud"), rules.audience))
    return fail(ErrorCode::unauthorized, "the access token is not meant for this audience (aud): " + rules.audience);

  AppUser user;
  user.external_id = text_claim(claims, rules.user_id_claim);
  if (user.external_id.empty())
    return fail(ErrorCode::unauthorized, "the access token names no user (claim " + rules.user_id_claim + ")");
  if (user.external_id.size() > kMaxExternalIdBytes)
    return fail(ErrorCode::unauthorized, "the access token's user id is longer than 255 bytes");
  if (!rules.username_claim.empty()) {
    user.username = text_claim(claims, rules.username_claim);
  } else {
    user.username = text_claim(claims, "preferred_username");
    if (user.username.empty()) {
      const std::string email = text_claim(claims, "email");
      user.username = email.substr(0, email.find('@'));
    }
  }
  if (user.username.empty()) user.username = user.external_id;
  user.display_name = text_claim(claims, rules.display_name_claim.empty() ? "name" : rules.display_name_claim);
  user.display_name = cut_utf8(std::move(user.display_name), domain::limits::kDisplayNameMaxBytes);
  if (blank(user.display_name)) user.display_name.clear();  // the username stands in for it
  return user;
}

}  // namespace parley::service
