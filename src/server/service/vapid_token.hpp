#pragma once
// VAPID (RFC 8292): the application server proves to a push service which key it holds, with a
// short-lived ES256 JWT whose audience is the push service's origin.
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "server/service/p256_key.hpp"

namespace parley::service {

// RFC 8292 section 2: a push service may reject a token that expires more than 24 hours ahead.
// Twelve hours leaves room for a push service whose clock runs ahead of ours.
inline constexpr std::chrono::hours kVapidTokenLifetime{12};

// The origin ("https://host[:port]") of a push endpoint, lower-cased: the token's audience.
// invalid_payload when `endpoint` is not an absolute https URL, or http to the loopback host
// (the only plain-http push service is one a test runs on this machine).
[[nodiscard]] Result<std::string> push_endpoint_origin(std::string_view endpoint);

// invalid_payload unless `subject` is a mailto: or https: URL, as RFC 8292 section 2.1 asks: the
// push service's operator writes there when this server's pushes cause trouble.
[[nodiscard]] Result<void> check_vapid_subject(std::string_view subject);

// The JWT: header {"typ":"JWT","alg":"ES256"}, claims aud, exp (seconds since the epoch) and sub
// (left out when `subject` is empty: RFC 8292 makes it a SHOULD, and some push services refuse a
// token without it).
[[nodiscard]] Result<std::string> vapid_token(const P256PrivateKey& key, std::string_view audience,
                                              std::string_view subject, std::chrono::system_clock::time_point expires);

}  // namespace parley::service
