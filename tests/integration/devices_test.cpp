// One user on several devices (several WebSocket connections): every device sees the room's
// messages, the sending device through its reply and the others through events.
#include "support/assertions.hpp"
#include "support/fixtures.hpp"

#include <gtest/gtest.h>

namespace parley::test {
namespace {

namespace json = boost::json;

class DevicesTest : public ::testing::Test {
 protected:
  TestServer server;
  Account alice = register_user(server, "alice");
  Account bob = register_user(server, "bob");
  WsClient alice_phone = connect(server, alice);
  WsClient alice_laptop = connect(server, alice);
  WsClient bob_ws = connect(server, bob);
};

TEST_F(DevicesTest, AMessageFromOneDeviceReachesTheOtherDeviceAndThePeer) {
  const std::int64_t room_id = create_group(alice_phone, "Us", {bob.id});

  const json::object sent = send_text(alice_phone, room_id, "from my phone", "phone-1");
  EXPECT_EQ(without_status(wait_message(alice_laptop, room_id, "phone-1")), sent);
  EXPECT_EQ(without_status(wait_message(bob_ws, room_id, "phone-1")), sent);

  // The phone got its message as the reply, not as an event as well. Events of a room arrive
  // in seq order, so once bob's later message has arrived an echo of phone-1 would be ahead of it.
  const json::object reply_from_bob = send_text(bob_ws, room_id, "hello phone", "bob-1");
  Event first = alice_phone.wait_event([](const Event& e) {
    return e.name == "message" && get_str(get_obj(e.data, "message"), "type") != "system";
  });
  EXPECT_EQ(without_status(get_obj(first.data, "message")), reply_from_bob)
      << "the sending device received its own message as an event";
  EXPECT_EQ(without_status(wait_message(alice_laptop, room_id, "bob-1")), reply_from_bob);
}

TEST_F(DevicesTest, EitherDeviceCanSendAndTheOtherFollows) {
  const std::int64_t room_id = direct_room(alice_laptop, bob.id);

  const json::object first = send_text(alice_laptop, room_id, "laptop here", "laptop-1");
  const json::object second = send_text(alice_phone, room_id, "phone here", "phone-1");
  EXPECT_EQ(get_int(second, "seq"), get_int(first, "seq") + 1);

  EXPECT_EQ(without_status(wait_message(alice_phone, room_id, "laptop-1")), first);
  EXPECT_EQ(without_status(wait_message(alice_laptop, room_id, "phone-1")), second);
  EXPECT_EQ(without_status(wait_message(bob_ws, room_id, "laptop-1")), first);
  EXPECT_EQ(without_status(wait_message(bob_ws, room_id, "phone-1")), second);
}

TEST_F(DevicesTest, EveryDeviceLearnsOfANewRoom) {
  const std::int64_t room_id = create_group(bob_ws, "Bob's", {alice.id});
  EXPECT_EQ(get_str(get_obj(wait_room_event(alice_phone, "room.joined", room_id).data, "room"), "name"), "Bob's");
  EXPECT_EQ(get_str(get_obj(wait_room_event(alice_laptop, "room.joined", room_id).data, "room"), "name"), "Bob's");

  // A device that connects later with ?token= is ready at once and can read the room.
  WsClient tablet(server.port(), "/v1/ws?token=" + alice.access_token);
  EXPECT_EQ(get_int(get_obj(tablet.next_event("ready").data, "user"), "id"), alice.id);
  const json::object sent = send_text(bob_ws, room_id, "hi all devices", "bob-1");
  EXPECT_EQ(without_status(wait_message(tablet, room_id, "bob-1")), sent);
  EXPECT_EQ(without_status(wait_message(alice_phone, room_id, "bob-1")), sent);
}

TEST_F(DevicesTest, ADeviceThatDisconnectsDoesNotDisturbTheOthers) {
  const std::int64_t room_id = direct_room(alice_phone, bob.id);
  alice_laptop.close();

  const json::object sent = send_text(bob_ws, room_id, "still there?", "bob-1");
  EXPECT_EQ(without_status(wait_message(alice_phone, room_id, "bob-1")), sent);
}

}  // namespace
}  // namespace parley::test
