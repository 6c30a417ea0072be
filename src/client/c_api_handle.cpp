#include "client/c_api_handle.hpp"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <future>

#include "client/c_api_answer.hpp"
#include "client/json_mapping.hpp"
#include "client/log.hpp"

namespace json = boost::json;
using namespace parley;
using c_api::Workers;

namespace {

Observer updates_into(c_api::UpdateQueue& queue) {
  // These run on the SDK's thread: they only serialize and queue. A failure to allocate loses
  // the update like a full queue would, rather than unwinding into the SDK.
  auto push = [&queue](json::object update) {
    try {
      queue.push(json::serialize(update));
    } catch (...) {
    }
  };
  Observer o;
  o.connection = [push](ConnectionState s) { push({{"type", "connection"}, {"state", to_string(s)}}); };
  o.message = [push](const Message& m) { push({{"type", "message"}, {"message", client::to_json(m)}}); };
  o.room = [push](const Room& r) { push({{"type", "room"}, {"room", client::to_json(r)}}); };
  o.receipts = [push](RoomId r) { push({{"type", "receipts"}, {"room_id", r.value}}); };
  o.members = [push](RoomId r, const std::vector<Member>& members) {
    json::array list;
    for (const auto& m : members) list.push_back(client::to_json(m));
    push({{"type", "members"}, {"room_id", r.value}, {"members", std::move(list)}});
  };
  o.room_removed = [push](RoomId r) { push({{"type", "room_removed"}, {"room_id", r.value}}); };
  o.typing = [push](RoomId r, const std::vector<UserId>& users) {
    json::array ids;
    for (UserId u : users) ids.push_back(u.value);
    push({{"type", "typing"}, {"room_id", r.value}, {"user_ids", std::move(ids)}});
  };
  o.presence = [push](const Presence& p) { push({{"type", "presence"}, {"presence", client::to_json(p)}}); };
  return o;
}

json::value extra_of(const c_api::Request& request) { return request.extra ? *request.extra : json::value(nullptr); }

}  // namespace

Result<std::unique_ptr<parley_client>> parley_client::open(c_api::OpenOptions options) {
  auto handle = std::make_unique<parley_client>(options.max_update_bytes);
  // Callbacks run at once, on the SDK's thread: they only queue, which is quick and thread-safe.
  options.client.executor = [](std::function<void()> task) { task(); };
  auto opened = Client::open(std::move(options.client));
  if (!opened) return std::unexpected(opened.error());
  handle->client = std::move(*opened);
  handle->client->set_observer(updates_into(handle->updates));
  return handle;
}

void parley_client::push(const json::object& update) { updates.push(json::serialize(update)); }

c_api::RequestContext parley_client::context_for(const c_api::Request& request) {
  c_api::RequestContext context;
  context.progress = [this, extra = extra_of(request)](std::int64_t done, std::int64_t total) {
    try {
      push({{"type", "transfer_progress"}, {"@extra", extra}, {"done", done}, {"total", total}});
    } catch (...) {
    }
  };
  return context;
}

Workers::Lane parley_client::lane_of(const c_api::Request& request) {
  return request.kind && request.kind->writes_outbox ? Workers::Lane::ordered : Workers::Lane::any;
}

void parley_client::send(const char* request_json) {
  auto request = std::make_shared<c_api::Request>(c_api::parse_request(request_json));
  auto answer = [this, request](Result<json::value> result) {
    const json::value extra = extra_of(*request);
    updates.push_answer(json::serialize(c_api::answer_json(std::move(result), &extra, true)), extra);
  };
  if (request->refused) return answer(std::unexpected(*request->refused));
  auto job = [this, request, answer] {
    try {
      answer(c_api::run_request(*client, *request, context_for(*request)));
    } catch (...) {
      // Only memory can be short here; the answer is lost like one dropped from a full queue.
    }
  };
  if (!workers.submit(lane_of(*request), std::move(job)))
    answer(fail(ErrorCode::rate_limited, "too many requests are waiting; receive answers, then send again"));
}

std::string parley_client::execute(const char* request_json) {
  const auto request = c_api::parse_request(request_json);
  const json::value* extra = request.extra ? &*request.extra : nullptr;
  auto answer = [&](Result<json::value> result) { return json::serialize(c_api::answer_json(std::move(result), extra, false)); };
  if (request.refused || lane_of(request) == Workers::Lane::any)
    return answer(c_api::run_request(*client, request, context_for(request)));
  // An outbox write waits its turn behind those sent before it.
  auto done = std::make_shared<std::promise<Result<json::value>>>();
  auto result = done->get_future();
  bool queued = workers.submit(Workers::Lane::ordered, [this, &request, done] {
    try {
      done->set_value(c_api::run_request(*client, request, context_for(request)));
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  });
  if (!queued) return answer(fail(ErrorCode::rate_limited, "too many requests are waiting; try again"));
  return answer(result.get());
}

std::optional<std::string> parley_client::receive(double timeout_seconds) {
  // A wait longer than a day is a day: a wait of 1e300 seconds would overflow the clock.
  constexpr double kLongestWait = 86'400;
  const double wait = timeout_seconds > 0 ? std::min(timeout_seconds, kLongestWait) : 0;
  auto next = updates.pop(std::chrono::duration<double>(wait));
  if (!next) return std::nullopt;
  if (next->lost) announce_state();
  return std::move(next->text);
}

void parley_client::announce_state() {
  updates.push_recovery(json::serialize(json::object{{"type", "connection"}, {"state", to_string(client->connection_state())}}));
  for (const auto& room : client->rooms())
    updates.push_recovery(json::serialize(json::object{{"type", "room"}, {"room", client::to_json(room)}}));
}
