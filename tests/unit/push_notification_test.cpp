// What a push notification says: the body's cut and phrases, the Push Gateway API's shape, a
// gateway's rejected keys, and the checks on what a device registers.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "domain/push.hpp"
#include "server/service/push_outbox.hpp"
#include "server/service/push_sender.hpp"

namespace parley::service {
namespace {

namespace json = boost::json;

domain::Message text(std::string body) {
  return domain::Message{.type = domain::MessageType::text, .text = std::move(body)};
}

TEST(PushBody, TextIsCutAtAHundredCharactersNeverInsideOne) {
  EXPECT_EQ(push_body(text("short")), "short");
  EXPECT_EQ(push_body(text(std::string(100, 'a'))), std::string(100, 'a'));
  EXPECT_EQ(push_body(text(std::string(101, 'a'))), std::string(100, 'a') + "…");
  std::string accents;
  for (int i = 0; i < 120; ++i) accents += "é";  // two bytes each
  const std::string cut = push_body(text(accents));
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += "é";
  EXPECT_EQ(cut, expected + "…");
}

TEST(PushBody, AttachmentsHaveAFixedPhraseAndSystemMessagesNone) {
  domain::Message photo{.type = domain::MessageType::image, .text = "caption"};
  EXPECT_EQ(push_body(photo), "Sent a photo");
  EXPECT_EQ(push_body(domain::Message{.type = domain::MessageType::file}), "Sent a file");
  EXPECT_EQ(push_body(domain::Message{.type = domain::MessageType::audio}), "Sent an audio message");
  EXPECT_EQ(push_body(domain::Message{.type = domain::MessageType::video}), "Sent a video");
  EXPECT_EQ(push_body(domain::Message{.type = domain::MessageType::system}), "");
}

domain::PushTarget gateway_target() {
  return domain::PushTarget{.id = 3, .kind = domain::PushKind::http, .app_id = "com.example.chat",
                            .pushkey = "tok", .url = "https://push.example/_matrix/push/v1/notify",
                            .created_at_ms = 1'700'000'000'123};
}

TEST(MatrixNotify, TheBodyHasThePushGatewayApisShape) {
  const std::string n = R"({"room_id":31,"message_id":1742,"seq":118,"sender_id":4,"sender_name":"Alice",)"
                        R"("type":"image","unread":2,"room_name":"Team","body":"Sent a photo"})";
  auto body = matrix_notify_body(n, gateway_target());
  ASSERT_TRUE(body);
  const json::object out = json::parse(*body).as_object().at("notification").as_object();
  EXPECT_EQ(out.at("event_id").as_string(), "1742");
  EXPECT_EQ(out.at("room_id").as_string(), "31");
  EXPECT_EQ(out.at("type").as_string(), "m.room.message");
  EXPECT_EQ(out.at("sender").as_string(), "4");
  EXPECT_EQ(out.at("sender_display_name").as_string(), "Alice");
  EXPECT_EQ(out.at("room_name").as_string(), "Team");
  EXPECT_EQ(out.at("prio").as_string(), "high");
  EXPECT_EQ(out.at("counts").as_object().at("unread").as_int64(), 2);
  EXPECT_EQ(out.at("content").as_object().at("msgtype").as_string(), "m.image");
  EXPECT_EQ(out.at("content").as_object().at("body").as_string(), "Sent a photo");
  const json::object& device = out.at("devices").as_array()[0].as_object();
  EXPECT_EQ(device.at("app_id").as_string(), "com.example.chat");
  EXPECT_EQ(device.at("pushkey").as_string(), "tok");
  EXPECT_EQ(device.at("pushkey_ts").as_int64(), 1'700'000'000);
  EXPECT_TRUE(device.at("data").is_object());
}

TEST(MatrixNotify, HiddenTextSendsNoContentAndADirectRoomNoName) {
  const std::string n = R"({"room_id":31,"message_id":1742,"seq":118,"sender_id":4,"sender_name":"Alice",)"
                        R"("type":"text","unread":1})";
  auto body = matrix_notify_body(n, gateway_target());
  ASSERT_TRUE(body);
  const json::object out = json::parse(*body).as_object().at("notification").as_object();
  EXPECT_FALSE(out.contains("content"));
  EXPECT_FALSE(out.contains("room_name"));
  EXPECT_FALSE(matrix_notify_body("not json", gateway_target()));
}

TEST(MatrixNotify, RejectedKeysAreReadFromTheAnswer) {
  EXPECT_EQ(rejected_pushkeys(R"({"rejected":["a","b"]})"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(rejected_pushkeys(R"({"rejected":[]})").empty());
  EXPECT_TRUE(rejected_pushkeys("{}").empty());
  EXPECT_TRUE(rejected_pushkeys("ok").empty());
  EXPECT_TRUE(rejected_pushkeys(R"({"rejected":"a"})").empty());
}

TEST(PushTargetRules, LoopbackIsTheOnlyPlainHttpABrowserEndpointMayUse) {
  domain::PushTarget web{.kind = domain::PushKind::webpush,
                         .pushkey = "https://push.example/sub",
                         .p256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
                         .auth = "BTBZMqHH6r4Tts7J_aSIgg"};
  EXPECT_TRUE(domain::validate_push_target(web));
  for (const char* url : {"http://127.0.0.1:8080/sub", "http://localhost/sub", "http://[::1]:9/sub"}) {
    web.pushkey = url;
    EXPECT_TRUE(domain::validate_push_target(web)) << url;
  }
  for (const char* url : {"http://push.example/sub", "http://127.0.0.1.evil.example/sub", "http://user@127.0.0.1/sub",
                          "https://", "wss://push.example/sub"}) {
    web.pushkey = url;
    EXPECT_FALSE(domain::validate_push_target(web)) << url;
  }
}

}  // namespace
}  // namespace parley::service
