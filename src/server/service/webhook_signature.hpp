#pragma once
// Signing as Standard Webhooks specifies (https://www.standardwebhooks.com): the receiver
// checks HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" with the endpoint's secret.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace parley::service {

// The key bytes of a secret written "whsec_<base64>"; invalid_payload when it is not one.
[[nodiscard]] Result<std::string> decode_webhook_secret(std::string_view written);

// The webhook-signature header's value: "v1,<base64 of the HMAC-SHA256>".
[[nodiscard]] std::string webhook_signature(std::string_view key, std::string_view id, std::int64_t timestamp_s,
                                            std::string_view body);

}  // namespace parley::service
