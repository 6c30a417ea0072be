// A message's life across a cluster: a reply, an edit, a reaction and a deletion sent through
// three nodes reach every member live, in seq order, and every node's history shows the
// message as it stands.
#include <gtest/gtest.h>

#include "cluster/cluster_fixture.hpp"

namespace parley::test {
namespace {

namespace json = boost::json;

json::object message_at(WsClient& ws, std::int64_t room, std::int64_t seq) {
  auto page = require_ok(ws.request("messages.history", {{"room_id", room}, {"before", seq + 1}, {"limit", 1}}),
                         "history");
  return as_obj(get_arr(page, "messages").back());
}

WsReply act(WsClient& ws, std::int64_t room, std::string_view type, std::int64_t target, std::string_view text,
            std::string_view client_msg_id) {
  return ws.request("messages.send", {{"room_id", room},
                                      {"client_msg_id", client_msg_id},
                                      {"type", type},
                                      {"relates_to", target},
                                      {"text", text}});
}

TEST_F(ClusterTest, RepliesEditsReactionsAndDeletionsThroughAnyNodeReachEveryMemberInOrder) {
  Account alice = register_user(node(0), "alice");
  Account bob = register_user(node(1), "bob");
  Account carol = register_user(node(2), "carol");
  WsClient a = connect(node(0), alice);
  WsClient b = connect(node(1), bob);
  WsClient c = connect(node(2), carol);
  const std::int64_t room = create_group(a, "across", {bob.id, carol.id});
  for (WsClient* ws : {&b, &c}) wait_room_event(*ws, "room.joined", room);

  const std::int64_t original = get_int(send_text(a, room, "draft", "a-1"), "seq");
  require_ok(c.request("messages.send",
                       {{"room_id", room}, {"client_msg_id", "c-1"}, {"text", "reply"}, {"reply_to", original}}),
             "reply through node 2");
  require_ok(act(b, room, "reaction", original, "👍", "b-1"), "reaction through node 1");
  require_ok(act(a, room, "edit", original, "final", "a-2"), "edit through node 0");
  const auto kept = get_int(send_text(b, room, "keep me", "b-2"), "seq");
  require_ok(act(a, room, "deletion", kept, "", "a-3"), "an admin's deletion through node 0");
  const std::int64_t last = kept + 1;

  // Each member gets every message and event once, in seq order, whatever node it came through;
  // what a connection sent itself came to it as the reply, not as an event.
  const std::int64_t s = original;
  const std::vector<std::pair<WsClient*, std::vector<std::int64_t>>> expected{
      {&a, {s + 1, s + 2, s + 4}}, {&b, {s, s + 1, s + 3, s + 5}}, {&c, {s, s + 2, s + 3, s + 4, s + 5}}};
  for (const auto& [ws, wanted] : expected) {
    std::vector<std::int64_t> got;
    for (std::int64_t seq : message_seqs(*ws, room))
      if (seq >= s) got.push_back(seq);
    EXPECT_EQ(got, wanted) << listed(got);
  }
  for (int i = 0; i < kNodes; ++i) {
    WsClient reader = connect(node(i), i == 0 ? alice : i == 1 ? bob : carol);
    const auto edited = message_at(reader, room, original);
    EXPECT_EQ(get_str(edited, "text"), "final") << "node " << i;
    EXPECT_TRUE(has_field(edited, "edited_at")) << "node " << i;
    EXPECT_EQ(get_int(as_obj(get_arr(edited, "reactions")[0]), "count"), 1) << "node " << i;
    EXPECT_EQ(get_str(get_obj(message_at(reader, room, original + 1), "reply_preview"), "text"), "final") << "node " << i;
    EXPECT_TRUE(get_bool(message_at(reader, room, kept), "deleted")) << "node " << i;
    EXPECT_EQ(get_str(message_at(reader, room, last), "type"), "deletion") << "node " << i;
  }
}

}  // namespace
}  // namespace parley::test
