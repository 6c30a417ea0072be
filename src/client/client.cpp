// parley::Client: the public face of the SDK; the work is in client_impl.cpp.
#include <parley/client.hpp>

#include <random>

#include "client/client_impl.hpp"
#include "core/error.hpp"
#include "client/json_mapping.hpp"
#include "client/reply_fields.hpp"
#include "core/clock.hpp"

namespace parley {

namespace json = boost::json;

std::string client::new_client_msg_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char text[40];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return text;
}

namespace {

Result<void> ok_or(Result<json::value> answer) {
  if (!answer) return std::unexpected(answer.error());
  return {};
}

// A reply that must be a room with an id: the local store is keyed on it.
Result<Room> room_in(const json::value& v) {
  PARLEY_TRY(object, client::object_in(v));
  Room room = client::room_from_object(*object);
  if (room.id.value <= 0) return std::unexpected(client::malformed_reply("a room without an id"));
  return room;
}

}  // namespace

Result<std::unique_ptr<Client>> Client::open(ClientOptions options) {
  PARLEY_TRY(server, client::parse_server_url(options.server, options.ca_file));
  PARLEY_TRY(store, client::LocalStore::open(options.data_dir));
  auto impl = std::make_unique<Impl>(std::move(options), std::move(server), std::move(store));
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

void Client::set_observer(Observer observer) { impl_->set_observer(std::move(observer)); }
std::size_t Client::drain() { return impl_->drain(); }

// --- account ------------------------------------------------------------------------------

Result<User> Client::register_account(const std::string& username, const std::string& password,
                                      const std::string& display_name) {
  json::object body{{"username", username}, {"password", password}};
  if (!display_name.empty()) body["display_name"] = display_name;
  return impl_->sign_in("/v1/auth/register", std::move(body));
}

Result<User> Client::login(const std::string& username, const std::string& password) {
  return impl_->sign_in("/v1/auth/login", {{"username", username}, {"password", password}});
}

Result<void> Client::logout() {
  disconnect();
  auto refresh = impl_->store->get("refresh_token");
  Result<void> outcome;
  if (refresh) {
    auto answer = client::http_call(impl_->server, "POST", "/v1/auth/logout", {{"refresh_token", *refresh}}, "",
                                    impl_->options.request_timeout);
    if (!answer) outcome = std::unexpected(answer.error());
  }
  for (const char* key : {"access_token", "refresh_token", "me"}) impl_->store->erase(key);
  return outcome;
}

std::optional<User> Client::me() const { return impl_->me(); }

Result<User> Client::find_user(const std::string& username) {
  PARLEY_TRY(answer, impl_->call("users.get", {{"username", username}}));
  PARLEY_TRY(object, client::object_in(answer));
  return client::user_from_object(*object);
}

// --- connection ---------------------------------------------------------------------------

void Client::connect() { impl_->connection->start(); }
void Client::disconnect() { impl_->connection->stop(); }
ConnectionState Client::connection_state() const { return impl_->connection->state(); }

bool Client::wait_online(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->wait_mutex);
  return impl_->changed.wait_for(lock, timeout, [this] {
    return connection_state() == ConnectionState::online && impl_->synced.load();
  });
}

bool Client::wait_outbox_empty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->wait_mutex);
  return impl_->changed.wait_for(lock, timeout, [this] { return impl_->store->pending_count() == 0; });
}

// --- rooms --------------------------------------------------------------------------------

std::vector<Room> Client::rooms() const { return impl_->store->rooms(); }
std::optional<Room> Client::room(RoomId id) const { return impl_->store->room(id); }

Result<Room> Client::direct_room(const std::string& username) {
  PARLEY_TRY(answer, impl_->call("rooms.direct", {{"username", username}}));
  PARLEY_TRY(object, client::object_field(answer, "room"));
  PARLEY_TRY(room, room_in(json::value(*object)));
  return impl_->remember_room(room);
}

Result<Room> Client::create_group(const std::string& name, const std::vector<UserId>& members) {
  json::array ids;
  for (UserId id : members) ids.push_back(id.value);
  PARLEY_TRY(answer, impl_->call("rooms.create", {{"name", name}, {"members", std::move(ids)}}));
  PARLEY_TRY(created, room_in(answer));
  return impl_->remember_room(created);
}

Result<void> Client::rename_group(RoomId room, const std::string& name) {
  PARLEY_TRY(answer, impl_->call("rooms.rename", {{"room_id", room.value}, {"name", name}}));
  PARLEY_TRY(renamed, room_in(answer));
  impl_->remember_room(renamed);
  return {};
}

Result<std::vector<Member>> Client::members(RoomId room) {
  PARLEY_TRY(answer, impl_->call("members.list", {{"room_id", room.value}}));
  PARLEY_TRY(out, client::members_of(answer));
  impl_->store->replace_members(room, out);
  return out;
}

std::vector<Member> Client::cached_members(RoomId room) const { return impl_->store->members(room); }

Result<Member> Client::add_member(RoomId room, UserId user, const std::string& role) {
  PARLEY_TRY(answer, impl_->call("members.add", {{"room_id", room.value}, {"user_id", user.value}, {"role", role}}));
  PARLEY_TRY(object, client::object_in(answer));
  return client::member_from_object(*object);
}

Result<void> Client::remove_member(RoomId room, UserId user) {
  return ok_or(impl_->call("members.remove", {{"room_id", room.value}, {"user_id", user.value}}));
}

Result<Member> Client::set_role(RoomId room, UserId user, const std::string& role) {
  PARLEY_TRY(answer, impl_->call("members.role", {{"room_id", room.value}, {"user_id", user.value}, {"role", role}}));
  PARLEY_TRY(object, client::object_in(answer));
  return client::member_from_object(*object);
}

Result<void> Client::leave(RoomId room) {
  PARLEY_CHECK(ok_or(impl_->call("rooms.leave", {{"room_id", room.value}})));
  impl_->store->remove_room(room);
  return {};
}

// --- messages -----------------------------------------------------------------------------

Result<Message> Client::send_text(RoomId room, const std::string& text) { return send(room, "text", text, std::nullopt); }

Result<Message> Client::send(RoomId room, const std::string& type, const std::string& text,
                             std::optional<Attachment> attachment) {
  auto self = me();
  if (!self) return fail(ErrorCode::unauthorized, "sign in before sending");
  if (!impl_->store->room(room)) return fail(ErrorCode::not_found, "no such room on this device");
  if (type == "text" && text.find_first_not_of(" \t\r\n") == std::string::npos)
    return fail(ErrorCode::invalid_payload, "a text message needs non-blank text");
  Message message;
  message.client_msg_id = client::new_client_msg_id();
  message.room_id = room;
  message.sender_id = self->id;
  message.type = type;
  message.text = text;
  message.attachment = std::move(attachment);
  message.created_at = now_ms();
  message.state = MessageState::pending;
  // Refused now rather than failed later: the app still has the text and can say why.
  PARLEY_CHECK(Impl::check_sendable(message));
  PARLEY_CHECK(impl_->store->add_to_outbox(message));  // on disk before this returns
  impl_->notify([message](const Observer& o) {
    if (o.message) o.message(message);
  });
  impl_->wake_outbox();
  return message;
}

Result<void> Client::retry(const std::string& client_msg_id) {
  auto message = impl_->store->outbox_message(client_msg_id);
  if (!message) return fail(ErrorCode::not_found, "no such message in the outbox");
  PARLEY_CHECK(impl_->store->set_outbox_state(client_msg_id, MessageState::pending, ""));
  impl_->wake_outbox();
  return {};
}

Result<void> Client::discard(const std::string& client_msg_id) {
  auto file = impl_->store->outbox_file(client_msg_id);
  if (!impl_->store->remove_from_outbox(client_msg_id)) return fail(ErrorCode::not_found, "no such message in the outbox");
  std::error_code ignored;
  if (file) std::filesystem::remove_all(std::filesystem::path(file->path).parent_path(), ignored);
  return {};
}

std::vector<Message> Client::messages(RoomId room, std::size_t limit, Seq before) const {
  auto [page, outbox] = impl_->store->history_and_outbox(room, limit, before);
  impl_->derive_status(page, room);
  if (before <= 0)
    for (auto& pending : outbox)
      if (!is_event_type(pending.type)) page.push_back(std::move(pending));
  return page;
}

Result<std::vector<Message>> Client::load_older(RoomId room, std::size_t limit) {
  Seq oldest = impl_->store->oldest_seq(room);
  if (oldest == 1) return std::vector<Message>{};  // everything is here already
  PARLEY_TRY(answer, impl_->call("messages.history",
                                 {{"room_id", room.value}, {"before", oldest}, {"limit", static_cast<std::int64_t>(limit)}}));
  PARLEY_TRY(page, client::messages_of(answer));
  auto self = me();
  impl_->announce_changes(impl_->store->store_messages(page, self ? self->id : UserId{}, true, client::last_seq_of(answer)));
  std::erase_if(page, [](const Message& m) { return is_event_type(m.type); });
  impl_->derive_status(page, room);
  return page;
}

Result<void> Client::mark_read(RoomId room, Seq seq) {
  if (seq <= 0) seq = impl_->store->newest_seq(room);
  PARLEY_TRY(answer, impl_->call("receipts.mark", {{"room_id", room.value}, {"delivered_seq", seq}, {"read_seq", seq}}));
  PARLEY_TRY(read_seq, client::int_field(answer, "read_seq"));
  PARLEY_TRY(unread, client::int_field(answer, "unread_count"));
  if (auto local = impl_->store->room(room)) {
    local->read_seq = read_seq;
    local->unread_count = unread;
    impl_->remember_room(*local);
  }
  return {};
}

// --- typing and presence --------------------------------------------------------------------

Result<void> Client::start_typing(RoomId room) { return ok_or(impl_->call("typing.start", {{"room_id", room.value}})); }
Result<void> Client::stop_typing(RoomId room) { return ok_or(impl_->call("typing.stop", {{"room_id", room.value}})); }

std::vector<UserId> Client::typing(RoomId room) const {
  std::lock_guard lock(impl_->ephemeral_mutex);
  auto it = impl_->typing.find(room);
  return it == impl_->typing.end() ? std::vector<UserId>{} : it->second;
}

Result<void> Client::set_presence(const std::string& status) {
  return ok_or(impl_->call("presence.set", {{"status", status}}));
}

std::optional<Presence> Client::presence(UserId user) const {
  std::lock_guard lock(impl_->ephemeral_mutex);
  auto it = impl_->presence.find(user);
  if (it == impl_->presence.end()) return std::nullopt;
  return it->second;
}

}  // namespace parley
