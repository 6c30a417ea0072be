#include "server/gateway/realtime/realtime_connection.hpp"

#include <boost/json/parse.hpp>
#include <algorithm>
#include <random>

#include "server/gateway/gateway_context.hpp"
#include "server/gateway/supabase/message_row.hpp"
#include "protocol/json_codec.hpp"
#include "server/service/sync_service.hpp"

namespace parley::gateway::realtime {

namespace json = boost::json;

namespace {

constexpr std::string_view kTopicPrefix = "realtime:";

// A presence key for a channel that did not choose one, as the reference server makes: a UUID.
std::string random_key() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t high = random(), low = random();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0xfff),
                static_cast<unsigned>(0x8000 | (low >> 48 & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

// The message of a Parley `message` event, when the frame is one.
std::optional<json::object> message_of(const std::string& frame) {
  if (!frame.starts_with(R"({"event":"message",)")) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(frame, ec);
  if (ec || !value.is_object()) return std::nullopt;
  auto* data = value.get_object().if_contains("data");
  if (!data || !data->is_object()) return std::nullopt;
  auto* message = data->get_object().if_contains("message");
  if (!message || !message->is_object()) return std::nullopt;
  return std::move(message->get_object());
}

std::int64_t int_field(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_int64() ? value->get_int64() : -1;
}

// The room of a Parley `room.left` event: the user left it or was removed.
std::optional<RoomId> room_left(const std::string& frame) {
  if (!frame.starts_with(R"({"event":"room.left",)")) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(frame, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto* data = value.get_object().if_contains("data");
  if (!data || !data->is_object()) return std::nullopt;
  const std::int64_t room = int_field(data->get_object(), "room_id");
  if (room <= 0) return std::nullopt;
  return RoomId{room};
}

std::string channel_name(const std::string& topic) { return topic.substr(std::min(topic.size(), kTopicPrefix.size())); }

}  // namespace

Connection::Connection(GatewayContext& context, SessionLink link, service::Caller caller, RealtimeStart start)
    : context_(context),
      link_(std::move(link)),
      caller_(caller),
      serializer_(start.serializer),
      key_(std::move(start.key)),
      events_(context.options.realtime.events_per_second, context.options.realtime.events_per_second),
      joins_(context.options.realtime.joins_per_second, context.options.realtime.joins_per_second),
      presence_calls_(context.options.realtime.presence_calls_per_window /
                          static_cast<double>(context.options.realtime.presence_window.count()),
                      context.options.realtime.presence_calls_per_window),
      attached_(start.key_live) {}

Connection::~Connection() { closed(); }

void Connection::closed() {
  if (closed_) return;
  closed_ = true;
  for (const auto& [topic, channel] : channels_) context_.realtime_topics.leave(topic, caller_.connection);
  waiting_reads_.clear();
}

// --- sending ----------------------------------------------------------------------------------

void Connection::push(const std::string& topic, const std::optional<std::string>& join_ref, std::string_view event,
                      json::value payload) {
  link_.send(std::make_shared<const std::string>(encode_message(join_ref, std::nullopt, topic, event, payload, serializer_)));
}

void Connection::reply(const PhoenixMessage& to, std::string_view status, json::value response) {
  link_.send(std::make_shared<const std::string>(encode_message(
      to.join_ref, to.ref, to.topic, "phx_reply", json::object{{"status", status}, {"response", std::move(response)}},
      serializer_)));
}

void Connection::reply_error(const PhoenixMessage& to, std::string reason) {
  reply(to, "error", json::object{{"reason", std::move(reason)}});
}

void Connection::system_message(const std::string& topic, const std::optional<std::string>& join_ref,
                                std::string_view extension, std::string_view status, std::string message) {
  push(topic, join_ref, "system",
       json::object{{"extension", extension}, {"status", status}, {"message", std::move(message)},
                    {"channel", channel_name(topic)}});
}

// --- receiving --------------------------------------------------------------------------------

void Connection::on_message(std::string_view bytes, bool binary) {
  if (closed_) return;
  auto decoded = decode_message(bytes, binary, serializer_);
  if (!decoded) {
    // Without a topic or a ref there is nobody to answer: the reference server drops such
    // messages too. The connection goes on.
    return;
  }
  PhoenixMessage message = std::move(*decoded);
  if (message.topic == "phoenix") {
    if (message.event == "heartbeat") reply(message, "ok", json::object{});
    return;
  }
  std::int64_t retry_after_ms = 0;
  if (!events_.try_take(retry_after_ms)) return reply_error(message, "ClientRateLimitReached: Too many messages per second");
  if (bytes.size() > context_.options.max_frame_bytes)
    return reply_error(message, "PayloadTooLarge: the message is over the limit of " +
                                    std::to_string(context_.options.max_frame_bytes) + " bytes");
  if (message.invalid) return reply_error(message, message.invalid->message);
  if (message.event == "phx_join") return join(std::move(message));
  auto channel = channels_.find(message.topic);
  if (channel != channels_.end() && message.event == "phx_leave") return leave(message);
  if (channel == channels_.end() || !channel->second.joined) return reply_error(message, "unmatched topic");
  if (message.event == "broadcast") return broadcast(message);
  if (message.event == "presence") return presence(message);
  if (message.event == "access_token") return refresh_token(message);
  reply_error(message, "unknown event \"" + message.event +
                           "\": a channel takes phx_leave, broadcast, presence and access_token");
}

// --- joining ----------------------------------------------------------------------------------

void Connection::join(PhoenixMessage message) {
  std::int64_t retry_after_ms = 0;
  if (!joins_.try_take(retry_after_ms)) return reply_error(message, "ClientJoinRateLimitReached: Too many joins per second");
  if (!message.topic.starts_with(kTopicPrefix) || message.topic.size() == kTopicPrefix.size())
    return reply_error(message, "a topic is \"realtime:\" followed by a channel name, such as realtime:room:42");
  auto existing = channels_.find(message.topic);
  if (existing == channels_.end() && channels_.size() >= context_.options.realtime.channels_per_connection)
    return reply_error(message, "ChannelRateLimitReached: Too many channels");
  auto config = read_join_config(message.payload);
  if (!config) return reply_error(message, config.error().message);

  // A new join on a topic replaces the channel that was there.
  if (existing != channels_.end()) {
    context_.realtime_topics.leave(message.topic, caller_.connection);
    channels_.erase(existing);
  }
  const std::uint64_t generation = next_generation_++;
  Channel& channel = channels_[message.topic];
  channel.join_ref = message.join_ref.value_or(message.ref.value_or(""));
  channel.generation = generation;

  std::vector<RoomId> rooms;
  if (auto room = room_of_topic(message.topic)) rooms.push_back(*room);
  for (const auto& binding : config->changes)
    if (binding.room && std::find(rooms.begin(), rooms.end(), *binding.room) == rooms.end()) rooms.push_back(*binding.room);
  channel.rooms = rooms;

  // Every join needs a live token of the connection's user: the join's own (realtime-js sends
  // its current one), or else the key the connection opened with, while that has not expired.
  // The connection stays with the login it opened with: that login ending still closes it.
  const std::string token = config->access_token.value_or(key_);
  context_.operations.services().authenticator.authenticate(
      token, [link = link_, this, message = std::move(message), config = std::move(*config), generation,
              rooms = std::move(rooms)](Result<service::Identity> identity) mutable {
        link.on_strand([this, message = std::move(message), config = std::move(config), generation, rooms = std::move(rooms),
                        identity = std::move(identity)]() mutable {
          auto channel = channels_.find(message.topic);
          if (channel == channels_.end() || channel->second.generation != generation) return;
          std::string refusal;
          if (!identity) refusal = "Unauthorized: " + identity.error().message;
          else if (identity->user != caller_.user) refusal = "Unauthorized: the access token is another user's";
          if (!refusal.empty()) {
            channels_.erase(channel);
            return reply_error(message, std::move(refusal));
          }
          if (!std::exchange(attached_, true)) link_.attach();
          check_rooms(std::move(message), std::move(config), generation, std::move(rooms));
        });
      });
}

void Connection::check_rooms(PhoenixMessage message, JoinConfig config, std::uint64_t generation, std::vector<RoomId> rooms) {
  if (rooms.empty()) return finish_join(message, std::move(config));
  // One room at a time: a join names one or two, and each is a read of the caller's membership.
  const RoomId room = rooms.back();
  rooms.pop_back();
  context_.operations.call(
      "rooms.get", caller_, json::object{{"room_id", room.value}},
      [link = link_, this, message = std::move(message), config = std::move(config), generation, rooms = std::move(rooms),
       room](Result<json::value> answer) mutable {
        link.on_strand([this, message = std::move(message), config = std::move(config), generation, rooms = std::move(rooms),
                        room, answer = std::move(answer)]() mutable {
          auto channel = channels_.find(message.topic);
          if (channel == channels_.end() || channel->second.generation != generation) return;
          if (!answer) {
            channels_.erase(channel);
            if (answer.error().code == ErrorCode::unavailable) return reply_error(message, answer.error().message);
            // Supabase's words for a private channel the user may not join.
            return reply_error(message, "Unauthorized: You do not have permissions to read from this Channel topic: " +
                                            (room_of_topic(message.topic) == room ? channel_name(message.topic)
                                                                                  : "room_id=eq." + std::to_string(room.value)));
          }
          check_rooms(std::move(message), std::move(config), generation, std::move(rooms));
        });
      });
}

void Connection::finish_join(const PhoenixMessage& message, JoinConfig config) {
  Channel& channel = channels_[message.topic];
  channel.joined = true;
  channel.ack = config.broadcast_ack;
  channel.presence_key = config.presence_key.empty() ? random_key() : config.presence_key;
  json::array echoed;
  for (auto& spec : config.changes) {
    const std::int64_t id = next_binding_id_++;
    json::object entry{{"event", spec.event}, {"schema", spec.schema}, {"table", spec.table}};
    // realtime-js compares the filter it sent with the one echoed: none for none.
    if (!spec.filter.empty()) entry["filter"] = spec.filter;
    entry["id"] = id;
    echoed.push_back(std::move(entry));
    channel.bindings.push_back(Binding{id, std::move(spec)});
  }
  const bool has_changes = !echoed.empty();
  reply(message, "ok", json::object{{"postgres_changes", std::move(echoed)}});
  if (has_changes)
    system_message(message.topic, channel.join_ref, "postgres_changes", "ok", "Subscribed to PostgreSQL");
  if (closed_) return;  // the reply found the socket gone: nothing to join
  context_.realtime_topics.join(message.topic, Joiner{.connection = caller_.connection,
                                                      .serializer = serializer_,
                                                      .join_ref = channel.join_ref,
                                                      .receive_own_broadcasts = config.broadcast_self,
                                                      .presence = config.presence_enabled,
                                                      .sink = link_.sink});
  // Catching up (Parley's extension): the rows after the seq the client holds come first. Two
  // bindings of one room start from the earlier of their seqs, so that neither misses a row.
  std::map<RoomId, std::int64_t> starts;
  for (const auto& binding : channel.bindings) {
    if (!binding.spec.room || !binding.spec.after_seq) continue;
    auto [it, added] = starts.emplace(*binding.spec.room, *binding.spec.after_seq);
    if (!added) it->second = std::min(it->second, *binding.spec.after_seq);
  }
  for (const auto& [room, after] : starts) {
    channel.cursors[room].last = after;
    read(message.topic, channel, room);
  }
}

void Connection::leave(const PhoenixMessage& message) {
  // Also a channel whose join is still being checked: realtime-js considers it left at once,
  // and its check's answer then finds no channel.
  const std::string join_ref = channels_[message.topic].join_ref;
  reply(message, "ok", json::object{});
  push(message.topic, join_ref, "phx_close", json::object{});
  context_.realtime_topics.leave(message.topic, caller_.connection);
  channels_.erase(message.topic);
}

void Connection::fail_channel(const std::string& topic) {
  auto channel = channels_.find(topic);
  if (channel == channels_.end()) return;
  push(topic, channel->second.join_ref, "phx_error", json::object{});
  context_.realtime_topics.leave(topic, caller_.connection);
  channels_.erase(channel);
}

void Connection::end_channel(const std::string& topic, std::string why) {
  auto channel = channels_.find(topic);
  if (channel == channels_.end()) return;
  const std::string join_ref = channel->second.join_ref;
  system_message(topic, join_ref, "system", "error", std::move(why));
  push(topic, join_ref, "phx_close", json::object{});
  context_.realtime_topics.leave(topic, caller_.connection);
  channels_.erase(channel);
}

// --- broadcast, presence, tokens ---------------------------------------------------------------

void Connection::broadcast(const PhoenixMessage& message) {
  const auto* fields = message.payload.if_object();
  const auto* event = fields ? fields->if_contains("event") : nullptr;
  if (!event || !event->is_string())
    return reply_error(message, "a broadcast is {\"type\":\"broadcast\",\"event\":<name>,\"payload\":<object>}");
  json::object payload{{"type", "broadcast"}, {"event", event->get_string()}};
  if (const auto* body = fields->if_contains("payload")) payload["payload"] = *body;
  if (const auto* meta = fields->if_contains("meta")) payload["meta"] = *meta;
  context_.realtime_topics.broadcast(message.topic, caller_.connection, payload, message.binary_payload);
  if (channels_[message.topic].ack && message.ref) reply(message, "ok", json::object{});
}

void Connection::presence(const PhoenixMessage& message) {
  const auto* fields = message.payload.if_object();
  const auto* event = fields ? fields->if_contains("event") : nullptr;
  const std::string_view what = event && event->is_string() ? std::string_view(event->get_string()) : "";
  if (what != "track" && what != "untrack")
    return reply_error(message, "a presence message is {\"type\":\"presence\",\"event\":\"track\"|\"untrack\",...}");
  std::int64_t retry_after_ms = 0;
  if (!presence_calls_.try_take(retry_after_ms))
    return reply_error(message, "PresenceRateLimitReached: Too many presence messages per second");
  if (what == "untrack") {
    context_.realtime_topics.untrack(message.topic, caller_.connection);
    return reply(message, "ok", json::object{});
  }
  json::object meta;
  if (const auto* body = fields->if_contains("payload"); body && body->is_object()) meta = body->get_object();
  context_.realtime_topics.track(message.topic, caller_.connection, channels_[message.topic].presence_key, std::move(meta));
  reply(message, "ok", json::object{});
}

void Connection::refresh_token(const PhoenixMessage& message) {
  const auto* fields = message.payload.if_object();
  const auto* token = fields ? fields->if_contains("access_token") : nullptr;
  if (!token || !token->is_string()) return end_channel(message.topic, "Unauthorized: access_token must be a string");
  const std::uint64_t generation = channels_[message.topic].generation;
  context_.operations.services().authenticator.authenticate(
      token->get_string(), [link = link_, this, topic = message.topic, generation](Result<service::Identity> identity) {
        link.on_strand([this, topic, generation, identity = std::move(identity)] {
          auto channel = channels_.find(topic);
          if (channel == channels_.end() || channel->second.generation != generation) return;
          if (!identity) return end_channel(topic, "Token has expired or is invalid: " + identity.error().message);
          if (identity->user != caller_.user) return end_channel(topic, "Unauthorized: the access token is another user's");
          if (!std::exchange(attached_, true)) link_.attach();
        });
      });
}

// --- rows -------------------------------------------------------------------------------------

void Connection::on_event(const hub::Frame& frame) {
  if (closed_ || !frame || channels_.empty()) return;
  if (auto room = room_left(*frame)) return lose_room(*room);
  auto message = message_of(*frame);
  if (!message) return;
  const RoomId room{int_field(*message, "room_id")};
  const std::int64_t seq = int_field(*message, "seq");
  for (auto& [topic, channel] : channels_) {
    if (!channel.joined) continue;
    const bool listens = std::any_of(channel.bindings.begin(), channel.bindings.end(),
                                     [&](const Binding& b) { return !b.spec.room || *b.spec.room == room; });
    if (listens) offer(topic, channel, room, seq, *message, frame->size());
  }
}

void Connection::lose_room(RoomId room) {
  // A member no more: the channels of that room end, as Supabase ends a private channel whose
  // user lost the right to read it. Channels of all the user's rooms stop hearing it by
  // themselves (the hub no longer sends its messages).
  std::vector<std::string> ended;
  for (auto& [topic, channel] : channels_) {
    // Its rooms, not its bindings: a channel whose join is being checked has none yet.
    const bool names_room = std::find(channel.rooms.begin(), channel.rooms.end(), room) != channel.rooms.end();
    if (names_room) ended.push_back(topic);
    if (auto cursor = channel.cursors.find(room); cursor != channel.cursors.end()) {
      for (const auto& row : cursor->second.held) held_bytes_ -= row.bytes;
      channel.cursors.erase(cursor);
    }
  }
  for (const auto& topic : ended)
    end_channel(topic, "Unauthorized: you are no longer a member of room " + std::to_string(room.value));
}

void Connection::offer(const std::string& topic, Channel& channel, RoomId room, std::int64_t seq, const json::object& message,
                       std::size_t bytes) {
  RoomCursor& cursor = channel.cursors[room];
  if (cursor.last >= 0 && seq <= cursor.last && !cursor.reading) return;  // sent already
  if (cursor.reading || (cursor.last >= 0 && seq > cursor.last + 1)) {
    // Behind a read of the store, or after a gap (which a read fills): held, within the
    // connection's bytes; past them, read from the store when the read ends.
    if (held_bytes_ + bytes <= context_.options.realtime.held_bytes) {
      cursor.held.push_back(HeldRow{seq, message, bytes});
      held_bytes_ += bytes;
    } else {
      cursor.overflowed = true;
    }
    if (!cursor.reading) read(topic, channel, room);
    return;
  }
  send_row(topic, channel, room, message);
  cursor.last = seq;
}

void Connection::read(const std::string& topic, Channel& channel, RoomId room) {
  RoomCursor& cursor = channel.cursors[room];
  cursor.reading = true;
  // A page goes out only once the one before has mostly left: a long catch-up over a slow
  // link then never fills the send queue, which would close the connection.
  if (link_.queued_bytes() > context_.options.send_queue_bytes / 4) {
    waiting_reads_.push_back(WaitingRead{topic, channel.generation, room});
    return;
  }
  fetch(topic, channel.generation, room, std::max<std::int64_t>(cursor.last, 0));
}

void Connection::on_drained() {
  if (closed_ || waiting_reads_.empty()) return;
  auto waiting = std::move(waiting_reads_);
  waiting_reads_.clear();
  for (auto& read : waiting) {
    auto channel = channels_.find(read.topic);
    if (channel == channels_.end() || channel->second.generation != read.generation) continue;
    auto cursor = channel->second.cursors.find(read.room);
    if (cursor == channel->second.cursors.end() || !cursor->second.reading) continue;
    fetch(read.topic, read.generation, read.room, std::max<std::int64_t>(cursor->second.last, 0));
  }
}

void Connection::fetch(const std::string& topic, std::uint64_t generation, RoomId room, std::int64_t after) {
  context_.operations.services().sync.messages_after(
      caller_, room, after, service::SyncService::kMaxLimit,
      [link = link_, this, topic, generation, room](Result<service::RoomCatchUp> page) {
        link.on_strand([this, topic, generation, room, page = std::move(page)]() mutable {
          if (!closed_) on_read(topic, generation, room, std::move(page));
        });
      });
}

void Connection::on_read(const std::string& topic, std::uint64_t generation, RoomId room, Result<service::RoomCatchUp> page) {
  auto it = channels_.find(topic);
  if (it == channels_.end() || it->second.generation != generation) return;
  Channel& channel = it->second;
  if (!page) {
    if (page.error().code == ErrorCode::not_found) return lose_room(room);
    return fail_channel(topic);
  }
  RoomCursor& cursor = channel.cursors[room];
  for (const auto& message : page->messages) {
    if (message.seq <= cursor.last) continue;
    send_row(topic, channel, room, protocol::to_json(message));
    cursor.last = message.seq;
  }
  if (page->has_more) return read(topic, channel, room);
  cursor.reading = false;
  release_held(topic, channel, room);
}

void Connection::release_held(const std::string& topic, Channel& channel, RoomId room) {
  RoomCursor& cursor = channel.cursors[room];
  auto held = std::move(cursor.held);
  cursor.held.clear();
  for (const auto& row : held) held_bytes_ -= row.bytes;
  const bool overflowed = std::exchange(cursor.overflowed, false);
  std::sort(held.begin(), held.end(), [](const HeldRow& a, const HeldRow& b) { return a.seq < b.seq; });
  for (std::size_t i = 0; i < held.size(); ++i) {
    if (held[i].seq <= cursor.last) continue;
    if (held[i].seq > cursor.last + 1) {
      // Still a gap: the store has those rows by now (an event follows its commit). Read again,
      // holding the rest.
      for (std::size_t j = i; j < held.size(); ++j) held_bytes_ += held[j].bytes;
      cursor.held.assign(std::make_move_iterator(held.begin() + static_cast<std::ptrdiff_t>(i)),
                         std::make_move_iterator(held.end()));
      return read(topic, channel, room);
    }
    send_row(topic, channel, room, held[i].message);
    cursor.last = held[i].seq;
  }
  // Rows dropped while holding were committed before the read ended: one more read finds them.
  if (overflowed) read(topic, channel, room);
}

namespace {

json::value commit_timestamp_of(const json::object& message) {
  if (const auto* at = message.if_contains("created_at"); at && at->is_int64()) return json::value(supabase::timestamp_text(at->get_int64()));
  return nullptr;
}

bool binding_takes(const ChangesBinding& spec, RoomId room, std::string_view type) {
  return (!spec.room || *spec.room == room) && (spec.event == "*" || spec.event == type);
}

}  // namespace

void Connection::send_row(const std::string& topic, Channel& channel, RoomId room, const json::object& message) {
  // An edit, deletion or reaction changes another row; it is no INSERT (docs/supabase.md). An
  // edit or a deletion is its row's UPDATE; a reaction changes no column.
  if (supabase::is_event_row(message)) return send_update(topic, channel, room, message);
  push_change(topic, channel, room, "INSERT", message, commit_timestamp_of(message), nullptr);
}

void Connection::push_change(const std::string& topic, const Channel& channel, RoomId room, std::string_view type,
                             const json::object& message, const json::value& commit_timestamp,
                             const json::object* old_record) {
  json::array ids;
  for (const auto& binding : channel.bindings)
    if (binding_takes(binding.spec, room, type)) ids.push_back(binding.id);
  if (ids.empty()) return;
  json::object data{{"schema", "public"},
                    {"table", "messages"},
                    {"commit_timestamp", commit_timestamp},
                    {"type", type},
                    {"columns", supabase::message_columns()},
                    {"record", supabase::message_row(message)},
                    {"errors", nullptr}};
  if (old_record) data["old_record"] = *old_record;
  push(topic, std::nullopt, "postgres_changes", json::object{{"ids", std::move(ids)}, {"data", std::move(data)}});
}

void Connection::send_update(const std::string& topic, Channel& channel, RoomId room, const json::object& event) {
  const auto* type = event.if_contains("type");
  if (!type || !type->is_string() || (type->get_string() != "edit" && type->get_string() != "deletion")) return;
  const auto* target = event.if_contains("relates_to");
  if (!target || !target->is_int64() || target->get_int64() < 1) return;
  const bool wanted = std::any_of(channel.bindings.begin(), channel.bindings.end(),
                                  [&](const Binding& b) { return binding_takes(b.spec, room, "UPDATE"); });
  if (!wanted || update_reads_ >= kMaxUpdateReads) return;
  ++update_reads_;
  const Seq seq = target->get_int64();
  context_.operations.services().sync.messages_after(
      caller_, room, seq - 1, 1,
      [link = link_, this, topic, generation = channel.generation, room, seq,
       at = commit_timestamp_of(event)](Result<service::RoomCatchUp> page) {
        link.on_strand([this, topic, generation, room, seq, at, page = std::move(page)]() mutable {
          --update_reads_;
          if (closed_ || !page || page->messages.empty() || page->messages.front().seq != seq) return;
          auto channel = channels_.find(topic);
          if (channel == channels_.end() || channel->second.generation != generation) return;
          const json::object row = protocol::to_json(page->messages.front());
          // The table's replica identity is its key: old_record holds the id, as Supabase sends it.
          const json::object old_record{{"id", row.at("id")}};
          push_change(topic, channel->second, room, "UPDATE", row, at, &old_record);
        });
      });
}

}  // namespace parley::gateway::realtime
