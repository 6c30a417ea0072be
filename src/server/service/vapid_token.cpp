#include "server/service/vapid_token.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

#include "server/service/jwt_parts.hpp"

namespace parley::service {
namespace {

[[nodiscard]] std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

[[nodiscard]] bool is_loopback_host(std::string_view host_and_port) {
  std::string_view host = host_and_port;
  if (host.starts_with('[')) {
    host = host.substr(0, host.find(']') + 1);
  } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "[::1]" || host.starts_with("127.");
}

}  // namespace

Result<std::string> push_endpoint_origin(std::string_view endpoint) {
  const auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos)
    return fail(ErrorCode::invalid_payload, "a push endpoint is an absolute https URL");
  const std::string scheme = lower(endpoint.substr(0, scheme_end));
  std::string_view rest = endpoint.substr(scheme_end + 3);
  const std::string authority = lower(rest.substr(0, rest.find_first_of("/?#")));
  if (authority.empty() || authority.find_first_of("@ \t\r\n") != std::string::npos)
    return fail(ErrorCode::invalid_payload, "a push endpoint needs a host (and no user name)");
  if (scheme != "https" && !(scheme == "http" && is_loopback_host(authority)))
    return fail(ErrorCode::invalid_payload, "a push endpoint is an https URL");
  return scheme + "://" + authority;
}

Result<void> check_vapid_subject(std::string_view subject) {
  const std::string prefix = lower(subject.substr(0, 8));
  const bool mailto = prefix.starts_with("mailto:") && subject.size() > 7;
  const bool https = prefix == "https://" && subject.size() > 8;
  if (!mailto && !https)
    return fail(ErrorCode::invalid_payload, "the VAPID subject is a mailto: or https: URL where the push services can reach the operator");
  return {};
}

Result<std::string> vapid_token(const P256PrivateKey& key, std::string_view audience, std::string_view subject,
                                std::chrono::system_clock::time_point expires) {
  boost::json::object claims;
  claims["aud"] = audience;
  claims["exp"] = std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count();
  if (!subject.empty()) claims["sub"] = subject;
  std::string input = base64url_encode(R"({"typ":"JWT","alg":"ES256"})");
  input += '.';
  input += base64url_encode(boost::json::serialize(claims));
  PARLEY_TRY(signature, es256_sign(key, input));
  return input + '.' + base64url_encode(signature);
}

}  // namespace parley::service
