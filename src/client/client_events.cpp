// The SDK's side of what the server tells unasked: events (messages, receipts, rooms, members,
// typing, presence), and how an incoming message or page is stored and shown.

#include "client/client_impl.hpp"
#include "client/json_mapping.hpp"
#include "client/reply_fields.hpp"
#include "core/error.hpp"

#include <algorithm>

namespace parley {

namespace json = boost::json;
using client::array_field;
using client::committed_message;
using client::int_field;
using client::malformed_reply;
using client::object_field;

Room Client::Impl::remember_room(const Room& given) {
  Room room = given;
  // The server's last message is what holds the room's last seq, an event too (a reaction, an
  // edit): the rooms list shows the newest message instead, in its current state.
  if (room.last_message && is_event_type(room.last_message->type)) {
    auto newest = store->history(room.id, 1, 0);
    if (newest.empty()) room.last_message.reset();
    else room.last_message = newest.back();
  }
  store->upsert_room(room);
  notify([room](const Observer& o) {
    if (o.room) o.room(room);
  });
  return room;
}

void Client::Impl::refresh_members(RoomId room) {
  connection->request("members.list", {{"room_id", room.value}}, [this, room](Result<json::value> answer) {
    if (!answer) return;
    auto members = client::members_of(*answer);
    if (!members) return report(members.error());
    store->replace_members(room, *members);
    notify([room, members = std::move(*members)](const Observer& o) {
      if (o.members) o.members(room, members);
    });
  });
}

void Client::Impl::mark_delivered(RoomId room, Seq seq) {
  connection->request("receipts.mark", {{"room_id", room.value}, {"delivered_seq", seq}}, [](Result<json::value>) {});
}

void Client::Impl::store_incoming(const Message& message, bool live, bool current) {
  auto me_now = me();
  auto stored = store->store_messages({message}, me_now ? me_now->id : UserId{}, current);
  announce_changes(stored);
  if (stored.fresh.empty()) return;  // held already: never shown twice
  const bool event = is_event_type(message.type);
  if (auto room = store->room(message.room_id)) {
    if (message.seq >= room->last_seq) {
      room->last_seq = message.seq;
      if (!event) room->last_message = message;  // an event shows on the message it names
    }
    bool mine = me_now && message.sender_id == me_now->id;
    if (live && !mine && !event && message.type != "system" && message.seq > room->read_seq) ++room->unread_count;
    remember_room(*room);
  }
  if (event) return;
  auto shown = with_status(message);
  notify([shown](const Observer& o) {
    if (o.message) o.message(shown);
  });
}

void Client::Impl::store_page(RoomId id, const std::vector<Message>& messages, Seq snapshot_seq) {
  auto self = me();
  auto stored = store->store_messages(messages, self ? self->id : UserId{}, true, snapshot_seq);
  announce_changes(stored);
  auto& fresh = stored.fresh;
  if (fresh.empty()) return;
  // The sync's rooms list already carried the unread count; only the last message moves here.
  if (auto room = store->room(id); room && fresh.back().seq >= room->last_seq) {
    room->last_seq = fresh.back().seq;
    auto last = std::ranges::find_if(fresh.rbegin(), fresh.rend(), [](const Message& m) { return !is_event_type(m.type); });
    if (last != fresh.rend()) room->last_message = *last;
    remember_room(*room);
  }
  std::erase_if(fresh, [](const Message& m) { return is_event_type(m.type); });
  derive_status(fresh, id);
  for (auto& message : fresh)
    notify([message = std::move(message)](const Observer& o) {
      if (o.message) o.message(message);
    });
}

void Client::Impl::announce_changes(const client::LocalStore::Stored& stored) {
  for (const auto& upload_id : stored.deleted_uploads) forget_download(upload_id);
  for (const auto& changed : stored.changed) {
    // The rooms list shows the last message: it changes with it (a deleted text goes there too).
    if (auto room = store->room(changed.room_id); room && room->last_message && room->last_message->seq == changed.seq) {
      room->last_message = changed;
      remember_room(*room);
    }
    notify([shown = with_status(changed)](const Observer& o) {
      if (o.message) o.message(shown);
    });
  }
}

void Client::Impl::on_event(const std::string& name, const json::object& data) {
  // An event the SDK cannot read is skipped: the next sync brings what it meant, if anything.
  if (auto handled = handle_event(name, json::value(data)); !handled) {
    Error e = handled.error();
    e.message = "the \"" + name + "\" event was skipped: " + e.message;
    report(e);
  }
}

Result<void> Client::Impl::handle_event(const std::string& name, const json::value& data) {
  if (name == "message") {
    // The server may send a room's messages before it has answered this connection's `auth`.
    // Until the connection is online they are left to the catch-up that follows: stored now,
    // they would move the room's position past what came before them, and the catch-up, which
    // asks for what follows that position, would leave a hole.
    if (connection->state() != ConnectionState::online) return {};
    PARLEY_TRY(object, object_field(data, "message"));
    PARLEY_TRY(message, committed_message(*object));
    Seq newest = store->newest_seq(message.room_id);
    // A gap means events were missed (a restart, a slow moment): fetch it rather than guess.
    if (newest > 0 && message.seq > newest + 1) {
      sync(json::array{json::object{{"room_id", message.room_id.value}, {"after_seq", newest}}});
      return {};
    }
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
    PARLEY_TRY(object, object_field(data, "room"));
    auto joined = client::room_from_object(*object);
    if (joined.id.value <= 0) return std::unexpected(malformed_reply("a room without an id"));
    auto room = remember_room(joined);
    // Joined a room with a past (added to a group): its newest page, as a sync would bring it.
    if (room.last_seq > 0 && store->newest_seq(room.id) == 0) fetch_first_page(room.id, [](const std::optional<Error>&) {});
    else refresh_members(room.id);
  } else if (name == "room.updated") {
    PARLEY_TRY(object, object_field(data, "room"));
    auto shared = client::room_from_object(*object);
    if (auto room = store->room(shared.id)) {
      room->name = shared.name;
      room->member_count = shared.member_count;
      remember_room(*room);
    }
  } else if (name == "room.left") {
    PARLEY_TRY(id, int_field(data, "room_id"));
    RoomId room{id};
    store->remove_room(room);
    notify([room](const Observer& o) {
      if (o.room_removed) o.room_removed(room);
    });
  } else if (name == "receipt") {
    PARLEY_TRY(room_id, int_field(data, "room_id"));
    PARLEY_TRY(user_id, int_field(data, "user_id"));
    PARLEY_TRY(delivered, int_field(data, "delivered_seq"));
    PARLEY_TRY(read, int_field(data, "read_seq"));
    RoomId room{room_id};
    store->advance_watermark(room, {UserId{user_id}, delivered, read});
    notify([room](const Observer& o) {
      if (o.receipts) o.receipts(room);
    });
  } else if (name == "room.unread") {
    PARLEY_TRY(room_id, int_field(data, "room_id"));
    PARLEY_TRY(read_seq, int_field(data, "read_seq"));
    PARLEY_TRY(unread, int_field(data, "unread_count"));
    if (auto room = store->room(RoomId{room_id})) {
      room->read_seq = std::max(room->read_seq, read_seq);
      room->unread_count = unread;
      remember_room(*room);
    }
  } else if (name == "typing") {
    PARLEY_TRY(room_id, int_field(data, "room_id"));
    PARLEY_TRY(user_id, int_field(data, "user_id"));
    PARLEY_TRY(on, client::bool_field(data, "typing"));
    RoomId room{room_id};
    UserId user{user_id};
    std::vector<UserId> now;
    {
      std::lock_guard lock(ephemeral_mutex);
      auto& list = typing[room];
      std::erase(list, user);
      if (on) list.push_back(user);
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
      PARLEY_TRY(self, object_field(data, "self"));
      PARLEY_TRY(users, array_field(data, "users"));
      changes.push_back(client::presence_from_object(*self));
      for (const auto& p : *users) changes.push_back(client::presence_from_json(p));
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
  return {};
}

// --- derived state ----------------------------------------------------------------------------

}  // namespace parley
