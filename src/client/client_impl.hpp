#pragma once
// The state behind parley::Client. Network work happens on the connection's thread (its
// callbacks and everything posted there); app calls block on replies or read the local store.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <parley/client.hpp>

#include "client/local_store.hpp"
#include "client/transport.hpp"

namespace parley {

namespace client {
// Unique per sender without coordination: 128 random bits, in hex.
[[nodiscard]] std::string new_client_msg_id();
}  // namespace client

class Client::Impl {
 public:
  Impl(ClientOptions options, client::Endpoint server, std::unique_ptr<client::LocalStore> store);
  ~Impl();

  ClientOptions options;
  client::Endpoint server;
  std::unique_ptr<client::LocalStore> store;
  std::unique_ptr<client::Connection> connection;

  // --- observer and callback delivery -------------------------------------------------------
  void set_observer(Observer observer);
  std::size_t drain();
  template <class F>
  void notify(F&& call);
  // Tells the observer's `error` of a problem no call returns.
  void report(const Error& e);

  // --- account ------------------------------------------------------------------------------
  Result<User> sign_in(const std::string& route, boost::json::object body);
  std::optional<User> me() const;
  // A new token pair for the one whose access token `refused` was refused; true when the
  // caller should try again with the stored access token. Any thread.
  bool refresh_tokens(const std::string& refused);

  // --- calls over the connection --------------------------------------------------------------
  Result<boost::json::value> call(const std::string& op, boost::json::object params);

  // --- what the network thread does ------------------------------------------------------------
  void on_state(ConnectionState state);
  void on_online();
  void on_event(const std::string& name, const boost::json::object& data);
  Result<void> handle_event(const std::string& name, const boost::json::value& data);
  void sync(boost::json::array positions);
  // Keeps what a sync answer brings; returns the rooms to sync again (has_more).
  Result<boost::json::array> apply_sync(const boost::json::value& answer);
  // Rooms in the rooms list with messages on the server and none here: new to this device.
  std::vector<RoomId> rooms_without_messages();
  // Fetches the newest page of each of `rooms`, one after another; then the sync is done.
  void fill_rooms(std::vector<RoomId> rooms);
  // The room's newest page, kept; `then` gets the error, if the request failed.
  void fetch_first_page(RoomId room, std::function<void(const std::optional<Error>&)> then);
  // Fetches a room's members in the background, keeps them, and tells the observer.
  void refresh_members(RoomId room);
  void pump_outbox();
  void wake_outbox();
  // A file message's upload, on a thread of its own so that the connection keeps going; its
  // outcome comes back to the network thread (finish_upload), which then sends the message.
  void start_upload(const Message& pending, const std::string& local_file);
  void finish_upload(const Message& pending, Result<boost::json::value> upload);
  void fail_message(const Message& pending, const Error& e);  // refused for good
  // A reply or an event naming another message, into the outbox (client_actions.cpp).
  Result<Message> write_related(const MessageRef& target, const std::string& type, const std::string& text);
  // The seq an outbox entry names (relates_to or reply_to), looked up now when it named a
  // message that was itself pending when written: that one went out first (the outbox is
  // FIFO). An Error when it never did (failed or discarded).
  Result<void> resolve_target(Message& pending);
  // Tells the app of messages that events changed, and forgets the files of deleted ones.
  void announce_changes(const client::LocalStore::Stored& stored);
  // Why a message can never be sent as it is (not UTF-8, too long, unreadable), if so.
  static Result<void> check_sendable(const Message& message);

  // --- files ----------------------------------------------------------------------------------
  // Where send_file keeps its copy until the message is sent, and where files are cached.
  [[nodiscard]] std::filesystem::path outbox_files_dir() const { return options.data_dir / "outbox-files"; }
  [[nodiscard]] std::filesystem::path media_dir() const { return options.data_dir / "media"; }
  // Runs an HTTP transfer with the access token, once more with a fresh one if it had expired.
  template <class F>
  auto with_token(F&& transfer);
  // Reports progress through notify(), at most once per percent, and always the end.
  [[nodiscard]] std::function<void(std::int64_t, std::int64_t)> progress_reporter(TransferProgress progress);
  // The sender's copy of a sent file becomes the cached download: no need to fetch it back.
  void keep_as_download(const std::string& local_file, const Attachment& sent);
  // A deleted message's file leaves the cache.
  void forget_download(const std::string& upload_id);

  std::mutex progress_mutex;
  std::mutex refresh_mutex;  // guards refresh_flight
  std::shared_future<bool> refresh_flight;  // the token refresh under way, shared by its waiters
  std::unordered_map<std::string, TransferProgress> upload_progress;  // by client_msg_id
  std::atomic<bool> uploading{false};
  std::atomic<bool> closing{false};
  std::jthread uploader;

  // --- reading local state ----------------------------------------------------------------------
  // Sets state and counts of one's own committed messages from the members' watermarks.
  void derive_status(std::vector<Message>& messages, RoomId room) const;
  Message with_status(Message message) const;
  Room remember_room(const Room& room);  // stores and announces a rooms-list entry

  std::atomic<bool> outbox_busy{false};
  // Online and caught up: the sync after connecting has landed. What wait_online waits for, so
  // that an app never shows "connected" over a rooms list that is not there yet.
  std::atomic<bool> synced{false};
  std::mutex wait_mutex;
  std::condition_variable changed;  // online, or the outbox emptied

  mutable std::mutex ephemeral_mutex;
  std::unordered_map<RoomId, std::vector<UserId>> typing;
  std::unordered_map<UserId, Presence> presence;

 private:
  // `live`: a new message as it happens (it may count as unread). `current`: it comes in its
  // state of now (the message a reaction that changed nothing names), not as committed.
  void store_incoming(const Message& message, bool live, bool current = false);
  // A catch-up page: stored in one transaction, the room updated once.
  // `snapshot_seq`: the room's seq the server read the page at (0: unknown).
  void store_page(RoomId room, const std::vector<Message>& messages, Seq snapshot_seq);

 private:
  void mark_delivered(RoomId room, Seq seq);

  std::mutex observer_mutex_;
  Observer observer_;
  std::mutex queue_mutex_;
  std::deque<std::function<void()>> queue_;
};

template <class F>
void Client::Impl::notify(F&& call) {
  Observer observer;
  {
    std::lock_guard lock(observer_mutex_);
    observer = observer_;
  }
  auto task = [observer = std::move(observer), call = std::forward<F>(call)]() { call(observer); };
  if (options.executor) return options.executor(std::move(task));
  std::lock_guard lock(queue_mutex_);
  queue_.push_back(std::move(task));
}

template <class F>
auto Client::Impl::with_token(F&& transfer) {
  const auto token = store->get("access_token").value_or("");
  auto outcome = transfer(token);
  if (!outcome && outcome.error().code == ErrorCode::unauthorized && refresh_tokens(token))
    outcome = transfer(store->get("access_token").value_or(""));
  return outcome;
}

}  // namespace parley
