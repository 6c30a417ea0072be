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
  if (next_ref_ == 0) next_ref_ = (static_cast<std::uint64_t>(std::random_device{}()) << 32) | 1u;
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

void TopicRegistry::publish(std::optional<std::string> relayed) {
  if (relayed && publish_) publish_(std::move(*relayed));
}

void TopicRegistry::send_state(const std::string& name, const Topic& topic, const Joiner& joiner) {
  if (auto sink = joiner.sink.lock())
    sink->deliver(std::make_shared<const std::string>(
        encode_message(joiner.join_ref, std::nullopt, name, "presence_state", state_of(topic), joiner.serializer)));
}

void TopicRegistry::send_diff(Topic& topic, const std::string& name, const json::object& joins, const json::object& leaves) {
  Encoded encoded{name, "presence_diff", json::object{{"joins", joins}, {"leaves", leaves}}, nullptr, nullptr};
  for (const auto& [connection, joiner] : topic.joiners) {
    if (!joiner.presence) continue;
    if (auto sink = joiner.sink.lock()) sink->deliver(encoded.get(joiner.serializer));
  }
}

void TopicRegistry::forget_if_empty(const std::string& name) {
  auto it = topics_.find(name);
  if (it != topics_.end() && it->second.joiners.empty() && it->second.presences.empty()) topics_.erase(it);
}

void TopicRegistry::join(const std::string& name, Joiner joiner) {
  std::lock_guard lock(mutex_);
  Topic& topic = topics_[name];
  const std::uint64_t connection = joiner.connection;
  auto& slot = topic.joiners[connection] = std::move(joiner);
  if (slot.presence) send_state(name, topic, slot);
}

std::optional<RelayedPresence> TopicRegistry::remove_presence(const std::string& name, Topic& topic, std::uint64_t connection) {
  auto presence = topic.presences.find(connection);
  if (presence == topic.presences.end()) return std::nullopt;
  const bool ours = !presence->second.heard;
  RelayedPresence gone{name, connection, presence->second.key, std::nullopt};
  json::object leaves = entry(presence->second);
  topic.presences.erase(presence);
  send_diff(topic, name, {}, leaves);
  if (!ours) return std::nullopt;
  return gone;
}

void TopicRegistry::leave(const std::string& name, std::uint64_t connection) {
  std::optional<std::string> relayed;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(name);
    if (it == topics_.end()) return;
    it->second.joiners.erase(connection);
    if (auto gone = remove_presence(name, it->second, connection)) relayed = encode_relayed(std::vector{*gone});
    forget_if_empty(name);
  }
  publish(std::move(relayed));
}

void TopicRegistry::fan_out(const std::string& name, Topic& topic, std::uint64_t sender, const json::object& payload,
                            const std::optional<std::string>& bytes) {
  Encoded encoded{name, "broadcast", payload, nullptr, nullptr};
  hub::Frame binary;
  if (bytes) {
    const auto* event = payload.if_contains("event");
    binary = std::make_shared<const std::string>(
        encode_binary_broadcast(name, event && event->is_string() ? std::string_view(event->get_string()) : "", *bytes));
  }
  for (const auto& [connection, joiner] : topic.joiners) {
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

void TopicRegistry::broadcast(const std::string& name, std::uint64_t sender, const json::object& payload,
                              const std::optional<std::string>& bytes) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = topics_.find(name); it != topics_.end()) fan_out(name, it->second, sender, payload, bytes);
  }
  if (publish_) publish_(encode_relayed(RelayedBroadcast{name, payload, bytes}));
}

void TopicRegistry::track(const std::string& name, std::uint64_t connection, const std::string& key, json::object meta) {
  std::string relayed;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(name);
    if (it == topics_.end() || !it->second.joiners.contains(connection)) return;
    Topic& topic = it->second;
    // A channel joined without presence that tracks anyway gets the state first: realtime-js
    // holds every diff back until it has one.
    Joiner& tracker = topic.joiners[connection];
    if (!tracker.presence) {
      tracker.presence = true;
      send_state(name, topic, tracker);
    }
    json::object leaves;
    if (auto old = topic.presences.find(connection); old != topic.presences.end()) leaves = entry(old->second);
    meta["phx_ref"] = next_presence_ref();
    Presence& presence = topic.presences[connection] = Presence{key, std::move(meta), std::nullopt};
    send_diff(topic, name, entry(presence), leaves);
    relayed = encode_relayed(std::vector{RelayedPresence{name, connection, key, presence.meta}});
  }
  publish(std::move(relayed));
}

void TopicRegistry::untrack(const std::string& name, std::uint64_t connection) {
  std::optional<std::string> relayed;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(name);
    if (it == topics_.end()) return;
    if (auto gone = remove_presence(name, it->second, connection)) relayed = encode_relayed(std::vector{*gone});
  }
  publish(std::move(relayed));
}

void TopicRegistry::apply_relayed(const RelayedPresence& relayed, Clock::time_point now) {
  auto it = topics_.find(relayed.topic);
  if (!relayed.meta) {
    if (it == topics_.end()) return;
    auto presence = it->second.presences.find(relayed.connection);
    // Only another node's presence can be ended by what another node says.
    if (presence != it->second.presences.end() && presence->second.heard)
      remove_presence(relayed.topic, it->second, relayed.connection);
    forget_if_empty(relayed.topic);
    return;
  }
  Topic& topic = it != topics_.end() ? it->second : topics_[relayed.topic];
  auto existing = topic.presences.find(relayed.connection);
  if (existing != topic.presences.end()) {
    if (!existing->second.heard) return;  // a connection of this node: its own word holds
    if (existing->second.meta == *relayed.meta) {
      existing->second.heard = now;  // announced again, unchanged
      return;
    }
  }
  json::object leaves;
  if (existing != topic.presences.end()) leaves = entry(existing->second);
  Presence& presence = topic.presences[relayed.connection] = Presence{relayed.key, *relayed.meta, now};
  send_diff(topic, relayed.topic, entry(presence), leaves);
}

void TopicRegistry::receive(std::string_view relayed, Clock::time_point now) {
  auto decoded = decode_relayed(relayed);
  if (!decoded) return;
  std::lock_guard lock(mutex_);
  if (auto* broadcast = std::get_if<RelayedBroadcast>(&*decoded)) {
    // No joiner here sent it: each joiner here gets it.
    if (auto it = topics_.find(broadcast->topic); it != topics_.end())
      fan_out(broadcast->topic, it->second, 0, broadcast->payload, broadcast->bytes);
    return;
  }
  for (const auto& presence : std::get<std::vector<RelayedPresence>>(*decoded)) apply_relayed(presence, now);
}

void TopicRegistry::refresh(Clock::time_point stale_before) {
  std::vector<RelayedPresence> ours;
  {
    std::lock_guard lock(mutex_);
    std::vector<std::string> emptied;
    for (auto& [name, topic] : topics_) {
      std::vector<std::uint64_t> stale;
      for (const auto& [connection, presence] : topic.presences) {
        if (!presence.heard) {
          ours.push_back(RelayedPresence{name, connection, presence.key, presence.meta});
        } else if (*presence.heard < stale_before) {
          stale.push_back(connection);
        }
      }
      for (std::uint64_t connection : stale) remove_presence(name, topic, connection);
      if (topic.joiners.empty() && topic.presences.empty()) emptied.push_back(name);
    }
    for (const auto& name : emptied) topics_.erase(name);
  }
  if (!ours.empty()) publish(encode_relayed(ours));
}

std::size_t TopicRegistry::topic_count() const {
  std::lock_guard lock(mutex_);
  return topics_.size();
}

}  // namespace parley::gateway::realtime
