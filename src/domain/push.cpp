#include "domain/push.hpp"

#include <algorithm>
#include <cctype>

#include "domain/limits.hpp"

namespace parley::domain {
namespace {

Result<void> invalid(std::string message) { return fail(ErrorCode::invalid_payload, std::move(message)); }

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// The host of an absolute http(s) URL: what follows "://" up to the port, path or query.
std::string_view host_of(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) return {};  // no credentials in a push URL
  if (rest.starts_with('[')) return rest.substr(0, rest.find(']') + 1);   // "[::1]"
  return rest.substr(0, rest.find(':'));
}

// 127.0.0.0/8 written as an address (not a name that merely starts so), ::1 or localhost.
bool is_loopback(std::string_view host) {
  const bool ipv4_loopback = host.starts_with("127.") && std::all_of(host.begin(), host.end(), [](char c) {
                               return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
                             });
  return ipv4_loopback || host == "localhost" || host == "[::1]";
}

Result<void> check_url(std::string_view field, std::string_view url, bool https_only) {
  if (url.empty() || url.size() > limits::kPushUrlMaxBytes)
    return invalid(std::string(field) + " must be a URL of at most " + std::to_string(limits::kPushUrlMaxBytes) +
                   " bytes");
  const bool https = starts_with_ci(url, "https://");
  const bool http = starts_with_ci(url, "http://");
  if ((!https && !http) || host_of(url).empty())
    return invalid(std::string(field) + " must be an absolute http or https URL");
  // A browser's push service is always reached over TLS. Plain http is let through for a push
  // service on this machine only: one a deployment's own test starts, which has no certificate.
  if (https_only && !https && !is_loopback(host_of(url)))
    return invalid(std::string(field) + " must be an https URL");
  return {};
}

// The length of what an unpadded (or '='-padded) base64url text decodes to; nullopt when it is
// not base64url.
std::optional<std::size_t> base64url_length(std::string_view text) {
  while (text.ends_with('=')) text.remove_suffix(1);
  const bool alphabet = std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!alphabet || text.size() % 4 == 1) return std::nullopt;
  return text.size() * 3 / 4;
}

Result<void> check_http(const PushTarget& t) {
  if (t.app_id.empty() || t.app_id.size() > limits::kPushAppIdMax)
    return invalid("app_id must be 1 to " + std::to_string(limits::kPushAppIdMax) + " characters");
  if (t.pushkey.empty() || t.pushkey.size() > limits::kPushKeyMaxBytes)
    return invalid("pushkey must be 1 to " + std::to_string(limits::kPushKeyMaxBytes) + " bytes");
  // Push gateways often run beside the server, inside the deployment's network: http is allowed.
  PARLEY_CHECK(check_url("url", t.url, false));
  if (!t.p256dh.empty() || !t.auth.empty()) return invalid("p256dh and auth belong to webpush targets");
  return {};
}

Result<void> check_webpush(const PushTarget& t) {
  PARLEY_CHECK(check_url("endpoint", t.pushkey, true));
  // An uncompressed P-256 point: 65 bytes, the first 0x04 (so its base64url starts with 'B').
  if (base64url_length(t.p256dh) != 65 || !t.p256dh.starts_with('B'))
    return invalid("p256dh must be the base64url of an uncompressed P-256 public key (65 bytes)");
  if (base64url_length(t.auth) != 16) return invalid("auth must be the base64url of a 16-byte secret");
  if (!t.app_id.empty() || !t.url.empty()) return invalid("app_id and url belong to http targets");
  return {};
}

}  // namespace

Result<void> validate_push_target(const PushTarget& target) {
  return target.kind == PushKind::http ? check_http(target) : check_webpush(target);
}

}  // namespace parley::domain
