#include "server/gateway/realtime/topic_registry.hpp"

#include <random>

namespace parley::gateway::realtime {

namespace json = boost::json;

hub::Frame TopicRegistry::Encoded::get(Serializer serializer) {
  hub::Frame& slot = serializer == Serializer::v1 ? v1 : v2;
  if (!slot) slot = std::make_shared<const std::string>(encode_message(std::nullopt, std::nullopt, topic, event, payload, serializer));
  return slot;
}

std::string TopicRegistry::next_presence_ref() {
  // Phoenix's refs are unique per node; a random start keeps two nodes' refs apart too.
  if (next_ref_ == 0) next_ref_ = std::random_device{}() | 1u;
  return "F" + std::to_string(next_ref_++);
}

json::object TopicRegistry::entry(const Presence& presence) {
  return json::object{{presence.key, json::object{{"metas", json::array{presence.meta}}}}};
}

json::object TopicRegistry::state_of(const Topic& topic) {
  json::object state;
  for (const auto& [connection, presence] : topic.presences) {
    auto& slot = state[presence.key];
    if (!slot.is_object()) slot = json::object{{"metas", json::array{}}};
    slot.get_object()["metas"].get_array().push_back(presence.meta);
  }
  return state;
}

void TopicRegistry::join(const std::string& name, Joiner joiner) {
  std::lock_guard lock(mutex_);
  Topic& topic = topics_[name];
  const std::uint64_t connection = joiner.connection;
  auto& slot = topic.joiners[connection] = std::move(joiner);
  if (!slot.presence) return;
  if (auto sink = slot.sink.lock())
    sink->deliver(std::make_shared<const std::string>(
        encode_message(slot.join_ref, std::nullopt, name, "presence_state", state_of(topic), slot.serializer)));
}

void TopicRegistry::leave(const std::string& name, std::uint64_t connection) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return;
  Topic& topic = it->second;
  topic.joiners.erase(connection);
  if (auto presence = topic.presences.find(connection); presence != topic.presences.end()) {
    json::object leaves = entry(presence->second);
    topic.presences.erase(presence);
    send_diff(topic, name, {}, leaves);
  }
  if (topic.joiners.empty()) topics_.erase(it);
}

void TopicRegistry::broadcast(const std::string& name, std::uint64_t sender, const json::object& payload,
                              const std::optional<std::string>& bytes) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return;
  Encoded encoded{name, "broadcast", payload, nullptr, nullptr};
  hub::Frame binary;
  if (bytes) {
    const auto* event = payload.if_contains("event");
    binary = std::make_shared<const std::string>(
        encode_binary_broadcast(name, event && event->is_string() ? std::string_view(event->get_string()) : "", *bytes));
  }
  for (const auto& [connection, joiner] : it->second.joiners) {
    if (connection == sender && !joiner.receive_own_broadcasts) continue;
    auto sink = joiner.sink.lock();
    if (!sink) continue;
    if (!bytes) {
      sink->deliver(encoded.get(joiner.serializer));
    } else if (joiner.serializer == Serializer::v2) {
      sink->deliver(binary);
    }
  }
}

void TopicRegistry::track(const std::string& name, std::uint64_t connection, const std::string& key, json::object meta) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(name);
  if (it == topics_.end() || !it->second.joiners.contains(connection)) return;
  Topic& topic = it->second;
  // A channel joined without presence that tracks anyway gets the state first: realtime-js
  // holds every diff back until it has one.
  Joiner& tracker = topic.joiners[connection];
  if (!tracker.presence) {
    tracker.presence = true;
    if (auto sink = tracker.sink.lock())
      sink->deliver(std::make_shared<const std::string>(
          encode_message(tracker.join_ref, std::nullopt, name, "presence_state", state_of(topic), tracker.serializer)));
  }
  json::object leaves;
  if (auto old = topic.presences.find(connection); old != topic.presences.end()) leaves = entry(old->second);
  meta["phx_ref"] = next_presence_ref();
  Presence& presence = topic.presences[connection] = Presence{key, std::move(meta)};
  send_diff(topic, name, entry(presence), leaves);
}

void TopicRegistry::untrack(const std::string& name, std::uint64_t connection) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(name);
  if (it == topics_.end()) return;
  auto presence = it->second.presences.find(connection);
  if (presence == it->second.presences.end()) return;
  json::object leaves = entry(presence->second);
  it->second.presences.erase(presence);
  send_diff(it->second, name, {}, leaves);
}

void TopicRegistry::send_diff(Topic& topic, const std::string& name, const json::object& joins, const json::object& leaves) {
  Encoded encoded{name, "presence_diff", json::object{{"joins", joins}, {"leaves", leaves}}, nullptr, nullptr};
  for (const auto& [connection, joiner] : topic.joiners) {
    if (!joiner.presence) continue;
    if (auto sink = joiner.sink.lock()) sink->deliver(encoded.get(joiner.serializer));
  }
}

std::size_t TopicRegistry::topic_count() const {
  std::lock_guard lock(mutex_);
  return topics_.size();
}

}  // namespace parley::gateway::realtime
