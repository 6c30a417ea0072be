#pragma once
// The Store: everything Parley keeps. One interface, one contract test suite
// (tests/unit/store_contract_test.cpp), one implementation per backend.
//
// A StoreSession is one connection: not thread-safe, used by one thread at a time. The server
// keeps one session for its single writer (which batches many operations into one transaction,
// the group commit) and one per reader thread. Reads outside a transaction see committed data.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "domain/delivery.hpp"
#include "domain/message.hpp"
#include "domain/message_search.hpp"
#include "domain/presence.hpp"
#include "domain/push.hpp"
#include "domain/room.hpp"
#include "domain/room_summary.hpp"
#include "domain/upload.hpp"
#include "domain/user.hpp"
#include "domain/user_settings.hpp"
#include "store/sql_database.hpp"

namespace parley::store {

struct NewUser {
  std::string username;  // already normalized
  std::string display_name;
  std::string password_hash;  // empty for a user of the app's identity provider: no password opens it
  TimestampMs created_at_ms = 0;
  // The id the app's identity provider gives the user; empty for Parley's own accounts.
  std::string external_id;
  bool bot = false;  // made by the app's backend as a bot
};

// A key of the app's backend for the server API. Its secret is never stored, only its hash.
struct ApiKey {
  std::int64_t id = 0;
  std::string name;
  TimestampMs created_at_ms = 0;
  std::optional<TimestampMs> last_used_at_ms;
  std::optional<TimestampMs> revoked_at_ms;  // set: refused from then on
};

// One delivery for the outbox (domain/delivery.hpp), written with the change it reports.
struct NewDelivery {
  std::string id;
  std::string kind;
  std::string target;
  std::optional<std::string> order_key;
  std::string event_type;
  std::string payload;
  TimestampMs created_at_ms = 0;
};

// How one attempt at a claimed delivery ended.
struct DeliveryOutcome {
  std::string id;
  domain::DeliveryStatus status = domain::DeliveryStatus::pending;  // pending: retry at next_attempt_ms
  TimestampMs next_attempt_ms = 0;
  std::optional<int> http_status;
  std::string error;
  TimestampMs at_ms = 0;
};

struct RefreshToken {
  std::string token_hash;  // SHA-256 of the token, hex; the token itself is never stored
  UserId user_id;
  std::string family_id;   // every rotation of one login shares it, so reuse can revoke them all
  TimestampMs expires_at_ms = 0;
  bool used = false;       // rotated already: presenting it again means it was stolen
};

class StoreSession {
 public:
  virtual ~StoreSession() = default;

  // --- transactions -------------------------------------------------------------------------
  // A write transaction takes the store's write lock at once (SQLite: BEGIN IMMEDIATE).
  [[nodiscard]] virtual Result<void> begin_write() = 0;
  [[nodiscard]] virtual Result<void> commit() = 0;
  virtual void rollback() noexcept = 0;
  // A read snapshot, ended by rollback(): every read until then sees the store as one moment,
  // so that a page of messages in their current state and the room's last seq read beside it
  // agree (SQLite: a deferred BEGIN; PostgreSQL: REPEATABLE READ, READ ONLY). For readers; a
  // writer's transaction is begin_write.
  [[nodiscard]] virtual Result<void> begin_read_snapshot() = 0;
  // A nested unit inside a write transaction, so that one failed operation of a batch is
  // undone without undoing the others.
  // Each savepoint() is ended by exactly one release_savepoint() or rollback_to_savepoint().
  [[nodiscard]] virtual Result<void> savepoint() = 0;
  [[nodiscard]] virtual Result<void> release_savepoint() = 0;
  virtual void rollback_to_savepoint() noexcept = 0;

  // --- users --------------------------------------------------------------------------------
  // username_taken when the (case-insensitive) username exists; conflict when another user
  // is bound to the same external id.
  [[nodiscard]] virtual Result<domain::User> insert_user(const NewUser& user) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::User>> find_user(UserId id) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::User>> find_user_by_username(const std::string& username) = 0;
  // The user bound to the app identity provider's id `external_id` (NewUser::external_id).
  [[nodiscard]] virtual Result<std::optional<domain::User>> find_user_by_external_id(const std::string& external_id) = 0;
  [[nodiscard]] virtual Result<std::vector<domain::User>> find_users(std::span<const UserId> ids) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::Credentials>> find_credentials(const std::string& username) = 0;
  // not_found when there is no such user.
  [[nodiscard]] virtual Result<void> update_user_profile(UserId user, const std::string& display_name, bool bot) = 0;

  // --- refresh tokens -----------------------------------------------------------------------
  [[nodiscard]] virtual Result<void> insert_refresh_token(const RefreshToken& token) = 0;
  [[nodiscard]] virtual Result<std::optional<RefreshToken>> find_refresh_token(const std::string& token_hash) = 0;
  [[nodiscard]] virtual Result<void> mark_refresh_token_used(const std::string& token_hash) = 0;
  [[nodiscard]] virtual Result<void> delete_refresh_family(const std::string& family_id) = 0;
  // The logins (refresh token families) `user` has, ordered.
  [[nodiscard]] virtual Result<std::vector<std::string>> list_login_families(UserId user) = 0;

  // --- ended logins -------------------------------------------------------------------------
  // Records that the login `family_id` ended, so that its access tokens are refused until
  // `expires_at_ms` (the last of them has expired by then); forgets those whose time has passed.
  [[nodiscard]] virtual Result<void> insert_revoked_login(const std::string& family_id, UserId user,
                                                          TimestampMs expires_at_ms, TimestampMs now_ms) = 0;
  // The ended logins whose access tokens may still be presented at `now_ms`.
  [[nodiscard]] virtual Result<std::vector<std::string>> list_revoked_logins(TimestampMs now_ms) = 0;
  [[nodiscard]] virtual Result<void> update_password_hash(UserId user, const std::string& password_hash) = 0;

  // --- API keys -----------------------------------------------------------------------------
  [[nodiscard]] virtual Result<ApiKey> insert_api_key(const std::string& name, const std::string& secret_hash,
                                                      TimestampMs created_at_ms) = 0;
  // Oldest first, revoked ones included.
  [[nodiscard]] virtual Result<std::vector<ApiKey>> list_api_keys() = 0;
  // The key whose secret hashes to `secret_hash`, revoked or not.
  [[nodiscard]] virtual Result<std::optional<ApiKey>> find_api_key(const std::string& secret_hash) = 0;
  // not_found when there is no such key. A key revoked already keeps its first revocation time.
  [[nodiscard]] virtual Result<void> revoke_api_key(std::int64_t id, TimestampMs at) = 0;
  [[nodiscard]] virtual Result<void> touch_api_key(std::int64_t id, TimestampMs at) = 0;

  // --- presence ---------------------------------------------------------------------------
  [[nodiscard]] virtual Result<void> set_presence_status(UserId user, domain::PresenceStatus status) = 0;
  [[nodiscard]] virtual Result<void> set_last_seen(UserId user, TimestampMs at) = 0;
  // not_found when there is no such user.
  [[nodiscard]] virtual Result<domain::StoredPresence> find_presence(UserId user) = 0;
  // Everyone who shares at least one room with `user`, `user` left out, ordered by id.
  [[nodiscard]] virtual Result<std::vector<domain::StoredPresence>> list_contacts_presence(UserId user) = 0;

  // --- settings ---------------------------------------------------------------------------
  // not_found when there is no such user.
  [[nodiscard]] virtual Result<domain::UserSettings> find_user_settings(UserId user) = 0;
  // Changes no watermark: what the other members were shown of the user's reads stays until
  // the user's next receipt in each room (advance_watermarks).
  [[nodiscard]] virtual Result<void> set_read_receipts(UserId user, domain::ReadReceipts read_receipts) = 0;
  // not_found when there is no such user.
  [[nodiscard]] virtual Result<void> set_push_text(UserId user, domain::PushText push_text) = 0;

  // --- push targets -------------------------------------------------------------------------
  // Stores `target` (its id and times ignored) for its user_id, or, when a target with the same
  // kind, app_id and pushkey exists (the same device registering again, under any account),
  // updates that one: owner, url and keys. Returns it as stored, with its id.
  [[nodiscard]] virtual Result<domain::PushTarget> upsert_push_target(const domain::PushTarget& target,
                                                                      TimestampMs now_ms) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::PushTarget>> find_push_target(std::int64_t id) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::PushTarget>> find_push_target_by_key(
      domain::PushKind kind, const std::string& app_id, const std::string& pushkey) = 0;
  // The user's targets, oldest first.
  [[nodiscard]] virtual Result<std::vector<domain::PushTarget>> list_push_targets(UserId user) = 0;
  // The targets of all of `users`, ordered by user, then id.
  [[nodiscard]] virtual Result<std::vector<domain::PushTarget>> list_push_targets_of(std::span<const UserId> users) = 0;
  // The room's members who have not muted it and have a push target, ordered by user, with their
  // push_text setting and unread count in the room: one query for a message's whole fan-out.
  [[nodiscard]] virtual Result<std::vector<domain::PushRecipient>> list_push_recipients(RoomId room) = 0;
  [[nodiscard]] virtual Result<std::int64_t> count_push_targets(UserId user) = 0;
  // Whether any user has a target at all: while none has, a message records no push.
  [[nodiscard]] virtual Result<bool> any_push_targets() = 0;
  // not_found when `user` has no target with that id.
  [[nodiscard]] virtual Result<void> delete_push_target(UserId user, std::int64_t id) = 0;
  // Removes the target with that key, whoever owns it; false when there was none.
  [[nodiscard]] virtual Result<bool> delete_push_target_by_key(domain::PushKind kind, const std::string& app_id,
                                                               const std::string& pushkey) = 0;

  // --- rooms --------------------------------------------------------------------------------
  // Assigns the id. `direct_key` is set for direct rooms (domain::direct_room_key) and unique.
  [[nodiscard]] virtual Result<domain::Room> insert_room(const domain::Room& room,
                                                         const std::optional<std::string>& direct_key) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::Room>> find_direct_room(const std::string& direct_key) = 0;
  [[nodiscard]] virtual Result<void> rename_room(RoomId id, const std::string& name) = 0;

  // --- members ------------------------------------------------------------------------------
  [[nodiscard]] virtual Result<void> insert_member(const domain::Member& member) = 0;
  [[nodiscard]] virtual Result<void> delete_member(RoomId room, UserId user) = 0;
  [[nodiscard]] virtual Result<void> update_member_role(RoomId room, UserId user, domain::Role role) = 0;
  // not_found when the user is not a member of the room.
  [[nodiscard]] virtual Result<void> set_member_muted(RoomId room, UserId user, bool muted) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::Member>> find_member(RoomId room, UserId user) = 0;
  // The room, with the user's membership of it when there is one, in one look-up: what
  // authorizing an operation on the room needs. Empty when there is no such room.
  [[nodiscard]] virtual Result<std::optional<domain::RoomWithMember>> find_room_with_member(RoomId room,
                                                                                         UserId user) = 0;
  // Ordered by joined_at_ms, then user id: the first is the longest-standing member.
  [[nodiscard]] virtual Result<std::vector<domain::Member>> list_members(RoomId room) = 0;
  [[nodiscard]] virtual Result<std::int64_t> count_admins(RoomId room) = 0;
  [[nodiscard]] virtual Result<std::vector<RoomId>> list_room_ids_for_user(UserId user) = 0;
  // The user's rooms with the seq each stands at, ordered by room id: what a node needs to
  // start delivering them live.
  [[nodiscard]] virtual Result<std::vector<domain::RoomHead>> list_room_heads_for_user(UserId user) = 0;
  // The seq each of `rooms` stands at, ordered by room id; a room that does not exist is left out.
  [[nodiscard]] virtual Result<std::vector<domain::RoomHead>> list_room_heads(std::span<const RoomId> rooms) = 0;
  // Newest activity first (last message time, else room creation time).
  [[nodiscard]] virtual Result<std::vector<domain::RoomSummary>> list_room_summaries(UserId user) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::RoomSummary>> find_room_summary(RoomId room, UserId user) = 0;
  // Moves the member's watermarks forward only: a lower value than the stored one is ignored,
  // and delivered never ends below read. shared_read_seq takes the new read_seq when the user's
  // read receipts go to everyone, and stays as it was while they are private. Returns the
  // member as stored afterwards.
  [[nodiscard]] virtual Result<domain::Member> advance_watermarks(RoomId room, UserId user, Seq delivered,
                                                                  Seq read) = 0;

  // --- messages -----------------------------------------------------------------------------
  // Appends `message` as the room's next message: allocates seq = last_seq + 1 inside the
  // current write transaction, stores it, and returns it with id and seq set.
  [[nodiscard]] virtual Result<domain::Message> append_message(const domain::Message& message) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::Message>> find_message_by_client_id(
      UserId sender, const std::string& client_msg_id) = 0;
  // Up to `limit` messages with seq < before (before <= 0: from the newest), oldest first.
  [[nodiscard]] virtual Result<std::vector<domain::Message>> list_messages_before(RoomId room, Seq before,
                                                                                  int limit) = 0;
  // Up to `limit` messages with seq > after, oldest first.
  [[nodiscard]] virtual Result<std::vector<domain::Message>> list_messages_after(RoomId room, Seq after,
                                                                                 int limit) = 0;

  // --- search -------------------------------------------------------------------------------
  // Messages `reader` may read that hold every word of `query` as the start of a word, in their
  // text or attachment's file name: of the content types (never system messages or events), not
  // deleted, in rooms `reader` is a member of now, and only in `room` when it is set. Best ranked
  // first (the engine's rank: more hits, and in FTS5 shorter texts, rank higher), then newest;
  // `offset` of them skipped, at most `limit` returned. A query of no words finds nothing.
  [[nodiscard]] virtual Result<std::vector<domain::Message>> search_messages(UserId reader,
                                                                             const domain::SearchQuery& query,
                                                                             std::optional<RoomId> room, int offset,
                                                                             int limit) = 0;

  // --- a message's life: replies, edits, deletions, reactions -------------------------------
  // One body for both backends (store/message_lifecycle.cpp), on the statements they share.
  [[nodiscard]] virtual SqlDatabase& sql() = 0;
  // The message at `seq` of the room, as it stands.
  [[nodiscard]] Result<std::optional<domain::Message>> find_message_at(RoomId room, Seq seq);
  // The messages at these seqs of the room that exist, by seq (at most 100 seqs).
  [[nodiscard]] Result<std::vector<domain::Message>> list_messages_at(RoomId room, std::span<const Seq> seqs);
  // Gives the message a new text and edited_at, keeping the text it had as its next earlier version.
  [[nodiscard]] Result<void> edit_message(RoomId room, Seq seq, const std::string& text, TimestampMs at);
  // Deletes the message for everyone: its text, attachment, earlier versions and reactions, and
  // the text of the edits that name it. Returns the upload it carried, if any.
  [[nodiscard]] Result<std::optional<std::string>> delete_message(RoomId room, Seq seq, TimestampMs at);
  // Oldest first.
  [[nodiscard]] Result<std::vector<domain::MessageVersion>> list_message_versions(RoomId room, Seq seq);
  // How many distinct emoji the message holds, and how many of them are `user`'s.
  struct ReactionTally {
    std::int64_t distinct = 0;
    std::int64_t mine = 0;
  };
  [[nodiscard]] Result<ReactionTally> tally_reactions(RoomId room, Seq seq, UserId user);
  // false when the user had already reacted so (add) or had not (remove): nothing changed.
  [[nodiscard]] Result<bool> add_reaction(RoomId room, Seq seq, UserId user, const std::string& emoji, TimestampMs at);
  [[nodiscard]] Result<bool> remove_reaction(RoomId room, Seq seq, UserId user, const std::string& emoji);
  // Who reacted with what, each emoji's reactions together in the order first used, then by time.
  [[nodiscard]] Result<std::vector<domain::Reaction>> list_reactions(RoomId room, Seq seq);
  // The reactions to the messages from `first` to `last`, counted per message and emoji for `reader`.
  struct SeqReactionCount {
    Seq seq = 0;
    domain::ReactionCount count;
  };
  [[nodiscard]] Result<std::vector<SeqReactionCount>> count_reactions(RoomId room, Seq first, Seq last, UserId reader);
  // When no message carries the upload any more, leaves it to the next sweep of unreferenced
  // uploads (which removes its record, and its bytes when no other upload has the same content).
  [[nodiscard]] Result<void> release_upload(const std::string& id);

  // --- uploads ------------------------------------------------------------------------------
  // conflict when the id is taken; not_found when the owner does not exist.
  [[nodiscard]] virtual Result<void> insert_upload(const domain::Upload& upload) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::Upload>> find_upload(const std::string& id) = 0;
  // The upload when `reader` may download it: its owner, or a member of a room holding a message
  // that carries it. nullopt both when it does not exist and when the reader may not see it.
  [[nodiscard]] virtual Result<std::optional<domain::Upload>> find_readable_upload(const std::string& id,
                                                                                   UserId reader) = 0;
  // Records the first reference only: a later one keeps the earlier time. not_found when no such upload.
  [[nodiscard]] virtual Result<void> mark_upload_referenced(const std::string& id, TimestampMs at) = 0;
  // Uploads no message refers to, created before `created_before`, oldest first, at most `limit`.
  [[nodiscard]] virtual Result<std::vector<domain::Upload>> list_unreferenced_uploads(TimestampMs created_before,
                                                                                      int limit) = 0;
  // Deleting an upload that is not there succeeds.
  [[nodiscard]] virtual Result<void> delete_upload(const std::string& id) = 0;
  // How many uploads keep this content: its blob may go when none does.
  [[nodiscard]] virtual Result<std::int64_t> count_uploads_with_sha256(const std::string& sha256) = 0;

  // --- outbox -------------------------------------------------------------------------------
  // conflict when the id is taken.
  [[nodiscard]] virtual Result<void> insert_delivery(const NewDelivery& delivery) = 0;
  // Claims up to `limit` pending deliveries of `kind` that are due at `now_ms` and not leased,
  // oldest first, skipping any with an earlier pending delivery to the same target under the
  // same order_key: leases them until `lease_until_ms` and counts the attempt. Two sessions
  // (two nodes) never claim the same delivery while its lease runs.
  [[nodiscard]] virtual Result<std::vector<domain::Delivery>> claim_deliveries(const std::string& kind,
                                                                             TimestampMs now_ms,
                                                                             TimestampMs lease_until_ms,
                                                                             int limit) = 0;
  // Records how an attempt ended and ends its lease. not_found when there is no such delivery.
  [[nodiscard]] virtual Result<void> finish_attempt(const DeliveryOutcome& outcome) = 0;
  // Up to `limit` deliveries of `kind` with position < before (before <= 0: from the newest),
  // newest first.
  [[nodiscard]] virtual Result<std::vector<domain::Delivery>> list_deliveries(const std::string& kind,
                                                                            std::int64_t before, int limit) = 0;
  // Makes the delivery pending again, due at `now_ms`, with its attempts counted from zero;
  // returns it as stored afterwards, or nullopt when there is no such delivery. `conflict` while
  // it, or another delivery to its target under its order key, is leased (an attempt under way):
  // the attempt's outcome would overwrite the requeue, or two of one room's would go at once.
  [[nodiscard]] virtual Result<std::optional<domain::Delivery>> requeue_delivery(const std::string& id,
                                                                               TimestampMs now_ms) = 0;
  // Coalescing (push): when the newest pending delivery of `newer`'s kind to its target under
  // its order key has `newer`'s event type and is waiting (no node attempting it at `now_ms`),
  // it takes `newer`'s payload, keeping its id, place and schedule, and true is returned; else
  // nothing changes and the caller inserts `newer`. One row rewritten in place, where ending the
  // waiting one and inserting another would touch every index of the outbox twice. Only the
  // newest, so that nothing overtakes a delivery written after it.
  [[nodiscard]] virtual Result<bool> replace_waiting_delivery(const NewDelivery& newer, TimestampMs now_ms) = 0;
  // Deletes up to `limit` delivered or failed deliveries last changed before `updated_before`;
  // returns how many went.
  [[nodiscard]] virtual Result<std::int64_t> delete_finished_deliveries(TimestampMs updated_before, int limit) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Applies pending migrations. Called once at start-up, before any session is opened.
  [[nodiscard]] virtual Result<void> migrate() = 0;
  [[nodiscard]] virtual Result<std::unique_ptr<StoreSession>> open_session() = 0;
  // Called at shutdown after the last write: makes the files compact and self-contained.
  virtual void checkpoint() noexcept {}
};

}  // namespace parley::store
