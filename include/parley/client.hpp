#pragma once
// parley::Client: the SDK an app embeds. Offline first: everything the app shows comes from a
// local SQLite database in the data directory, which the client keeps in step with the server
// while it can reach it. A message the app sends is on disk before send() returns and goes out,
// in order and once, whenever the connection allows, even after the app restarts.
//
// Calls that need the server block until it answers (or `request_timeout`); call them off the
// UI thread. Calls that read local state never block on the network.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <parley/error.hpp>
#include <parley/types.hpp>

namespace parley {

struct ClientOptions {
  // http://host:port, or https://host:port for TLS (https and wss).
  std::string server = "http://127.0.0.1:8080";
  // For https: a PEM file of the certificate authorities to trust instead of the system's
  // (OpenSSL's default paths). The server's name is checked against its certificate either way.
  std::filesystem::path ca_file;
  std::filesystem::path data_dir = "parley-data";
  std::chrono::milliseconds request_timeout{10'000};
  // Reconnection waits a random time up to min * 2^attempt, at most max (full jitter), so that
  // thousands of clients that lost the server at once do not return at once.
  std::chrono::milliseconds reconnect_min{200};
  std::chrono::milliseconds reconnect_max{30'000};
  // Where observer callbacks run. Empty: they queue up, and the app runs them with drain().
  std::function<void(std::function<void()>)> executor;
};

// A file to send (send_file). Empty fields are worked out from the file.
struct SendFileOptions {
  std::string type;       // image, file, audio or video; empty: from the media type
  std::string mime_type;  // empty: from the file name's extension
  std::string caption;
  std::optional<std::int32_t> width;  // for images and videos, when the app knows them
  std::optional<std::int32_t> height;
  std::optional<std::int64_t> duration_ms;  // for audio and video
};

// How far a file transfer is: bytes moved so far and the file's size. Runs where observer
// callbacks run (the executor, or drain()); the last call has done == total.
using TransferProgress = std::function<void(std::int64_t done, std::int64_t total)>;

// The message a reply or an action names: by its seq once the server has it, or, while it is
// still pending on this device, by its client_msg_id (the action then goes out after it and
// names its seq). A Message converts to it.
struct MessageRef {
  RoomId room;
  Seq seq = 0;
  std::string client_msg_id;
  MessageRef(RoomId room_id, Seq message_seq) : room(room_id), seq(message_seq) {}
  MessageRef(RoomId room_id, std::string pending_client_msg_id)
      : room(room_id), client_msg_id(std::move(pending_client_msg_id)) {}
  MessageRef(const Message& m) : room(m.room_id), seq(m.seq), client_msg_id(m.client_msg_id) {}  // NOLINT: implicit on purpose
};

// What changed, for the screens to redraw. Each callback is optional.
struct Observer {
  std::function<void(ConnectionState)> connection;
  // New, or changed: its state (pending -> sent -> read), or, by an edit, a deletion or a
  // reaction, its text, `deleted` or `reactions`. Events themselves are not passed here, except
  // one's own that failed for good (its type says which, to retry or discard).
  std::function<void(const Message&)> message;
  std::function<void(const Room&)> room;        // a rooms-list entry changed (unread count, last message)
  std::function<void(RoomId)> receipts;         // watermarks moved there: one's messages may be delivered or read now
  std::function<void(RoomId, const std::vector<Member>&)> members;  // who is in a room changed
  std::function<void(RoomId)> room_removed;     // left, or removed by an admin
  std::function<void(RoomId, const std::vector<UserId>&)> typing;  // who is typing there now
  std::function<void(const Presence&)> presence;
  // Something went wrong in the background that no call returns: an event the server sent in
  // a shape the SDK cannot read (it is skipped), the local database refusing a write.
  std::function<void(const Error&)> error;
};

class Client {
 public:
  // Opens (creating if needed) the local database in options.data_dir.
  [[nodiscard]] static Result<std::unique_ptr<Client>> open(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void set_observer(Observer observer);
  // Runs the queued callbacks when no executor was given; returns how many ran.
  std::size_t drain();

  // --- account ----------------------------------------------------------------------------
  [[nodiscard]] Result<User> register_account(const std::string& username, const std::string& password,
                                              const std::string& display_name = "");
  [[nodiscard]] Result<User> login(const std::string& username, const std::string& password);
  // Signs out on the server and forgets the tokens; the local history stays.
  [[nodiscard]] Result<void> logout();
  // The signed-in user, from the local store (survives restarts).
  [[nodiscard]] std::optional<User> me() const;
  [[nodiscard]] Result<User> find_user(const std::string& username);

  // --- connection ---------------------------------------------------------------------------
  // Connects, and reconnects by itself with backoff until disconnect(). Needs a signed-in user.
  void connect();
  void disconnect();
  [[nodiscard]] ConnectionState connection_state() const;
  // Blocks until online and caught up (the sync after connecting has landed), or the timeout
  // passes; true when online and caught up.
  bool wait_online(std::chrono::milliseconds timeout);
  // Blocks until the outbox is empty (everything sent or failed) or the timeout passes.
  bool wait_outbox_empty(std::chrono::milliseconds timeout);

  // --- rooms --------------------------------------------------------------------------------
  [[nodiscard]] std::vector<Room> rooms() const;  // local, most recent first
  [[nodiscard]] std::optional<Room> room(RoomId id) const;
  [[nodiscard]] Result<Room> direct_room(const std::string& username);
  [[nodiscard]] Result<Room> create_group(const std::string& name, const std::vector<UserId>& members);
  [[nodiscard]] Result<void> rename_group(RoomId room, const std::string& name);
  // Asks the server for the members (and keeps them locally).
  [[nodiscard]] Result<std::vector<Member>> members(RoomId room);
  // The members as this device last heard, kept up to date while online.
  [[nodiscard]] std::vector<Member> cached_members(RoomId room) const;
  [[nodiscard]] Result<Member> add_member(RoomId room, UserId user, const std::string& role = "member");
  [[nodiscard]] Result<void> remove_member(RoomId room, UserId user);
  [[nodiscard]] Result<Member> set_role(RoomId room, UserId user, const std::string& role);
  [[nodiscard]] Result<void> leave(RoomId room);

  // --- messages -----------------------------------------------------------------------------
  // Returns at once with the message pending, already in the outbox on disk.
  [[nodiscard]] Result<Message> send_text(RoomId room, const std::string& text);
  [[nodiscard]] Result<Message> send(RoomId room, const std::string& type, const std::string& text,
                                     std::optional<Attachment> attachment);
  // A file as an image, file, audio or video message. The file is copied into the data
  // directory before this returns (the app may delete its own copy), then the outbox uploads it
  // and sends the message, whenever the connection allows, even after a restart. A refused file
  // (unsupported_media_type, payload_too_large) leaves the message failed with that code.
  // `progress` reports the upload made by this process.
  [[nodiscard]] Result<Message> send_file(RoomId room, const std::filesystem::path& file, SendFileOptions options = {},
                                          TransferProgress progress = {});
  // The file of a message's attachment, downloaded once into the data directory: later calls
  // return the same path without asking the server. An interrupted download resumes where it
  // stopped. Blocks while downloading.
  [[nodiscard]] Result<std::filesystem::path> download(const Message& message, TransferProgress progress = {});
  [[nodiscard]] Result<std::filesystem::path> download(const std::string& upload_id, TransferProgress progress = {});
  // A failed message: back to pending, or gone.
  [[nodiscard]] Result<void> retry(const std::string& client_msg_id);
  [[nodiscard]] Result<void> discard(const std::string& client_msg_id);
  // The local history: up to `limit` messages before seq `before` (0: the newest), oldest
  // first, followed by this device's pending and failed messages when `before` is 0. Each in
  // its current state (edited, deleted, reactions); the events (edit, deletion, reaction,
  // reaction_removed) are not listed: they show on the messages they name.
  [[nodiscard]] std::vector<Message> messages(RoomId room, std::size_t limit = 50, Seq before = 0) const;
  // Fetches the page before the oldest message held locally, keeps it, and returns it.
  [[nodiscard]] Result<std::vector<Message>> load_older(RoomId room, std::size_t limit = 50);
  // Asks the server for the messages of the user's rooms (or of options.room) holding every
  // word of `query`, best first, a page at a time. Needs the server: nothing is searched locally.
  [[nodiscard]] Result<SearchResults> search(const std::string& query, const SearchOptions& options = {});
  // --- a message's life: replies, edits, deletions, reactions (docs/sdk.md) ----------------
  // Each is a message in the outbox, on disk before the call returns, that goes out in order
  // when the connection allows. The change shows on the message it names once the server has
  // it: the observer's `message` gets that message in its new state.
  [[nodiscard]] Result<Message> reply(const MessageRef& to, const std::string& text);
  [[nodiscard]] Result<Message> reply(RoomId room, Seq seq, const std::string& text) { return reply({room, seq}, text); }
  // The new text (or caption) of one's own message.
  [[nodiscard]] Result<Message> edit(const MessageRef& target, const std::string& text);
  [[nodiscard]] Result<Message> edit(RoomId room, Seq seq, const std::string& text) { return edit({room, seq}, text); }
  // Deletes for everyone one's own message (or, for a group admin, anyone's).
  [[nodiscard]] Result<Message> remove(const MessageRef& target);
  [[nodiscard]] Result<Message> remove(RoomId room, Seq seq) { return remove({room, seq}); }
  // Adds or takes back one's reaction: one emoji.
  [[nodiscard]] Result<Message> react(const MessageRef& target, const std::string& emoji);
  [[nodiscard]] Result<Message> react(RoomId room, Seq seq, const std::string& emoji) { return react({room, seq}, emoji); }
  [[nodiscard]] Result<Message> unreact(const MessageRef& target, const std::string& emoji);
  [[nodiscard]] Result<Message> unreact(RoomId room, Seq seq, const std::string& emoji) { return unreact({room, seq}, emoji); }
  // Asks the server who reacted with what, and a message's earlier texts (oldest first).
  [[nodiscard]] Result<std::vector<ReactionUsers>> reactions(RoomId room, Seq seq);
  [[nodiscard]] Result<std::vector<MessageVersion>> versions(RoomId room, Seq seq);

  // Marks read (and delivered) up to `seq` (0: the newest held).
  [[nodiscard]] Result<void> mark_read(RoomId room, Seq seq = 0);

  // --- typing and presence ------------------------------------------------------------------
  [[nodiscard]] Result<void> start_typing(RoomId room);
  [[nodiscard]] Result<void> stop_typing(RoomId room);
  [[nodiscard]] std::vector<UserId> typing(RoomId room) const;
  // available, away, busy or invisible.
  [[nodiscard]] Result<void> set_presence(const std::string& status);
  [[nodiscard]] std::optional<Presence> presence(UserId user) const;

  class Impl;

 private:
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley
