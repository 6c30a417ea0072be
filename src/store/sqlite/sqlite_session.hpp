#pragma once
// StoreSession over one SQLite connection. The methods are spread over several files by topic
// (sqlite_session_*.cpp); this header is the one place that lists them.
//
// Beyond the interface's contract, this backend:
//  - reports not_found from rename_room, delete_member, update_member_role and
//    mark_refresh_token_used when there is no such row; delete_refresh_family of an unknown
//    family is a no-op;
//  - returns find_users ordered by id, each existing user once, unknown ids left out;
//  - requires append_message, savepoint and its release/rollback to run inside begin_write;
//  - ends the savepoint with rollback_to_savepoint as with release_savepoint, so that each
//    savepoint() is paired with exactly one of the two;
//  - stores a new room with last_seq 0 whatever the argument says: a room starts empty;
//  - returns nothing from the history queries when limit <= 0.
#include <memory>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "store/store.hpp"

namespace parley::store::sqlite {

class SqliteSession final : public StoreSession {
 public:
  explicit SqliteSession(std::unique_ptr<Connection> connection);

  // sqlite_session.cpp
  [[nodiscard]] Result<void> begin_write() override;
  [[nodiscard]] Result<void> commit() override;
  void rollback() noexcept override;
  [[nodiscard]] Result<void> begin_read_snapshot() override;
  [[nodiscard]] Result<void> savepoint() override;
  [[nodiscard]] Result<void> release_savepoint() override;
  void rollback_to_savepoint() noexcept override;

  // sqlite_session_users.cpp
  [[nodiscard]] Result<domain::User> insert_user(const NewUser& user) override;
  [[nodiscard]] Result<std::optional<domain::User>> find_user(UserId id) override;
  [[nodiscard]] Result<std::optional<domain::User>> find_user_by_username(const std::string& username) override;
  [[nodiscard]] Result<std::optional<domain::User>> find_user_by_external_id(const std::string& external_id) override;
  [[nodiscard]] Result<void> update_user_profile(UserId user, const std::string& display_name, bool bot) override;
  [[nodiscard]] Result<ApiKey> insert_api_key(const std::string& name, const std::string& secret_hash,
                                              TimestampMs created_at_ms) override;
  [[nodiscard]] Result<std::vector<ApiKey>> list_api_keys() override;
  [[nodiscard]] Result<std::optional<ApiKey>> find_api_key(const std::string& secret_hash) override;
  [[nodiscard]] Result<void> revoke_api_key(std::int64_t id, TimestampMs at) override;
  [[nodiscard]] Result<void> touch_api_key(std::int64_t id, TimestampMs at) override;
  [[nodiscard]] Result<std::vector<domain::User>> find_users(std::span<const UserId> ids) override;
  [[nodiscard]] Result<std::optional<domain::Credentials>> find_credentials(const std::string& username) override;
  [[nodiscard]] Result<void> insert_refresh_token(const RefreshToken& token) override;
  [[nodiscard]] Result<std::optional<RefreshToken>> find_refresh_token(const std::string& token_hash) override;
  [[nodiscard]] Result<void> mark_refresh_token_used(const std::string& token_hash) override;
  [[nodiscard]] Result<void> delete_refresh_family(const std::string& family_id) override;
  [[nodiscard]] Result<std::vector<std::string>> list_login_families(UserId user) override;
  [[nodiscard]] Result<void> insert_revoked_login(const std::string& family_id, UserId user, TimestampMs expires_at_ms,
                                                  TimestampMs now_ms) override;
  [[nodiscard]] Result<std::vector<std::string>> list_revoked_logins(TimestampMs now_ms) override;
  [[nodiscard]] Result<void> update_password_hash(UserId user, const std::string& password_hash) override;

  // sqlite_session_presence.cpp
  [[nodiscard]] Result<void> set_presence_status(UserId user, domain::PresenceStatus status) override;
  [[nodiscard]] Result<void> set_last_seen(UserId user, TimestampMs at) override;
  [[nodiscard]] Result<domain::StoredPresence> find_presence(UserId user) override;
  [[nodiscard]] Result<std::vector<domain::StoredPresence>> list_contacts_presence(UserId user) override;

  // sqlite_session_settings.cpp
  [[nodiscard]] Result<domain::UserSettings> find_user_settings(UserId user) override;
  [[nodiscard]] Result<void> set_read_receipts(UserId user, domain::ReadReceipts read_receipts) override;
  [[nodiscard]] Result<void> set_push_text(UserId user, domain::PushText push_text) override;
  [[nodiscard]] Result<void> set_member_muted(RoomId room, UserId user, bool muted) override;
  [[nodiscard]] Result<domain::PushTarget> upsert_push_target(const domain::PushTarget& target,
                                                              TimestampMs now_ms) override;
  [[nodiscard]] Result<std::optional<domain::PushTarget>> find_push_target(std::int64_t id) override;
  [[nodiscard]] Result<std::optional<domain::PushTarget>> find_push_target_by_key(domain::PushKind kind,
                                                                                  const std::string& app_id,
                                                                                  const std::string& pushkey) override;
  [[nodiscard]] Result<std::vector<domain::PushTarget>> list_push_targets(UserId user) override;
  [[nodiscard]] Result<std::vector<domain::PushTarget>> list_push_targets_of(std::span<const UserId> users) override;
  [[nodiscard]] Result<std::vector<domain::PushRecipient>> list_push_recipients(RoomId room) override;
  [[nodiscard]] Result<std::int64_t> count_push_targets(UserId user) override;
  [[nodiscard]] Result<bool> any_push_targets() override;
  [[nodiscard]] Result<void> delete_push_target(UserId user, std::int64_t id) override;
  [[nodiscard]] Result<bool> delete_push_target_by_key(domain::PushKind kind, const std::string& app_id,
                                                       const std::string& pushkey) override;

  // sqlite_session_rooms.cpp
  [[nodiscard]] Result<domain::Room> insert_room(const domain::Room& room,
                                                 const std::optional<std::string>& direct_key) override;
  [[nodiscard]] Result<std::optional<domain::Room>> find_direct_room(const std::string& direct_key) override;
  [[nodiscard]] Result<void> rename_room(RoomId id, const std::string& name) override;
  [[nodiscard]] Result<void> insert_member(const domain::Member& member) override;
  [[nodiscard]] Result<void> delete_member(RoomId room, UserId user) override;
  [[nodiscard]] Result<void> update_member_role(RoomId room, UserId user, domain::Role role) override;
  [[nodiscard]] Result<std::optional<domain::Member>> find_member(RoomId room, UserId user) override;
  [[nodiscard]] Result<std::optional<domain::RoomWithMember>> find_room_with_member(RoomId room,
                                                                                  UserId user) override;
  [[nodiscard]] Result<std::vector<domain::Member>> list_members(RoomId room) override;
  [[nodiscard]] Result<std::int64_t> count_admins(RoomId room) override;
  [[nodiscard]] Result<std::vector<RoomId>> list_room_ids_for_user(UserId user) override;
  [[nodiscard]] Result<std::vector<domain::RoomHead>> list_room_heads_for_user(UserId user) override;
  [[nodiscard]] Result<std::vector<domain::RoomHead>> list_room_heads(std::span<const RoomId> rooms) override;
  [[nodiscard]] Result<domain::Member> advance_watermarks(RoomId room, UserId user, Seq delivered, Seq read) override;

  // sqlite_session_summaries.cpp
  [[nodiscard]] Result<std::vector<domain::RoomSummary>> list_room_summaries(UserId user) override;
  [[nodiscard]] Result<std::optional<domain::RoomSummary>> find_room_summary(RoomId room, UserId user) override;

  // sqlite_session_messages.cpp
  [[nodiscard]] Result<domain::Message> append_message(const domain::Message& message) override;
  [[nodiscard]] Result<std::optional<domain::Message>> find_message_by_client_id(
      UserId sender, const std::string& client_msg_id) override;
  [[nodiscard]] Result<std::vector<domain::Message>> list_messages_before(RoomId room, Seq before, int limit) override;
  [[nodiscard]] Result<std::vector<domain::Message>> list_messages_after(RoomId room, Seq after, int limit) override;
  [[nodiscard]] Result<std::vector<domain::Message>> search_messages(UserId reader, const domain::SearchQuery& query,
                                                                     std::optional<RoomId> room, int offset,
                                                                     int limit) override;

  // sqlite_session_uploads.cpp
  [[nodiscard]] Result<void> insert_upload(const domain::Upload& upload) override;
  [[nodiscard]] Result<std::optional<domain::Upload>> find_upload(const std::string& id) override;
  [[nodiscard]] Result<std::optional<domain::Upload>> find_readable_upload(const std::string& id,
                                                                           UserId reader) override;
  [[nodiscard]] Result<void> mark_upload_referenced(const std::string& id, TimestampMs at) override;
  [[nodiscard]] Result<std::vector<domain::Upload>> list_unreferenced_uploads(TimestampMs created_before,
                                                                              int limit) override;
  [[nodiscard]] Result<void> delete_upload(const std::string& id) override;
  [[nodiscard]] Result<std::int64_t> count_uploads_with_sha256(const std::string& sha256) override;

  // sqlite_session_outbox.cpp
  [[nodiscard]] Result<void> insert_delivery(const NewDelivery& delivery) override;
  [[nodiscard]] Result<std::vector<domain::Delivery>> claim_deliveries(const std::string& kind, TimestampMs now_ms,
                                                                     TimestampMs lease_until_ms, int limit) override;
  [[nodiscard]] Result<void> finish_attempt(const DeliveryOutcome& outcome) override;
  [[nodiscard]] Result<std::vector<domain::Delivery>> list_deliveries(const std::string& kind, std::int64_t before,
                                                                    int limit) override;
  [[nodiscard]] Result<std::optional<domain::Delivery>> requeue_delivery(const std::string& id,
                                                                       TimestampMs now_ms) override;
  [[nodiscard]] Result<bool> replace_waiting_delivery(const NewDelivery& newer, TimestampMs now_ms) override;
  [[nodiscard]] Result<std::int64_t> delete_finished_deliveries(TimestampMs updated_before, int limit) override;

  [[nodiscard]] SqlDatabase& sql() override { return database_; }

 private:
  // Runs a statement that returns nothing, prepared once per connection.
  [[nodiscard]] Result<void> run_cached(std::string_view sql);
  // Puts the messages noted since the last commit into the search index.
  [[nodiscard]] Result<void> index_noted_messages();
  // Runs an UPDATE or DELETE of one row; not_found naming `what` when it matched none.
  [[nodiscard]] Result<void> change_one_row(Statement& statement, std::string_view what);
  [[nodiscard]] Result<void> require_transaction(std::string_view operation) const;
  // nullopt when there is no such room.
  [[nodiscard]] Result<std::optional<Seq>> read_last_seq(RoomId room);

  std::unique_ptr<Connection> connection_;
  SqliteDatabase database_{*connection_};  // after connection_, which it runs on
};

}  // namespace parley::store::sqlite
