#include "client/client_impl.hpp"
#include "core/error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "client/file_transfer.hpp"
#include "client/json_mapping.hpp"
#include "client/log.hpp"
#include "domain/message_status.hpp"

namespace parley {

namespace json = boost::json;
using client::message_from_json;
using client::room_from_json;

namespace {

// Keys of the session table.
constexpr const char* kAccessToken = "access_token";
constexpr const char* kRefreshToken = "refresh_token";
constexpr const char* kMe = "me";

// Messages a sync asks for per room; more come in further rounds (has_more).
constexpr int kSyncLimit = 500;

bool is_permanent(const Error& e) {
  auto kind = e.kind();
  return kind == ErrorKind::invalid || kind == ErrorKind::forbidden || kind == ErrorKind::not_found ||
         kind == ErrorKind::conflict;
}

}  // namespace

Client::Impl::Impl(ClientOptions opts, client::Endpoint endpoint, std::unique_ptr<client::LocalStore> local)
    : options(std::move(opts)), server(std::move(endpoint)), store(std::move(local)) {
  client::Connection::Callbacks callbacks;
  callbacks.access_token = [this] { return store->get(kAccessToken).value_or(""); };
  callbacks.refresh_token = [this] { return refresh_tokens(); };
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
  const auto& g = grant.as_object();
  User user = client::user_from_json(g.at("user"));
  store->put(kAccessToken, std::string(g.at("access_token").as_string()));
  store->put(kRefreshToken, std::string(g.at("refresh_token").as_string()));
  store->put(kMe, json::serialize(client::to_json(user)));
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

bool Client::Impl::refresh_tokens() {
  // One refresh at a time: the network thread and an app thread may both find the access token
  // refused. A refresh token presented twice is taken by the server as stolen, and it ends the
  // whole login; so the second waits, and uses what the first got.
  const auto seen = store->get(kAccessToken);
  std::lock_guard lock(refresh_mutex);
  if (store->get(kAccessToken) != seen) return true;
  auto refresh = store->get(kRefreshToken);
  if (!refresh) return false;
  auto grant = client::http_call(server, "POST", "/v1/auth/refresh", {{"refresh_token", *refresh}}, "",
                                 options.request_timeout);
  if (!grant) return false;
  const auto& g = grant->as_object();
  store->put(kAccessToken, std::string(g.at("access_token").as_string()));
  store->put(kRefreshToken, std::string(g.at("refresh_token").as_string()));
  return true;
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
    const auto& o = answer->as_object();
    for (const auto& r : o.at("rooms").as_array()) remember_room(room_from_json(r));
    for (const auto& id : o.at("left").as_array()) {
      RoomId room{id.as_int64()};
      store->remove_room(room);
      notify([room](const Observer& obs) {
        if (obs.room_removed) obs.room_removed(room);
      });
    }
    json::array again;
    for (const auto& c : o.at("catch_up").as_array()) {
      const auto& entry = c.as_object();
      RoomId room{entry.at("room_id").as_int64()};
      for (const auto& m : entry.at("members").as_array()) {
        const auto& w = m.as_object();
        store->advance_watermark(room, {UserId{w.at("user_id").as_int64()}, w.at("delivered_seq").as_int64(),
                                        w.at("read_seq").as_int64()});
      }
      std::vector<Message> page;
      for (const auto& m : entry.at("messages").as_array()) page.push_back(message_from_json(m));
      Seq newest = page.empty() ? 0 : page.back().seq;
      store_page(room, page);
      if (newest > 0) {
        mark_delivered(room, newest);
        refresh_members(room);
      }
      if (entry.at("has_more").as_bool()) again.push_back(json::object{{"room_id", room.value}, {"after_seq", newest}});
    }
    if (!again.empty()) return sync(std::move(again));
    synced = true;
    changed.notify_all();
    pump_outbox();
  });
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
  auto file = next->attachment ? store->outbox_file(next->client_msg_id) : std::nullopt;
  if (file && next->attachment->upload_id.empty()) return start_upload(*next, file->path);
  // One at a time, in the order written: a later message never overtakes an earlier one, even
  // when the earlier one has to wait and be retried.
  json::object params{{"room_id", next->room_id.value}, {"client_msg_id", next->client_msg_id},
                      {"type", next->type}, {"text", next->text}};
  if (next->attachment) params["attachment"] = client::to_json(*next).at("attachment");
  connection->request("messages.send", std::move(params), [this, pending = *next, file](Result<json::value> answer) {
    if (answer) {
      auto sent = message_from_json(answer->as_object().at("message"));
      if (file && sent.attachment) keep_as_download(file->path, *sent.attachment);
      if (file) {
        std::lock_guard lock(progress_mutex);
        upload_progress.erase(pending.client_msg_id);
      }
      store_incoming(sent, true);
      outbox_busy = false;
      return pump_outbox();
    }
    const Error& e = answer.error();
    // The upload expired on the server before the message went (a long time offline): the
    // file is still here, so upload it again, once.
    if (e.code == ErrorCode::not_found && file && !file->uploaded_again) {
      store->forget_outbox_upload(pending.client_msg_id);
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

void Client::Impl::fail_message(const Message& pending, const Error& e) {
  client::log(client::LogLevel::warning, "message " + pending.client_msg_id + " failed for good: " + e.message);
  store->set_outbox_state(pending.client_msg_id, MessageState::failed, e.message, e.code);
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
    const auto& u = upload->as_object();
    Attachment uploaded = *pending.attachment;
    uploaded.upload_id = std::string(u.at("upload_id").as_string());
    uploaded.size = u.at("size").to_number<std::int64_t>();
    store->set_outbox_upload(pending.client_msg_id, uploaded);
    return pump_outbox();
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
  if (!sent.upload_id.empty()) {
    auto dir = media_dir() / sent.upload_id;
    std::filesystem::create_directories(dir, ec);
    if (!ec && !std::filesystem::exists(dir / from.filename())) std::filesystem::rename(from, dir / from.filename(), ec);
  }
  std::filesystem::remove_all(from.parent_path(), ec);
}

// --- events -----------------------------------------------------------------------------------

Room Client::Impl::remember_room(const Room& room) {
  store->upsert_room(room);
  notify([room](const Observer& o) {
    if (o.room) o.room(room);
  });
  return room;
}

void Client::Impl::refresh_members(RoomId room) {
  connection->request("members.list", {{"room_id", room.value}}, [this, room](Result<json::value> answer) {
    if (!answer) return;
    std::vector<Member> members;
    for (const auto& m : answer->as_object().at("members").as_array()) members.push_back(client::member_from_json(m));
    store->replace_members(room, members);
    notify([room, members](const Observer& o) {
      if (o.members) o.members(room, members);
    });
  });
}

void Client::Impl::mark_delivered(RoomId room, Seq seq) {
  connection->request("receipts.mark", {{"room_id", room.value}, {"delivered_seq", seq}}, [](Result<json::value>) {});
}

void Client::Impl::store_incoming(const Message& message, bool live) {
  if (!store->store_message(message)) return;  // held already: never shown twice
  auto me_now = me();
  if (auto room = store->room(message.room_id)) {
    if (message.seq >= room->last_seq) {
      room->last_seq = message.seq;
      room->last_message = message;
    }
    bool mine = me_now && message.sender_id == me_now->id;
    if (live && !mine && message.type != "system" && message.seq > room->read_seq) ++room->unread_count;
    remember_room(*room);
  }
  auto shown = with_status(message);
  notify([shown](const Observer& o) {
    if (o.message) o.message(shown);
  });
}

void Client::Impl::store_page(RoomId id, const std::vector<Message>& messages) {
  auto fresh = store->store_messages(messages);
  if (fresh.empty()) return;
  // The sync's rooms list already carried the unread count; only the last message moves here.
  if (auto room = store->room(id); room && fresh.back().seq >= room->last_seq) {
    room->last_seq = fresh.back().seq;
    room->last_message = fresh.back();
    remember_room(*room);
  }
  std::vector<Message> shown = fresh;
  derive_status(shown, id);
  for (auto& message : shown)
    notify([message = std::move(message)](const Observer& o) {
      if (o.message) o.message(message);
    });
}

void Client::Impl::on_event(const std::string& name, const json::object& data) {
  if (name == "message") {
    auto message = message_from_json(data.at("message"));
    Seq newest = store->newest_seq(message.room_id);
    // A gap means events were missed (a restart, a slow moment): fetch it rather than guess.
    if (newest > 0 && message.seq > newest + 1)
      return sync(json::array{json::object{{"room_id", message.room_id.value}, {"after_seq", newest}}});
    store_incoming(message, true);
    // A membership change is announced by a system message: the member list follows it.
    if (message.type == "system" && message.system_event != "room_renamed") refresh_members(message.room_id);
    auto self = me();
    if (self && message.sender_id != self->id) mark_delivered(message.room_id, message.seq);
  } else if (name == "sync.required") {
    // The server may have missed events meant for us (its link to the other nodes broke):
    // the same catch-up as after a reconnect brings rooms, receipts and messages up to date.
    on_online();
  } else if (name == "room.joined") {
    auto room = remember_room(room_from_json(data.at("room")));
    refresh_members(room.id);
  } else if (name == "room.updated") {
    auto shared = room_from_json(data.at("room"));
    if (auto room = store->room(shared.id)) {
      room->name = shared.name;
      room->member_count = shared.member_count;
      remember_room(*room);
    }
  } else if (name == "room.left") {
    RoomId room{data.at("room_id").as_int64()};
    store->remove_room(room);
    notify([room](const Observer& o) {
      if (o.room_removed) o.room_removed(room);
    });
  } else if (name == "receipt") {
    RoomId room{data.at("room_id").as_int64()};
    UserId user{data.at("user_id").as_int64()};
    store->advance_watermark(room, {user, data.at("delivered_seq").as_int64(), data.at("read_seq").as_int64()});
    notify([room](const Observer& o) {
      if (o.receipts) o.receipts(room);
    });
  } else if (name == "room.unread") {
    RoomId id{data.at("room_id").as_int64()};
    if (auto room = store->room(id)) {
      room->read_seq = std::max(room->read_seq, data.at("read_seq").as_int64());
      room->unread_count = data.at("unread_count").as_int64();
      remember_room(*room);
    }
  } else if (name == "typing") {
    RoomId room{data.at("room_id").as_int64()};
    UserId user{data.at("user_id").as_int64()};
    std::vector<UserId> now;
    {
      std::lock_guard lock(ephemeral_mutex);
      auto& list = typing[room];
      std::erase(list, user);
      if (data.at("typing").as_bool()) list.push_back(user);
      now = list;
    }
    notify([room, now](const Observer& o) {
      if (o.typing) o.typing(room, now);
    });
  } else if (name == "presence" || name == "presence.snapshot") {
    std::vector<Presence> changes;
    if (name == "presence") {
      changes.push_back(client::presence_from_json(data));
    } else {
      changes.push_back(client::presence_from_json(data.at("self")));
      for (const auto& p : data.at("users").as_array()) changes.push_back(client::presence_from_json(p));
    }
    for (const auto& p : changes) {
      {
        std::lock_guard lock(ephemeral_mutex);
        presence[p.user_id] = p;
      }
      notify([p](const Observer& o) {
        if (o.presence) o.presence(p);
      });
    }
  }
}

// --- derived state ----------------------------------------------------------------------------

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
