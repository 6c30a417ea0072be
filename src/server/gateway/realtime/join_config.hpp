#pragma once
// What a Realtime client asks for when it joins a channel: the phx_join payload (docs/supabase.md).
// Pure: read and checked here, acted on by the connection.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace parley::gateway::realtime {

// One postgres_changes binding. Parley serves inserts into public.messages and their updates
// (an edit, a deletion), for one room (filter room_id=eq.<id>) or for every room of the user
// (no filter).
struct ChangesBinding {
  std::string event;  // INSERT, UPDATE or *
  std::string schema;
  std::string table;
  std::string filter;  // as given: the join reply echoes it
  std::optional<RoomId> room;
  // Parley's extension: the last seq the client holds. The rows after it arrive first, in order.
  std::optional<std::int64_t> after_seq;
};

struct JoinConfig {
  bool broadcast_self = false;
  bool broadcast_ack = false;
  bool presence_enabled = false;
  std::string presence_key;  // empty: the server makes one
  std::vector<ChangesBinding> changes;
  std::optional<std::string> access_token;
};

Result<JoinConfig> read_join_config(const boost::json::value& payload);

// The room a topic names, "realtime:room:<id>"; nullopt for any other topic.
std::optional<RoomId> room_of_topic(std::string_view topic);

}  // namespace parley::gateway::realtime
