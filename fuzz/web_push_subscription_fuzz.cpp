// Feeds a browser's push subscription as a client registers it (endpoint, p256dh, auth, one a
// line, then a topic) to the checks and the request Web Push deliveries make of it. Beyond "no
// crash", it checks that:
//  - a subscription the check accepts gives a request, to its endpoint, whose body is one
//    aes128gcm record of the payload (86 bytes of header, the payload, 17 of record overhead);
//  - the token's audience is an http(s) origin with no path, the start of the endpoint;
//  - the Topic header, when there is one, is at most 32 characters of the base64url alphabet.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "server/service/vapid_token.hpp"
#include "server/service/web_push.hpp"

namespace {

using namespace parley;
using fuzz::require;

const service::WebPushSigner& signer() {
  static const service::WebPushSigner instance(
      *service::P256PrivateKey::from_private_bytes(std::string(32, '\x07')), "mailto:ops@example.com");
  return instance;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_topic_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [endpoint, rest1] = fuzz::split_at(fuzz::as_text(data, size), '\n');
  const auto [p256dh, rest2] = fuzz::split_at(rest1, '\n');
  const auto [auth, topic] = fuzz::split_at(rest2, '\n');
  const service::WebPushSubscription subscription{std::string(endpoint), std::string(p256dh), std::string(auth)};

  if (auto origin = service::push_endpoint_origin(endpoint)) {
    require(origin->starts_with("https://") || origin->starts_with("http://"), "an origin is http(s)");
    require(origin->find('/', origin->find("://") + 3) == std::string::npos, "an origin has no path");
    require(lower(endpoint).starts_with(*origin), "the origin starts the endpoint");
  }
  const std::string topic_header = service::web_push_topic(topic);
  require(topic_header.size() <= service::kMaxWebPushTopicChars, "a topic is at most 32 characters");
  require(std::ranges::all_of(topic_header, is_topic_char), "a topic is base64url");

  const bool accepted = service::check_web_push_subscription(subscription).has_value();
  auto request = signer().request(subscription, "payload", std::chrono::seconds(60), topic);
  require(accepted == request.has_value(), "a request is made exactly for an accepted subscription");
  if (request) {
    require(request->url == endpoint, "the request goes to the endpoint");
    require(request->body.size() == 86 + 7 + 17, "the body is one record of the payload");
  }
  return 0;
}
