#include "client/client_impl.hpp"
#include "core/error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "client/file_transfer.hpp"
#include "client/json_mapping.hpp"
#include "client/log.hpp"
#include "client/reply_fields.hpp"
#include "domain/limits.hpp"
#include "domain/message_status.hpp"
#include "protocol/json_codec.hpp"
#include "domain/validation.hpp"

namespace parley {

namespace json = boost::json;
using client::message_from_json;
using client::room_from_json;
using client::array_field;
using client::committed_message;
using client::int_field;
using client::int_in;
using client::malformed_reply;
using client::object_field;
using client::string_field;

namespace {

// Keys of the session table.
constexpr const char* kAccessToken = "access_token";
constexpr const char* kRefreshToken = "refresh_token";
constexpr const char* kMe = "me";

// Messages a sync asks for per room; more come in further rounds (has_more).
constexpr int kSyncLimit = 500;
// The newest page fetched for a room that arrives without messages (joined elsewhere, or while
// offline): what a chat screen shows first, so that it reads the same offline. Older pages
// come with load_older.
constexpr int kFirstPageLimit = 50;

bool is_permanent(const Error& e) {
  auto kind = e.kind();
  return kind == ErrorKind::invalid || kind == ErrorKind::forbidden || kind == ErrorKind::not_found ||
         kind == ErrorKind::conflict;
}

// An access and a refresh token from a token response (register, login, refresh).
struct TokenPair {
  std::string access;
  std::string refresh;
};

Result<TokenPair> tokens_of(const json::value& grant) {
  PARLEY_TRY(access, string_field(grant, "access_token"));
  PARLEY_TRY(refresh, string_field(grant, "refresh_token"));
  if (access.empty() || refresh.empty()) return std::unexpected(malformed_reply("a token is empty"));
  return TokenPair{std::move(access), std::move(refresh)};
}

}  // namespace

Client::Impl::Impl(ClientOptions opts, client::Endpoint endpoint, std::unique_ptr<client::LocalStore> local)
    : options(std::move(opts)), server(std::move(endpoint)), store(std::move(local)) {
  client::Connection::Callbacks callbacks;
  callbacks.access_token = [this] { return store->get(kAccessToken).value_or(""); };
  callbacks.refresh_token = [this](const std::string& refused) { return refresh_tokens(refused); };
  callbacks.failure = [this](const Error& e) { report(e); };
  callbacks.state_changed = [this](ConnectionState s) { on_state(s); };
  callbacks.online = [this] { on_online(); };
  callbacks.event = [this](const std::string& name, const json::object& data) { on_event(name, data); };
  connection = std::make_unique<client::Connection>(server, std::move(callbacks),
                                                    client::Connection::Backoff{options.reconnect_min, options.reconnect_max});
}

Client::Impl::~Impl() {
  // An upload in flight stops at its next chunk, and its outcome is dropped: the message stays
  // pending on disk, and the next run uploads it again.
  closing = true;
  if (uploader.joinable()) uploader.join();
  // The network thread's work uses `connection`: join it while the pointer is still valid.
  connection->shutdown();
}

void Client::Impl::set_observer(Observer observer) {
  std::lock_guard lock(observer_mutex_);
  observer_ = std::move(observer);
}

void Client::Impl::report(const Error& e) {
  notify([e](const Observer& o) {
    if (o.error) o.error(e);
  });
}

std::size_t Client::Impl::drain() {
  std::deque<std::function<void()>> ready;
  {
    std::lock_guard lock(queue_mutex_);
    ready.swap(queue_);
  }
  for (auto& task : ready) task();
  return ready.size();
}

// --- account ----------------------------------------------------------------------------------

Result<User> Client::Impl::sign_in(const std::string& route, json::object body) {
  PARLEY_TRY(grant, client::http_call(server, "POST", route, body, "", options.request_timeout));
  PARLEY_TRY(user_object, object_field(grant, "user"));
  PARLEY_TRY(tokens, tokens_of(grant));
  User user = client::user_from_object(*user_object);
  if (user.id.value <= 0) return std::unexpected(malformed_reply("the user has no id"));
  PARLEY_CHECK(store->put_all({{kAccessToken, tokens.access},
                               {kRefreshToken, tokens.refresh},
                               {kMe, json::serialize(client::to_json(user))}}));
  return user;
}

std::optional<User> Client::Impl::me() const {
  auto text = store->get(kMe);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec) return std::nullopt;
  return client::user_from_json(v);
}

bool Client::Impl::refresh_tokens(const std::string& refused) {
  // Single flight: the network thread and any number of app threads may find the same access
  // token refused at once. A refresh token presented twice is taken by the server as stolen,
  // and it ends the whole login; so the first caller asks, and every caller that was refused
  // the same token meanwhile waits for that one answer.
  std::promise<bool> mine;
  std::shared_future<bool> flight;
  std::string refresh;
  {
    std::lock_guard lock(refresh_mutex);
    const auto current = store->get(kAccessToken);
    if (!current) return false;                 // signed out meanwhile
    if (*current != refused) return true;       // replaced already: try the new one
    if (refresh_flight.valid()) {
      flight = refresh_flight;                  // one is under way for this token: share it
    } else {
      auto stored = store->get(kRefreshToken);
      if (!stored) return false;
      refresh = *stored;
      refresh_flight = flight = mine.get_future().share();
    }
  }
  if (refresh.empty()) return flight.get();
  bool renewed = false;
  auto grant = client::http_call(server, "POST", "/v1/auth/refresh", {{"refresh_token", refresh}}, "",
                                 options.request_timeout);
  if (grant) {
    auto tokens = tokens_of(*grant);
    auto kept = tokens ? store->put_all({{kAccessToken, tokens->access}, {kRefreshToken, tokens->refresh}})
                       : Result<void>(std::unexpected(tokens.error()));
    if (!kept) report(kept.error());
    renewed = kept.has_value();
  }
  {
    std::lock_guard lock(refresh_mutex);
    refresh_flight = {};
  }
  mine.set_value(renewed);
  return renewed;
}

Result<json::value> Client::Impl::call(const std::string& op, json::object params) {
  return connection->call(op, std::move(params), options.request_timeout);
}

// --- connection -------------------------------------------------------------------------------

void Client::Impl::on_state(ConnectionState state) {
  client::log(client::LogLevel::info, std::string("connection ") + to_string(state));
  if (state != ConnectionState::online) {
    outbox_busy = false;
    synced = false;
  }
  notify([state](const Observer& o) {
    if (o.connection) o.connection(state);
  });
  changed.notify_all();
}

void Client::Impl::on_online() {
  // Catch up first, then send what waited: the outbox goes out after what it may reply to.
  json::array positions;
  for (const auto& room : store->rooms())
    positions.push_back(json::object{{"room_id", room.id.value}, {"after_seq", store->newest_seq(room.id)}});
  sync(std::move(positions));
}

void Client::Impl::sync(json::array positions) {
  json::object params{{"rooms", positions}, {"limit", kSyncLimit}};
  connection->request("sync", std::move(params), [this, positions](Result<json::value> answer) {
    if (!answer) {
      const Error& e = answer.error();
      if (e.kind() == ErrorKind::network) return;  // offline again: the next connect syncs
      if (is_permanent(e)) {
        // Asking again would only be refused again: what waits in the outbox still goes out.
        synced = true;
        changed.notify_all();
        return pump_outbox();
      }
      // Refused for now (rate limited, the store unavailable): the outbox waits behind the
      // catch-up, so ask again rather than stay behind until the next reconnect.
      auto wait = std::chrono::milliseconds(e.retry_after_ms > 0 ? e.retry_after_ms : 1000);
      return connection->run_after(wait, [this, positions] {
        if (connection->state() == ConnectionState::online) sync(positions);
      });
    }
    auto again = apply_sync(*answer);
    if (!again) report(again.error());  // what could be read is kept; the outbox goes on
    if (again && !again->empty()) return sync(std::move(*again));
    fill_rooms(rooms_without_messages());
  });
}

std::vector<RoomId> Client::Impl::rooms_without_messages() {
  std::vector<RoomId> empty;
  for (const auto& room : store->rooms())
    if (room.last_seq > 0 && store->newest_seq(room.id) == 0) empty.push_back(room.id);
  return empty;
}

void Client::Impl::fill_rooms(std::vector<RoomId> rooms) {
  // Caught up only once these are here too: wait_online promises that what the user can see
  // online is on the device.
  if (rooms.empty()) {
    synced = true;
    changed.notify_all();
    return pump_outbox();
  }
  const RoomId room = rooms.back();
  rooms.pop_back();
  fetch_first_page(room, [this, room, rooms = std::move(rooms)](const std::optional<Error>& e) mutable {
    if (!e) return fill_rooms(std::move(rooms));
    if (e->kind() == ErrorKind::network) return;  // offline again: the next connect syncs and fills
    if (is_permanent(*e)) return fill_rooms(std::move(rooms));  // gone meanwhile, say: the others still come
    // Refused for now (rate limited, busy): the same room again after the wait.
    rooms.push_back(room);
    auto wait = std::chrono::milliseconds(e->retry_after_ms > 0 ? e->retry_after_ms : 1000);
    connection->run_after(wait, [this, rooms = std::move(rooms)]() mutable {
      if (connection->state() == ConnectionState::online) fill_rooms(std::move(rooms));
    });
  });
}

void Client::Impl::fetch_first_page(RoomId room, std::function<void(const std::optional<Error>&)> then) {
  json::object params{{"room_id", room.value}, {"limit", kFirstPageLimit}};
  connection->request("messages.history", std::move(params), [this, room, then = std::move(then)](Result<json::value> answer) {
    if (!answer) return then(answer.error());
    auto page = client::messages_of(*answer);
    if (!page) {
      report(page.error());
      return then(std::nullopt);  // asking again would get the same
    }
    std::erase_if(*page, [room](const Message& m) { return m.room_id != room; });
    store_page(room, *page, client::last_seq_of(*answer));
    if (!page->empty()) {
      mark_delivered(room, page->back().seq);
      refresh_members(room);
    }
    then(std::nullopt);
  });
}

Result<json::array> Client::Impl::apply_sync(const json::value& answer) {
  PARLEY_TRY(rooms, array_field(answer, "rooms"));
  PARLEY_TRY(left, array_field(answer, "left"));
  PARLEY_TRY(catch_up, array_field(answer, "catch_up"));
  // The answer is one moment of the server's store: each room's last_seq is the seq up to which
  // its catch-up holds the room's events.
  std::map<std::int64_t, Seq> snapshot_seqs;
  for (const auto& r : *rooms) {
    const auto* o = r.if_object();
    if (!o) return std::unexpected(malformed_reply("a room is not an object"));
    auto room = client::room_from_object(*o);
    if (room.id.value <= 0) return std::unexpected(malformed_reply("a room without an id"));
    snapshot_seqs[room.id.value] = room.last_seq;
    remember_room(room);
  }
  for (const auto& id : *left) {
    PARLEY_TRY(gone, int_in(id));
    RoomId room{gone};
    store->remove_room(room);
    notify([room](const Observer& obs) {
      if (obs.room_removed) obs.room_removed(room);
    });
  }
  json::array again;
  for (const auto& entry : *catch_up) {
    PARLEY_TRY(room_id, int_field(entry, "room_id"));
    PARLEY_TRY(marks, array_field(entry, "members"));
    PARLEY_TRY(has_more, client::bool_field(entry, "has_more"));
    RoomId room{room_id};
    for (const auto& w : *marks) {
      PARLEY_TRY(user, int_field(w, "user_id"));
      PARLEY_TRY(delivered, int_field(w, "delivered_seq"));
      PARLEY_TRY(read, int_field(w, "read_seq"));
      store->advance_watermark(room, {UserId{user}, delivered, read});
    }
    PARLEY_TRY(page, client::messages_of(entry));
    Seq newest = page.empty() ? 0 : page.back().seq;
    const auto snapshot = snapshot_seqs.find(room.value);
    store_page(room, page, snapshot == snapshot_seqs.end() ? 0 : snapshot->second);
    if (newest > 0) {
      mark_delivered(room, newest);
      refresh_members(room);
    }
    // A "more" with nothing in it would ask the same again for ever.
    if (has_more && newest > 0) again.push_back(json::object{{"room_id", room.value}, {"after_seq", newest}});
  }
  return again;
}

// --- outbox -----------------------------------------------------------------------------------

void Client::Impl::wake_outbox() {
  connection->post([this] { pump_outbox(); });
}

void Client::Impl::pump_outbox() {
  // An upload on its way finishes (and pumps) first, even across a reconnect.
  if (uploading || connection->state() != ConnectionState::online || outbox_busy.exchange(true)) return;
  auto next = store->next_pending();
  if (!next) {
    outbox_busy = false;
    changed.notify_all();
    return;
  }
  // The server would close the connection on such a frame, and the next connection would send
  // it first again: it can never go, so it fails here and the rest of the outbox goes on.
  if (auto unsendable = check_sendable(*next); !unsendable) {
    fail_message(*next, unsendable.error());
    outbox_busy = false;
    return pump_outbox();
  }
  if (auto resolved = resolve_target(*next); !resolved) {
    fail_message(*next, resolved.error());
    outbox_busy = false;
    return pump_outbox();
  }
  auto file = next->attachment ? store->outbox_file(next->client_msg_id) : std::nullopt;
  if (file && next->attachment->upload_id.empty()) return start_upload(*next, file->path);
  // One at a time, in the order written: a later message never overtakes an earlier one, even
  // when the earlier one has to wait and be retried.
  json::object params{{"room_id", next->room_id.value}, {"client_msg_id", next->client_msg_id},
                      {"type", next->type}, {"text", next->text}};
  if (next->attachment) params["attachment"] = protocol::to_json(*next->attachment);
  if (next->relates_to) params["relates_to"] = *next->relates_to;
  if (next->reply_to) params["reply_to"] = *next->reply_to;
  connection->request("messages.send", std::move(params), [this, pending = *next, file](Result<json::value> answer) {
    Result<Message> acked = std::unexpected(Error{});
    // A reaction already there (or removal of one not there) stores nothing: the answer is the
    // message it names, as it stands.
    bool unchanged = false;
    if (answer) {
      auto message = object_field(*answer, "message");
      acked = message ? committed_message(**message) : Result<Message>(std::unexpected(message.error()));
      auto flag = client::bool_field(*answer, "unchanged");
      unchanged = flag && *flag && is_event_type(pending.type);
      if (acked && !unchanged && acked->client_msg_id != pending.client_msg_id)
        acked = std::unexpected(malformed_reply("the acknowledgement is for another message"));
      if (!acked) answer = std::unexpected(acked.error());
    }
    if (answer) {
      const Message& sent = *acked;
      if (file && sent.attachment) keep_as_download(file->path, *sent.attachment);
      if (file) {
        std::lock_guard lock(progress_mutex);
        upload_progress.erase(pending.client_msg_id);
      }
      if (unchanged) (void)store->remove_from_outbox(pending.client_msg_id);
      store_incoming(sent, !unchanged, unchanged);
      outbox_busy = false;
      return pump_outbox();
    }
    const Error& e = answer.error();
    // The upload expired on the server before the message went (a long time offline): the
    // file is still here, so upload it again, once.
    if (e.code == ErrorCode::not_found && file && !file->uploaded_again) {
      if (auto kept = store->forget_outbox_upload(pending.client_msg_id); !kept) {
        fail_message(pending, kept.error());  // else it would be sent with the dead upload for ever
      }
      outbox_busy = false;
      return pump_outbox();
    }
    if (is_permanent(e)) {
      fail_message(pending, e);
      outbox_busy = false;
      return pump_outbox();
    }
    outbox_busy = false;
    if (e.kind() == ErrorKind::network) return;  // the next connect pumps again
    // Rate limited or the server busy: wait as told (or a second), then go on.
    auto wait = std::chrono::milliseconds(e.retry_after_ms > 0 ? e.retry_after_ms : 1000);
    connection->run_after(wait, [this] { pump_outbox(); });
  });
}

Result<void> Client::Impl::check_sendable(const Message& message) {
  if (!domain::is_valid_utf8(message.text) || !domain::is_valid_utf8(message.type) ||
      (message.attachment && (!domain::is_valid_utf8(message.attachment->name) ||
                              !domain::is_valid_utf8(message.attachment->mime_type))))
    return fail(ErrorCode::invalid_utf8, "the message is not valid UTF-8");
  if (message.text.size() > domain::limits::kTextMaxBytes)
    return fail(ErrorCode::payload_too_large,
                "a message's text is at most " + std::to_string(domain::limits::kTextMaxBytes) + " bytes");
  if (message.client_msg_id.empty() || message.room_id.value <= 0)
    return fail(ErrorCode::invalid_payload, "the outbox holds a message that cannot be read back");
  return {};
}

void Client::Impl::fail_message(const Message& pending, const Error& e) {
  client::log(client::LogLevel::warning, "message " + pending.client_msg_id + " failed for good: " + e.message);
  if (auto kept = store->set_outbox_state(pending.client_msg_id, MessageState::failed, e.message, e.code); !kept) {
    // Not marked failed, it would be the next pending message again at once: drop it rather
    // than block the outbox, and say so.
    report(kept.error());
    (void)store->remove_from_outbox(pending.client_msg_id);
  }
  Message failed = pending;
  failed.state = MessageState::failed;
  failed.failure = e.message;
  failed.failure_code = e.code;
  notify([failed](const Observer& o) {
    if (o.message) o.message(failed);
  });
  {
    std::lock_guard lock(progress_mutex);
    upload_progress.erase(pending.client_msg_id);
  }
}

void Client::Impl::start_upload(const Message& pending, const std::string& local_file) {
  uploading = true;
  if (uploader.joinable()) uploader.join();  // the previous upload's thread, finished already
  TransferProgress progress;
  {
    std::lock_guard lock(progress_mutex);
    if (auto it = upload_progress.find(pending.client_msg_id); it != upload_progress.end()) progress = it->second;
  }
  auto report = progress_reporter(std::move(progress));
  uploader = std::jthread([this, pending, local_file, report] {
    const auto& a = *pending.attachment;
    client::UploadRequest request{local_file, a.name, a.mime_type, a.width, a.height, a.duration_ms};
    auto on_chunk = [this, &report](std::int64_t done, std::int64_t total) {
      // Unwinds the transfer: the client is closing.
      if (closing) throw std::runtime_error("the client is closing");
      report(done, total);
    };
    auto upload = with_token([&](const std::string& token) {
      return client::upload_file(server, token, request, on_chunk, options.request_timeout);
    });
    if (closing) return;
    connection->post([this, pending, upload = std::move(upload)]() mutable { finish_upload(pending, std::move(upload)); });
  });
}

void Client::Impl::finish_upload(const Message& pending, Result<json::value> upload) {
  uploading = false;
  outbox_busy = false;
  if (upload) {
    auto upload_id = string_field(*upload, "upload_id");
    auto size = int_field(*upload, "size");
    if (!upload_id || !size || upload_id->empty()) {
      upload = std::unexpected(!upload_id ? upload_id.error() : !size ? size.error() : malformed_reply("an empty upload id"));
    } else {
      Attachment uploaded = *pending.attachment;
      uploaded.upload_id = *upload_id;
      uploaded.size = *size;
      if (auto kept = store->set_outbox_upload(pending.client_msg_id, uploaded); !kept) upload = std::unexpected(kept.error());
      else return pump_outbox();
    }
  }
  const Error& e = upload.error();
  if (is_permanent(e)) {
    fail_message(pending, e);
    return pump_outbox();
  }
  // Offline: the next connect pumps again. Otherwise (the transfer broke, or the server was
  // busy) try again shortly.
  if (e.kind() == ErrorKind::network && connection->state() != ConnectionState::online) return;
  auto wait = std::chrono::milliseconds(e.retry_after_ms > 0 ? e.retry_after_ms : 1000);
  connection->run_after(wait, [this] { pump_outbox(); });
}

std::function<void(std::int64_t, std::int64_t)> Client::Impl::progress_reporter(TransferProgress progress) {
  if (!progress) return [](std::int64_t, std::int64_t) {};
  auto last_percent = std::make_shared<std::int64_t>(-1);
  return [this, progress, last_percent](std::int64_t done, std::int64_t total) {
    std::int64_t percent = total > 0 ? done * 100 / total : 100;
    if (percent == *last_percent && done != total) return;
    *last_percent = percent;
    notify([progress, done, total](const Observer&) { progress(done, total); });
  };
}

void Client::Impl::keep_as_download(const std::string& local_file, const Attachment& sent) {
  std::error_code ec;
  const std::filesystem::path from(local_file);
  // The upload id names a directory: only one the server could have made is taken.
  if (!sent.upload_id.empty() && sent.upload_id.find_first_of("/\\.") == std::string::npos) {
    auto dir = media_dir() / sent.upload_id;
    std::filesystem::create_directories(dir, ec);
    if (!ec && !std::filesystem::exists(dir / from.filename(), ec)) std::filesystem::rename(from, dir / from.filename(), ec);
  }
  std::filesystem::remove_all(from.parent_path(), ec);
}

void Client::Impl::forget_download(const std::string& upload_id) {
  // The upload id names a directory: only one the server could have made is taken.
  if (upload_id.empty() || upload_id.find_first_of("/\\.") != std::string::npos) return;
  std::error_code ec;
  std::filesystem::remove_all(media_dir() / upload_id, ec);
}

void Client::Impl::derive_status(std::vector<Message>& messages, RoomId room) const {
  auto self = me();
  if (!self) return;
  std::vector<domain::Member> members;
  for (const auto& w : store->watermarks(room)) members.push_back({room, w.user, domain::Role::member, 0, w.delivered, w.read});
  for (auto& m : messages) {
    if (m.sender_id != self->id || m.seq == 0 || m.type == "system") continue;
    domain::Message probe;
    probe.sender_id = m.sender_id;
    probe.seq = m.seq;
    auto status = domain::status_of(probe, members);
    m.recipients = status.recipients;
    m.delivered_count = status.delivered;
    m.read_count = status.read;
    m.state = status.state == domain::DeliveryState::read        ? MessageState::read
              : status.state == domain::DeliveryState::delivered ? MessageState::delivered
                                                                 : MessageState::sent;
  }
}

Message Client::Impl::with_status(Message message) const {
  std::vector<Message> one{std::move(message)};
  derive_status(one, one.front().room_id);
  return std::move(one.front());
}

}  // namespace parley
