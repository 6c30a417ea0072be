// Sends one Web Push message the way parleyd does, for the test push service to check:
//   parley_web_push_send VAPID_KEY SUBJECT ENDPOINT P256DH AUTH TTL_SECONDS TOPIC PAYLOAD
// VAPID_KEY is the private scalar in base64url, as parleyd keeps it in vapid.key. Prints the
// push service's answer; exits 0 when it is a 2xx, 1 otherwise, 2 on bad arguments.
#include <chrono>
#include <future>
#include <iostream>
#include <string>

#include "server/gateway/http_fetch.hpp"
#include "server/service/jwt_parts.hpp"
#include "server/service/web_push.hpp"

int main(int argc, char** argv) {
  using namespace parley;
  if (argc != 9) {
    std::cerr << "usage: parley_web_push_send VAPID_KEY SUBJECT ENDPOINT P256DH AUTH TTL_SECONDS TOPIC PAYLOAD\n";
    return 2;
  }
  auto scalar = service::base64url_decode(argv[1]);
  Result<service::P256PrivateKey> key = fail(ErrorCode::invalid_payload, "not base64url");
  if (scalar) key = service::P256PrivateKey::from_private_bytes(*scalar);
  if (!key) {
    std::cerr << "VAPID_KEY: " << key.error().message << "\n";
    return 2;
  }
  const service::WebPushSigner signer(std::move(*key), argv[2]);
  auto request = signer.request(service::WebPushSubscription{argv[3], argv[4], argv[5]}, argv[8],
                                std::chrono::seconds(std::stol(argv[6])), argv[7]);
  if (!request) {
    std::cerr << "request: " << request.error().message << "\n";
    return 1;
  }
  gateway::HttpFetcher fetcher({});
  std::promise<Result<gateway::HttpFetcher::Answer>> answered;
  fetcher.send({request->url, request->headers, request->body},
               [&answered](Result<gateway::HttpFetcher::Answer> answer) { answered.set_value(std::move(answer)); });
  auto answer = answered.get_future().get();
  if (!answer) {
    std::cerr << "send: " << answer.error().message << "\n";
    return 1;
  }
  std::cout << answer->status << " " << answer->body << "\n";
  return answer->status >= 200 && answer->status < 300 ? 0 : 1;
}
