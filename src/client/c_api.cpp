// The C API: JSON requests onto parley::Client, updates into a queue the app drains.
#include <parley/parley.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_map>

#include <parley/client.hpp>

#include "client/json_mapping.hpp"

namespace json = boost::json;
using namespace parley;

// The update queue is bounded, so an app that never calls receive does not make the client grow
// forever. The oldest updates go first; the local store still holds the truth they announced.
constexpr std::size_t kMaxQueuedUpdates = 10'000;

struct parley_client {
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::string> updates;
  // Declared last, so destroyed first: closing the client stops its thread, whose last update
  // ("disconnected") is pushed into the queue above, which must still be there.
  std::unique_ptr<Client> client;

  void push(json::object update);
};

void parley_client::push(json::object update) {
    std::lock_guard lock(mutex);
    if (updates.size() >= kMaxQueuedUpdates) updates.pop_front();
    updates.push_back(json::serialize(update));
    arrived.notify_one();
}

namespace {


char* copy(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

json::object error_json_of(const Error& e) {
  return {{"kind", to_string(e.kind())}, {"code", to_string(e.code)}, {"message", e.message}};
}

std::string answer(Result<json::value> result) {
  if (!result) return json::serialize(json::object{{"ok", false}, {"error", error_json_of(result.error())}});
  return json::serialize(json::object{{"ok", true}, {"data", std::move(*result)}});
}

template <class T, class F>
Result<json::value> map(Result<T> r, F encode) {
  if (!r) return std::unexpected(r.error());
  return json::value(encode(*r));
}

Result<json::value> done(Result<void> r) {
  if (!r) return std::unexpected(r.error());
  return json::value(json::object{});
}

json::array messages_json(const std::vector<Message>& messages) {
  json::array out;
  for (const auto& m : messages) out.push_back(client::to_json(m));
  return out;
}

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t number(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

Result<json::value> execute(Client& c, const json::object& r) {
  const std::string type = text(r, "type");
  const RoomId room{number(r, "room_id")};
  auto user_json = [](const User& u) { return client::to_json(u); };
  auto room_json = [](const Room& x) { return client::to_json(x); };
  if (type == "register") return map(c.register_account(text(r, "username"), text(r, "password"), text(r, "display_name")), user_json);
  if (type == "login") return map(c.login(text(r, "username"), text(r, "password")), user_json);
  if (type == "logout") return done(c.logout());
  if (type == "connect") return c.connect(), json::value(json::object{});
  if (type == "disconnect") return c.disconnect(), json::value(json::object{});
  if (type == "wait_online")
    return json::value(json::object{{"online", c.wait_online(std::chrono::milliseconds(number(r, "timeout_ms")))}});
  if (type == "wait_outbox_empty")
    return json::value(json::object{{"empty", c.wait_outbox_empty(std::chrono::milliseconds(number(r, "timeout_ms")))}});
  if (type == "rooms") {
    json::array list;
    for (const auto& x : c.rooms()) list.push_back(client::to_json(x));
    return json::value(json::object{{"rooms", std::move(list)}});
  }
  if (type == "direct_room") return map(c.direct_room(text(r, "username")), room_json);
  if (type == "create_group") {
    std::vector<UserId> members;
    if (const auto* m = r.if_contains("members"); m && m->is_array())
      for (const auto& id : m->get_array())
        if (id.is_int64()) members.push_back(UserId{id.get_int64()});
    return map(c.create_group(text(r, "name"), members), room_json);
  }
  if (type == "send_text") return map(c.send_text(room, text(r, "text")), [](const Message& m) { return client::to_json(m); });
  if (type == "send_file") {
    SendFileOptions options{text(r, "message_type"), text(r, "mime_type"), text(r, "caption"), std::nullopt, std::nullopt, std::nullopt};
    if (auto w = number(r, "width"); w > 0) options.width = static_cast<std::int32_t>(w);
    if (auto h = number(r, "height"); h > 0) options.height = static_cast<std::int32_t>(h);
    if (r.contains("duration_ms")) options.duration_ms = number(r, "duration_ms");
    return map(c.send_file(room, text(r, "path"), options), [](const Message& m) { return client::to_json(m); });
  }
  if (type == "download")
    return map(c.download(text(r, "upload_id")), [](const std::filesystem::path& p) { return json::object{{"path", p.string()}}; });
  if (type == "messages") {
    auto limit = number(r, "limit");
    return json::value(json::object{{"messages", messages_json(c.messages(room, limit > 0 ? limit : 50, number(r, "before")))}});
  }
  if (type == "load_older") return map(c.load_older(room, 50), [](const auto& page) { return json::object{{"messages", messages_json(page)}}; });
  if (type == "mark_read") return done(c.mark_read(room, number(r, "seq")));
  if (type == "start_typing") return done(c.start_typing(room));
  if (type == "stop_typing") return done(c.stop_typing(room));
  if (type == "set_presence") return done(c.set_presence(text(r, "status")));
  return fail(ErrorCode::unknown_op, "unknown request type \"" + type + "\"");
}

Observer queue_updates(parley_client* handle) {
  Observer o;
  o.connection = [handle](ConnectionState s) { handle->push({{"type", "connection"}, {"state", to_string(s)}}); };
  o.message = [handle](const Message& m) { handle->push({{"type", "message"}, {"message", client::to_json(m)}}); };
  o.room = [handle](const Room& r) { handle->push({{"type", "room"}, {"room", client::to_json(r)}}); };
  o.receipts = [handle](RoomId r) { handle->push({{"type", "receipts"}, {"room_id", r.value}}); };
  o.room_removed = [handle](RoomId r) { handle->push({{"type", "room_removed"}, {"room_id", r.value}}); };
  o.typing = [handle](RoomId r, const std::vector<UserId>& users) {
    json::array ids;
    for (UserId u : users) ids.push_back(u.value);
    handle->push({{"type", "typing"}, {"room_id", r.value}, {"user_ids", std::move(ids)}});
  };
  o.presence = [handle](const Presence& p) { handle->push({{"type", "presence"}, {"presence", client::to_json(p)}}); };
  return o;
}

}  // namespace

extern "C" {

parley_client* parley_client_open(const char* options_json, char** error_json) {
  auto fail_with = [&](const Error& e) -> parley_client* {
    if (error_json) *error_json = copy(json::serialize(error_json_of(e)));
    return nullptr;
  };
  boost::system::error_code ec;
  json::value options = json::parse(options_json ? options_json : "", ec);
  if (ec || !options.is_object()) return fail_with(Error{ErrorCode::malformed_json, "options must be a JSON object"});
  auto handle = std::make_unique<parley_client>();
  ClientOptions o;
  o.server = text(options.get_object(), "server");
  o.data_dir = text(options.get_object(), "data_dir");
  // Callbacks run at once, on the SDK's thread: they only queue, which is quick and thread-safe.
  o.executor = [](std::function<void()> task) { task(); };
  auto opened = Client::open(o);
  if (!opened) return fail_with(opened.error());
  handle->client = std::move(*opened);
  handle->client->set_observer(queue_updates(handle.get()));
  return handle.release();
}

char* parley_client_execute(parley_client* handle, const char* request_json) {
  boost::system::error_code ec;
  json::value request = json::parse(request_json ? request_json : "", ec);
  if (ec || !request.is_object())
    return copy(answer(fail(ErrorCode::malformed_json, "a request must be a JSON object with a \"type\"")));
  return copy(answer(execute(*handle->client, request.get_object())));
}

char* parley_client_receive(parley_client* handle, double timeout_seconds) {
  std::unique_lock lock(handle->mutex);
  auto timeout = std::chrono::duration<double>(timeout_seconds > 0 ? timeout_seconds : 0);
  if (!handle->arrived.wait_for(lock, timeout, [&] { return !handle->updates.empty(); })) return nullptr;
  std::string next = std::move(handle->updates.front());
  handle->updates.pop_front();
  return copy(next);
}

void parley_string_free(char* text) { std::free(text); }

void parley_client_close(parley_client* handle) { delete handle; }

}  // extern "C"
