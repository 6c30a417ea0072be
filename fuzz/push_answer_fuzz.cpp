// Feeds what push reads from outside and from its own outbox rows
// (server/service/push_sender.hpp). The first byte picks what the rest is:
//  0: a push gateway's answer, read for its `rejected` pushkeys;
//  1: a notification's payload, turned into a Push Gateway API body.
// Beyond "no crash", it checks that every rejected key read is one the answer holds, and that a
// body made is a JSON object with a `notification` naming the target's pushkey.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "server/service/push_sender.hpp"

namespace {

using namespace parley;
using fuzz::require;

void check_rejected(const std::string& answer) {
  for (const auto& key : service::rejected_pushkeys(answer))
    require(answer.find(key) != std::string::npos || key.empty() || answer.find('\\') != std::string::npos,
            "a rejected pushkey is one the answer names");
}

void check_notify_body(const std::string& notification) {
  const domain::PushTarget target{.id = 1, .kind = domain::PushKind::http, .app_id = "com.example.chat",
                                  .pushkey = "fuzz-key", .url = "https://push.example/_matrix/push/v1/notify"};
  auto body = service::matrix_notify_body(notification, target);
  if (!body) return;
  boost::system::error_code ec;
  const auto value = boost::json::parse(*body, ec);
  require(!ec && value.is_object(), "the body is a JSON object");
  const auto* n = value.as_object().if_contains("notification");
  require(n && n->is_object(), "the body holds a notification");
  require(boost::json::serialize(n->as_object().at("devices")).find("fuzz-key") != std::string::npos,
          "the notification names the target's pushkey");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0)
    check_rejected(rest);
  else
    check_notify_body(rest);
  return 0;
}
