#pragma once
// The SDK's database on the device: the session, the rooms list, the messages seen, the
// members' watermarks, and the outbox. Thread-safe: one connection behind one mutex.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <parley/error.hpp>
#include <parley/types.hpp>

namespace parley::sqlite {
class Connection;
}

namespace parley::client {

struct Watermark {
  UserId user;
  Seq delivered = 0;
  Seq read = 0;
};

class LocalStore {
 public:
  [[nodiscard]] static Result<std::unique_ptr<LocalStore>> open(const std::filesystem::path& data_dir);
  ~LocalStore();

  // --- session: tokens and the signed-in user ------------------------------------------------
  [[nodiscard]] std::optional<std::string> get(const std::string& key);
  [[nodiscard]] Result<void> put(const std::string& key, const std::string& value);
  // Several keys in one transaction: a new token pair is kept whole or not at all.
  [[nodiscard]] Result<void> put_all(const std::vector<std::pair<std::string, std::string>>& entries);
  void erase(const std::string& key);

  // --- rooms ---------------------------------------------------------------------------------
  void upsert_room(const Room& room);
  void remove_room(RoomId room);
  [[nodiscard]] std::vector<Room> rooms();  // most recent activity first
  [[nodiscard]] std::optional<Room> room(RoomId room);

  // --- messages ------------------------------------------------------------------------------
  // What storing messages did: the ones new here, the messages an event or a newer state from
  // the server changed (in their new state), and the uploads of deleted messages, whose cached
  // files must go.
  struct Stored {
    std::vector<Message> fresh;
    std::vector<Message> changed;
    std::vector<std::string> deleted_uploads;
  };
  // Keeps committed messages (they have a seq) in one transaction (one disk sync, not one per
  // message). A message of this device's outbox with the same client_msg_id leaves the outbox:
  // the pending copy becomes the sent one, never two copies. An event (edit, deletion, reaction)
  // new here is applied to the stored message it names, unless that message's state already
  // holds it; a deletion also clears the text of its edits and of the replies' previews.
  // A message held already takes the server's newer state, except that a deleted one stays
  // deleted. `self`: the signed-in user, whose reactions are `mine`. `current`: the messages
  // come in their state of now (history, sync); else as they were committed (a live message,
  // an acknowledgement), and events since then are still to be applied to them.
  // `snapshot_seq`: for current messages, the room's last seq the server read them at (a
  // history page's or a sync's `last_seq`); their state holds the events up to it and none
  // after, and events held here after it are applied to them again. 0 when unknown: the newest
  // seq known here stands in for it.
  Stored store_messages(const std::vector<Message>& messages, UserId self, bool current, Seq snapshot_seq = 0);
  // A committed message of this device, found by the id it was sent with.
  [[nodiscard]] std::optional<Message> find_sent(const std::string& client_msg_id);
  [[nodiscard]] Seq newest_seq(RoomId room);
  [[nodiscard]] Seq oldest_seq(RoomId room);
  // Up to `limit` committed messages with seq < before (0: newest), oldest first.
  [[nodiscard]] std::vector<Message> history(RoomId room, std::size_t limit, Seq before);
  // The history page and the room's outbox read together, so that a message acknowledged
  // meanwhile is in one of them.
  struct Page {
    std::vector<Message> history;
    std::vector<Message> outbox;
  };
  [[nodiscard]] Page history_and_outbox(RoomId room, std::size_t limit, Seq before);
  [[nodiscard]] std::optional<Message> find_message(RoomId room, Seq seq);

  // --- outbox --------------------------------------------------------------------------------
  // `local_file`: for a file message, the SDK's own copy of the file, uploaded before sending.
  // An Error when the row could not be written (the disk full, say): the message is not kept.
  // `target_client_msg_id`: for an event or a reply written while the message it names was itself
  // pending, that message's client_msg_id; its seq is looked up when the event is sent.
  [[nodiscard]] Result<void> add_to_outbox(const Message& message, const std::string& local_file = "",
                                           const std::string& target_client_msg_id = "");
  [[nodiscard]] std::string outbox_target(const std::string& client_msg_id);
  // The oldest pending message of all rooms: sends go out in the order they were written.
  [[nodiscard]] std::optional<Message> next_pending();
  [[nodiscard]] std::vector<Message> outbox(RoomId room);  // pending and failed, oldest first
  [[nodiscard]] std::optional<Message> outbox_message(const std::string& client_msg_id);
  [[nodiscard]] Result<void> set_outbox_state(const std::string& client_msg_id, MessageState state,
                                              const std::string& failure,
                                              std::optional<ErrorCode> failure_code = std::nullopt);
  // A file message's local file, and whether its upload was already made again once.
  struct OutboxFile {
    std::string path;
    bool uploaded_again = false;
  };
  [[nodiscard]] std::optional<OutboxFile> outbox_file(const std::string& client_msg_id);
  // The upload is on the server: a send retried later (even after a restart) does not upload again.
  [[nodiscard]] Result<void> set_outbox_upload(const std::string& client_msg_id, const Attachment& uploaded);
  // The server no longer knows the upload (it expired before the message went): upload again, once.
  [[nodiscard]] Result<void> forget_outbox_upload(const std::string& client_msg_id);
  bool remove_from_outbox(const std::string& client_msg_id);
  [[nodiscard]] std::size_t pending_count();

  // --- members -------------------------------------------------------------------------------
  void replace_members(RoomId room, const std::vector<Member>& members);
  [[nodiscard]] std::vector<Member> members(RoomId room);

  // --- watermarks ----------------------------------------------------------------------------
  // Moves forward only, as on the server.
  void advance_watermark(RoomId room, const Watermark& mark);
  [[nodiscard]] std::vector<Watermark> watermarks(RoomId room);

 private:
  explicit LocalStore(std::unique_ptr<sqlite::Connection> db);
  // The reads behind history() and outbox(), for a caller that holds mutex_.
  [[nodiscard]] std::vector<Message> history_locked(RoomId room, std::size_t limit, Seq before);
  [[nodiscard]] std::vector<Message> outbox_locked(RoomId room);
  // Parts of store_messages, for a caller inside its transaction.
  void store_one(const Message& message, UserId self, Seq state_as_of, Stored& stored);
  void apply_to_target(const Message& event, UserId self, Stored& stored);
  void apply_events_after_locked(RoomId room, Seq after, UserId self, Stored& stored);
  void update_previews(const Message& target);
  [[nodiscard]] Seq state_as_of_locked(RoomId room, Seq newest_in_batch);
  std::mutex mutex_;
  std::unique_ptr<sqlite::Connection> db_;
};

}  // namespace parley::client
