// Contract: appending messages with gapless per-room seqs, idempotency keys, history pages.
#include <vector>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

using domain::MessageType;

class StoreMessages : public StoreGroupOfTwo {
 protected:
  static std::vector<Seq> seqs(const std::vector<domain::Message>& messages) {
    std::vector<Seq> result;
    for (const auto& m : messages) result.push_back(m.seq);
    return result;
  }
  // Messages 1..count in room_, alternating senders.
  void fill(int count) {
    for (int i = 1; i <= count; ++i) send_text(room_.id, i % 2 ? alice_.id : bob_.id, "m" + std::to_string(i));
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreMessages, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreMessages, SeqsAreGaplessPerRoomAndIndependentBetweenRooms) {
  auto other = add_group(bob_.id);
  EXPECT_EQ(send_text(room_.id, alice_.id, "a1").seq, 1);
  EXPECT_EQ(send_text(other.id, bob_.id, "b1").seq, 1);
  EXPECT_EQ(send_text(room_.id, bob_.id, "a2").seq, 2);
  EXPECT_EQ(send_text(room_.id, alice_.id, "a3").seq, 3);
  EXPECT_EQ(send_text(other.id, bob_.id, "b2").seq, 2);

  EXPECT_EQ(stored_room(room_.id).last_seq, 3);
  EXPECT_EQ(stored_room(other.id).last_seq, 2);
}

TEST_P(StoreMessages, ManyAppendsInOneTransactionTakeConsecutiveSeqs) {
  must(db().begin_write());
  std::vector<MessageId> ids;
  for (int i = 1; i <= 5; ++i) {
    auto stored = must(db().append_message(text_message(room_.id, alice_.id, "batch")));
    EXPECT_EQ(stored.seq, i);
    ids.push_back(stored.id);
  }
  must(db().commit());
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_NE(ids[i], ids[i - 1]);
  EXPECT_EQ(stored_room(room_.id).last_seq, 5);
}

// A reader's snapshot sees one moment: a page and the room's last seq read beside it agree
// however many messages are written meanwhile; its end lets the reader see them.
TEST_P(StoreMessages, AReadSnapshotSeesOneMomentUntilItEnds) {
  fill(2);
  auto reader = open_session();
  auto last_seq = [&] { return must(reader->find_room_with_member(room_.id, UserId(0)))->room.last_seq; };
  auto page = [&] { return seqs(must(reader->list_messages_before(room_.id, 0, 10))); };
  must(reader->begin_read_snapshot());
  EXPECT_EQ(page(), (std::vector<Seq>{1, 2}));
  send_text(room_.id, bob_.id, "written while the reader reads");
  EXPECT_EQ(last_seq(), 2);
  EXPECT_EQ(page(), (std::vector<Seq>{1, 2}));
  reader->rollback();
  EXPECT_EQ(last_seq(), 3);
  EXPECT_EQ(page(), (std::vector<Seq>{1, 2, 3}));
  // Ended, the session reads as before: each read sees what is committed.
  send_text(room_.id, alice_.id, "after the snapshot");
  EXPECT_EQ(last_seq(), 4);
}

TEST_P(StoreMessages, ATextMessageRoundTrips) {
  auto sent = send_text(room_.id, bob_.id, "hello");
  EXPECT_TRUE(sent.id.valid());
  auto page = must(db().list_messages_after(room_.id, 0, 10));
  ASSERT_EQ(page.size(), 1u);
  const auto& got = page[0];
  EXPECT_EQ(got.id, sent.id);
  EXPECT_EQ(got.room_id, room_.id);
  EXPECT_EQ(got.seq, 1);
  EXPECT_EQ(got.sender_id, bob_.id);
  EXPECT_EQ(got.client_msg_id, sent.client_msg_id);
  EXPECT_EQ(got.type, MessageType::text);
  EXPECT_EQ(got.text, "hello");
  EXPECT_FALSE(got.attachment);
  EXPECT_FALSE(got.system);
  EXPECT_EQ(got.created_at_ms, sent.created_at_ms);
}

TEST_P(StoreMessages, AttachmentsRoundTripWithAndWithoutTheirOptionalFields) {
  auto image = text_message(room_.id, alice_.id, "a caption");
  image.type = MessageType::image;
  image.attachment = domain::Attachment{.upload_id = "up-1",
                                        .name = "cat.png",
                                        .mime_type = "image/png",
                                        .size = 123456,
                                        .width = 640,
                                        .height = 480};
  append(image);
  auto file = text_message(room_.id, alice_.id, "");
  file.type = MessageType::file;
  file.attachment =
      domain::Attachment{.upload_id = "", .name = "notes.txt", .mime_type = "text/plain", .size = 0};
  append(file);
  auto audio = text_message(room_.id, alice_.id, "");
  audio.type = MessageType::audio;
  audio.attachment = domain::Attachment{
      .upload_id = "up-3", .name = "v.ogg", .mime_type = "audio/ogg", .size = 9, .duration_ms = 61000};
  append(audio);

  auto page = must(db().list_messages_after(room_.id, 0, 10));
  ASSERT_EQ(page.size(), 3u);
  ASSERT_TRUE(page[0].attachment);
  EXPECT_EQ(page[0].type, MessageType::image);
  EXPECT_EQ(page[0].text, "a caption");
  EXPECT_EQ(page[0].attachment->upload_id, "up-1");
  EXPECT_EQ(page[0].attachment->name, "cat.png");
  EXPECT_EQ(page[0].attachment->mime_type, "image/png");
  EXPECT_EQ(page[0].attachment->size, 123456);
  EXPECT_EQ(page[0].attachment->width, 640);
  EXPECT_EQ(page[0].attachment->height, 480);
  EXPECT_FALSE(page[0].attachment->duration_ms);

  ASSERT_TRUE(page[1].attachment);
  EXPECT_EQ(page[1].type, MessageType::file);
  EXPECT_EQ(page[1].attachment->upload_id, "");
  EXPECT_EQ(page[1].attachment->name, "notes.txt");
  EXPECT_EQ(page[1].attachment->size, 0);
  EXPECT_FALSE(page[1].attachment->width);
  EXPECT_FALSE(page[1].attachment->height);

  ASSERT_TRUE(page[2].attachment);
  EXPECT_EQ(page[2].attachment->duration_ms, 61000);
}

TEST_P(StoreMessages, SystemMessagesRoundTripWithoutAClientId) {
  auto added = send_system(room_.id, alice_.id, domain::SystemEvent::member_added, bob_.id);
  send_system(room_.id, alice_.id, domain::SystemEvent::room_renamed);
  EXPECT_EQ(added.seq, 1);

  auto page = must(db().list_messages_after(room_.id, 0, 10));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].type, MessageType::system);
  EXPECT_EQ(page[0].client_msg_id, "");
  EXPECT_EQ(page[0].sender_id, alice_.id);
  ASSERT_TRUE(page[0].system);
  EXPECT_EQ(page[0].system->event, domain::SystemEvent::member_added);
  EXPECT_EQ(page[0].system->target, bob_.id);
  ASSERT_TRUE(page[1].system);
  EXPECT_EQ(page[1].system->event, domain::SystemEvent::room_renamed);
  EXPECT_FALSE(page[1].system->target.valid());
  EXPECT_FALSE(page[1].attachment);
}

TEST_P(StoreMessages, ARepeatedSendIsFoundByItsSenderAndClientId) {
  auto sent = send_text(room_.id, alice_.id, "once");
  auto found = must(db().find_message_by_client_id(alice_.id, sent.client_msg_id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, sent.id);
  EXPECT_EQ(found->seq, sent.seq);
  EXPECT_EQ(found->text, "once");

  EXPECT_FALSE(must(db().find_message_by_client_id(bob_.id, sent.client_msg_id)));
  EXPECT_FALSE(must(db().find_message_by_client_id(alice_.id, "never-sent")));
  send_system(room_.id, alice_.id, domain::SystemEvent::room_renamed);
  EXPECT_FALSE(must(db().find_message_by_client_id(alice_.id, "")));
}

TEST_P(StoreMessages, TheSameClientIdTwiceFromOneSenderIsAConflictAndTakesNoSeq) {
  auto first = send_text(room_.id, alice_.id, "first");
  auto again = text_message(room_.id, alice_.id, "again");
  again.client_msg_id = first.client_msg_id;
  must(db().begin_write());
  auto duplicate = db().append_message(again);
  db().rollback();
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::conflict);

  // Another sender may use the same client id; the room's next seq is still 2.
  auto bobs = text_message(room_.id, bob_.id, "bob's");
  bobs.client_msg_id = first.client_msg_id;
  EXPECT_EQ(append(bobs).seq, 2);
}

TEST_P(StoreMessages, SystemMessagesOfOneSenderDoNotCollide) {
  send_system(room_.id, alice_.id, domain::SystemEvent::room_created);
  EXPECT_EQ(send_system(room_.id, alice_.id, domain::SystemEvent::member_added, bob_.id).seq, 2);
}

TEST_P(StoreMessages, AppendingToARoomThatDoesNotExistIsNotFound) {
  must(db().begin_write());
  auto appended = db().append_message(text_message(RoomId(999), alice_.id, "lost"));
  db().rollback();
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code, ErrorCode::not_found);
}

TEST_P(StoreMessages, AppendingOutsideAWriteTransactionIsRefused) {
  // The seq is read and written in one transaction; outside one, two writers could share it.
  EXPECT_FALSE(db().append_message(text_message(room_.id, alice_.id, "loose")));
  EXPECT_TRUE(must(db().list_messages_after(room_.id, 0, 10)).empty());
}

TEST_P(StoreMessages, HistoryBeforeIsTheNewestPageBelowTheBoundOldestFirst) {
  fill(10);
  EXPECT_EQ(seqs(must(db().list_messages_before(room_.id, 0, 3))), (std::vector<Seq>{8, 9, 10}));
  EXPECT_EQ(seqs(must(db().list_messages_before(room_.id, -1, 2))), (std::vector<Seq>{9, 10}));
  EXPECT_EQ(seqs(must(db().list_messages_before(room_.id, 8, 3))), (std::vector<Seq>{5, 6, 7}));
  EXPECT_EQ(seqs(must(db().list_messages_before(room_.id, 3, 5))), (std::vector<Seq>{1, 2}));
  EXPECT_EQ(seqs(must(db().list_messages_before(room_.id, 0, 100))).size(), 10u);
  EXPECT_TRUE(must(db().list_messages_before(room_.id, 1, 5)).empty());
  EXPECT_TRUE(must(db().list_messages_before(room_.id, 0, 0)).empty());
}

TEST_P(StoreMessages, HistoryAfterIsTheOldestPageAboveTheBound) {
  fill(10);
  EXPECT_EQ(seqs(must(db().list_messages_after(room_.id, 0, 3))), (std::vector<Seq>{1, 2, 3}));
  EXPECT_EQ(seqs(must(db().list_messages_after(room_.id, 4, 2))), (std::vector<Seq>{5, 6}));
  EXPECT_EQ(seqs(must(db().list_messages_after(room_.id, 8, 5))), (std::vector<Seq>{9, 10}));
  EXPECT_TRUE(must(db().list_messages_after(room_.id, 10, 5)).empty());
  EXPECT_TRUE(must(db().list_messages_after(room_.id, 0, 0)).empty());
}

TEST_P(StoreMessages, HistoryHoldsOnlyTheRoomAskedFor) {
  auto other = add_group(bob_.id);
  fill(3);
  send_text(other.id, bob_.id, "elsewhere");
  auto page = must(db().list_messages_before(room_.id, 0, 10));
  ASSERT_EQ(page.size(), 3u);
  for (const auto& m : page) EXPECT_EQ(m.room_id, room_.id);
  auto elsewhere = must(db().list_messages_after(other.id, 0, 10));
  ASSERT_EQ(elsewhere.size(), 1u);
  EXPECT_EQ(elsewhere[0].text, "elsewhere");
}

}  // namespace
}  // namespace parley::store::testing
