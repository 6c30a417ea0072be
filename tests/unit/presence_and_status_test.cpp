#include <gtest/gtest.h>

#include "domain/message_status.hpp"
#include "domain/presence.hpp"
#include "domain/shared_watermarks.hpp"

namespace parley::domain {
namespace {

TEST(Presence, InvisibleLooksExactlyLikeOfflineToOthers) {
  StoredPresence invisible{UserId{1}, PresenceStatus::invisible, 1000};
  StoredPresence offline{UserId{1}, PresenceStatus::available, 1000};
  auto a = seen_by_others(invisible, true);
  auto b = seen_by_others(offline, false);
  EXPECT_EQ(a.online, b.online);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.last_seen_at, b.last_seen_at);
  EXPECT_TRUE(seen_by_self(invisible, true).online);
  EXPECT_EQ(seen_by_self(invisible, true).status, PresenceStatus::invisible);
}

TEST(Presence, OnlineShowsTheChosenStatus) {
  StoredPresence busy{UserId{1}, PresenceStatus::busy, std::nullopt};
  auto view = seen_by_others(busy, true);
  EXPECT_TRUE(view.online);
  EXPECT_EQ(view.status, PresenceStatus::busy);
  EXPECT_FALSE(seen_by_others(busy, false).online);
}

Member member(std::int64_t user, Seq delivered, Seq read) {
  return Member{RoomId{1}, UserId{user}, Role::member, 0, delivered, read};
}

TEST(MessageStatus, DerivesFromWatermarksAndIgnoresTheSender) {
  Message m;
  m.sender_id = UserId{1};
  m.seq = 5;
  std::vector<Member> members{member(1, 0, 0), member(2, 5, 4), member(3, 7, 7), member(4, 2, 0)};
  auto r = receipts_of(m, members);
  EXPECT_EQ(r.status.recipients, 3);
  EXPECT_EQ(r.status.delivered, 2);
  EXPECT_EQ(r.status.read, 1);
  EXPECT_EQ(r.status.state, DeliveryState::sent);
  EXPECT_EQ(r.read_by, std::vector<UserId>{UserId{3}});

  std::vector<Member> direct{member(1, 0, 0), member(2, 5, 0)};
  EXPECT_EQ(status_of(m, direct).state, DeliveryState::delivered);
  direct[1].read_seq = 5;
  EXPECT_EQ(status_of(m, direct).state, DeliveryState::read);
}

TEST(MessageStatus, OthersCountAPrivateReaderAsReadOnlyAsFarAsTheyShared) {
  Message m;
  m.sender_id = UserId{1};
  m.seq = 5;
  Member reader = member(2, 7, 6);
  reader.shared_read_seq = 3;
  std::vector<Member> members{member(1, 0, 0), reader};

  auto seen_by_sender = receipts_of(m, as_seen_by(members, UserId{1}));
  EXPECT_EQ(seen_by_sender.status.state, DeliveryState::delivered);
  EXPECT_EQ(seen_by_sender.delivered_to, std::vector<UserId>{UserId{2}});
  EXPECT_TRUE(seen_by_sender.read_by.empty());
  // The reader is shown their own reads.
  EXPECT_EQ(receipts_of(m, as_seen_by(members, UserId{2})).read_by, std::vector<UserId>{UserId{2}});
  EXPECT_EQ(as_others_see(reader).delivered_seq, 7);
  EXPECT_EQ(as_others_see(reader).read_seq, 3);
}

}  // namespace
}  // namespace parley::domain
