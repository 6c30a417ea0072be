// Contract: uploads, who may read them, and the unreferenced ones the sweeper removes.
#include <string>

#include "store_contract.hpp"

namespace parley::store::testing {
namespace {

class StoreUploads : public StoreContract {
 protected:
  void SetUp() override {
    StoreContract::SetUp();
    if (HasFatalFailure()) return;
    alice_ = add_user("alice");
    bob_ = add_user("bob");
    carol_ = add_user("carol");
    room_ = add_direct(alice_.id, bob_.id);
  }

  domain::Upload add_upload(const std::string& id, UserId owner, const std::string& sha256 = std::string(64, 'a')) {
    domain::Upload upload{.id = id,
                          .owner = owner,
                          .sha256 = sha256,
                          .size_bytes = 1234,
                          .mime_type = "image/png",
                          .name = "cat.png",
                          .width = 640,
                          .height = 480,
                          .created_at_ms = tick()};
    must(db().begin_write());
    must(db().insert_upload(upload));
    must(db().commit());
    return upload;
  }

  void send_upload(const domain::Upload& upload) {
    domain::Message m = text_message(room_.id, upload.owner, "");
    m.type = domain::MessageType::image;
    m.attachment = domain::Attachment{.upload_id = upload.id, .name = upload.name, .mime_type = upload.mime_type,
                                      .size = upload.size_bytes};
    append(m);
    must(db().begin_write());
    must(db().mark_upload_referenced(upload.id, tick()));
    must(db().commit());
  }

  domain::User alice_, bob_, carol_;
  domain::Room room_;
};
INSTANTIATE_TEST_SUITE_P(Backends, StoreUploads, ::testing::ValuesIn(store_backends()), backend_name);

TEST_P(StoreUploads, AnUploadReadsBackAsStored) {
  auto stored = add_upload("u_1", alice_.id);
  auto found = must(db().find_upload("u_1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->owner, alice_.id);
  EXPECT_EQ(found->sha256, stored.sha256);
  EXPECT_EQ(found->size_bytes, 1234);
  EXPECT_EQ(found->mime_type, "image/png");
  EXPECT_EQ(found->name, "cat.png");
  EXPECT_EQ(found->width, 640);
  EXPECT_EQ(found->height, 480);
  EXPECT_FALSE(found->duration_ms);
  EXPECT_EQ(found->created_at_ms, stored.created_at_ms);
  EXPECT_FALSE(found->referenced_at_ms);
  EXPECT_FALSE(must(db().find_upload("u_none")));
}

TEST_P(StoreUploads, ARepeatedIdIsAConflict) {
  add_upload("u_1", alice_.id);
  must(db().begin_write());
  auto again = db().insert_upload(domain::Upload{.id = "u_1", .owner = bob_.id, .sha256 = "b", .mime_type = "a/b", .name = "n"});
  db().rollback();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

TEST_P(StoreUploads, OnlyTheOwnerReadsAnUploadNoMessageCarries) {
  add_upload("u_1", alice_.id);
  EXPECT_TRUE(must(db().find_readable_upload("u_1", alice_.id)));
  EXPECT_FALSE(must(db().find_readable_upload("u_1", bob_.id)));
  EXPECT_FALSE(must(db().find_readable_upload("u_none", alice_.id)));
}

TEST_P(StoreUploads, MembersOfTheRoomOfAMessageCarryingItReadIt) {
  auto upload = add_upload("u_1", alice_.id);
  send_upload(upload);
  EXPECT_TRUE(must(db().find_readable_upload("u_1", bob_.id)));
  EXPECT_FALSE(must(db().find_readable_upload("u_1", carol_.id)));
  // Leaving the room ends it.
  must(db().begin_write());
  must(db().delete_member(room_.id, bob_.id));
  must(db().commit());
  EXPECT_FALSE(must(db().find_readable_upload("u_1", bob_.id)));
}

TEST_P(StoreUploads, TheFirstReferenceIsKept) {
  add_upload("u_1", alice_.id);
  must(db().begin_write());
  must(db().mark_upload_referenced("u_1", 5000));
  must(db().mark_upload_referenced("u_1", 9000));
  auto missing = db().mark_upload_referenced("u_none", 9000);
  must(db().commit());
  EXPECT_EQ(must(db().find_upload("u_1"))->referenced_at_ms, 5000);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_P(StoreUploads, UnreferencedUploadsAreListedOldestFirstBeforeTheCutoff) {
  auto old1 = add_upload("u_old1", alice_.id);
  auto old2 = add_upload("u_old2", bob_.id);
  auto referenced = add_upload("u_ref", alice_.id);
  send_upload(referenced);
  auto recent = add_upload("u_recent", alice_.id);

  auto listed = must(db().list_unreferenced_uploads(recent.created_at_ms, 10));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, old1.id);
  EXPECT_EQ(listed[1].id, old2.id);
  EXPECT_EQ(must(db().list_unreferenced_uploads(recent.created_at_ms, 1)).size(), 1u);
  EXPECT_TRUE(must(db().list_unreferenced_uploads(recent.created_at_ms, 0)).empty());
}

TEST_P(StoreUploads, ADeletedMessagesUploadGoesToTheNextSweepUnlessAnotherMessageCarriesIt) {
  auto alone = add_upload("up-alone", alice_.id);
  auto shared = add_upload("up-shared", alice_.id);
  send_upload(alone);
  send_upload(shared);
  send_upload(shared);
  const Seq alone_seq = 1;
  const Seq first_shared_seq = 2;
  for (Seq seq : {alone_seq, first_shared_seq}) {
    must(db().begin_write());
    auto upload = must(db().delete_message(room_.id, seq, tick()));
    ASSERT_TRUE(upload);
    must(db().release_upload(*upload));
    must(db().commit());
  }
  // The sweep's cut-off is its TTL before now: a released upload is older than any.
  std::vector<std::string> swept;
  for (const auto& u : must(db().list_unreferenced_uploads(tick(), 10))) swept.push_back(u.id);
  EXPECT_EQ(swept, std::vector<std::string>{"up-alone"}) << "up-shared is still carried by seq 3";
}

TEST_P(StoreUploads, DeletingCountsWhoStillSharesTheContent) {
  const std::string sha(64, 'c');
  add_upload("u_1", alice_.id, sha);
  add_upload("u_2", bob_.id, sha);
  EXPECT_EQ(must(db().count_uploads_with_sha256(sha)), 2);
  must(db().begin_write());
  must(db().delete_upload("u_1"));
  must(db().delete_upload("u_none"));
  must(db().commit());
  EXPECT_FALSE(must(db().find_upload("u_1")));
  EXPECT_EQ(must(db().count_uploads_with_sha256(sha)), 1);
}

}  // namespace
}  // namespace parley::store::testing
