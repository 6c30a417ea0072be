// The limits docs/supabase.md promises a Supabase Realtime connection, refused in the reference
// server's words while the connection goes on.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "support/fixtures.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

std::string join_frame(const std::string& topic, const std::string& ref) {
  return json::serialize(json::object{
      {"topic", topic}, {"event", "phx_join"}, {"payload", json::object{}}, {"ref", ref}, {"join_ref", ref}});
}

// The payload of the reply to `ref`.
json::object reply_to(WsClient& ws, const std::string& ref) {
  Event e = ws.wait_event([&](const Event& e) { return e.name == "phx_reply" && e.data.at("ref") == json::value(ref); });
  return e.data.at("payload").as_object();
}

TEST(RealtimeLimitsTest, AChannelPastTheLimitAndAnOversizedMessageAreRefusedAndTheConnectionGoesOn) {
  TestServer server({"--realtime-channels", "2", "--max-frame-bytes", "1024"});
  Account alice = register_user(server, "alice");
  WsClient ws(server.port(), "/realtime/v1/websocket?vsn=1.0.0&apikey=" + alice.access_token);

  ws.send_raw(join_frame("realtime:one", "1"));
  EXPECT_EQ(reply_to(ws, "1").at("status"), "ok");
  ws.send_raw(join_frame("realtime:two", "2"));
  EXPECT_EQ(reply_to(ws, "2").at("status"), "ok");
  ws.send_raw(join_frame("realtime:three", "3"));
  const json::object refused = reply_to(ws, "3");
  EXPECT_EQ(refused.at("status"), "error");
  EXPECT_EQ(refused.at("response").at("reason"), "ChannelRateLimitReached: Too many channels");

  const json::object big{{"topic", "realtime:one"},
                         {"event", "broadcast"},
                         {"payload", json::object{{"type", "broadcast"}, {"event", "e"}, {"payload", std::string(2000, 'x')}}},
                         {"ref", "4"},
                         {"join_ref", "1"}};
  ws.send_raw(json::serialize(big));
  const json::object too_large = reply_to(ws, "4");
  EXPECT_EQ(too_large.at("status"), "error");
  EXPECT_TRUE(too_large.at("response").at("reason").as_string().starts_with("PayloadTooLarge"));

  // Still answering: a joined channel leaves as ever.
  ws.send_raw(json::serialize(json::object{
      {"topic", "realtime:two"}, {"event", "phx_leave"}, {"payload", json::object{}}, {"ref", "5"}, {"join_ref", "2"}}));
  EXPECT_EQ(reply_to(ws, "5").at("status"), "ok");
}

}  // namespace
}  // namespace parley::test
