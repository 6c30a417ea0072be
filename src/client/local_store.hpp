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
  // Keeps a committed message (it has a seq). A message of this device's outbox with the same
  // client_msg_id leaves the outbox: the pending copy becomes the sent one, never two copies.
  // Returns false when it was held already.
  bool store_message(const Message& message);
  // The same for a page of messages in one transaction (one disk sync, not one per message);
  // returns the ones that were new.
  std::vector<Message> store_messages(const std::vector<Message>& messages);
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
  [[nodiscard]] Result<void> add_to_outbox(const Message& message, const std::string& local_file = "");
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
  std::mutex mutex_;
  std::unique_ptr<sqlite::Connection> db_;
};

}  // namespace parley::client
