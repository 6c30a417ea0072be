#include "store_contract.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace parley::store::testing {

void StoreContract::SetUp() {
  database_ = GetParam().create_database();
  store_ = database_->open_store();
  ASSERT_TRUE(store_);
  auto migrated = store_->migrate();
  ASSERT_TRUE(migrated) << migrated.error().message;
  session_ = open_session();
}

std::unique_ptr<StoreSession> StoreContract::open_session() { return must(store_->open_session(), "open_session"); }

domain::User StoreContract::add_user(const std::string& username) {
  return must(db().insert_user(NewUser{.username = username,
                                       .display_name = "The " + username,
                                       .password_hash = "hash-of-" + username,
                                       .created_at_ms = tick()}),
              "insert_user");
}

domain::Room StoreContract::add_group(UserId creator, const std::string& name) {
  auto room = must(
      db().insert_room(
          domain::Room{.kind = domain::RoomKind::group, .name = name, .created_by = creator, .created_at_ms = tick()},
          std::nullopt),
      "insert_room");
  add_member(room.id, creator, domain::Role::admin);
  return room;
}

domain::Room StoreContract::stored_room(RoomId room) {
  // No user has id 0: only the room is wanted, not anyone's membership.
  auto found = must(db().find_room_with_member(room, UserId(0)), "find_room_with_member");
  if (!found) throw std::runtime_error("no room " + std::to_string(room.value));
  return std::move(found->room);
}

domain::Room StoreContract::add_direct(UserId a, UserId b) {
  auto room =
      must(db().insert_room(domain::Room{.kind = domain::RoomKind::direct, .created_by = a, .created_at_ms = tick()},
                            domain::direct_room_key(a, b)),
           "insert_room");
  add_member(room.id, a);
  add_member(room.id, b);
  return room;
}

void StoreContract::add_member(RoomId room, UserId user, domain::Role role) {
  must(db().insert_member(domain::Member{.room_id = room, .user_id = user, .role = role, .joined_at_ms = tick()}),
       "insert_member");
}

domain::Message StoreContract::append(const domain::Message& message) {
  must(db().begin_write(), "begin_write");
  auto stored = db().append_message(message);
  if (!stored) {
    db().rollback();
    return must(std::move(stored), "append_message");
  }
  must(db().commit(), "commit");
  return *stored;
}

domain::Message StoreContract::text_message(RoomId room, UserId sender, const std::string& text) {
  return domain::Message{.room_id = room,
                         .sender_id = sender,
                         .client_msg_id = "client-" + std::to_string(++next_client_id_),
                         .type = domain::MessageType::text,
                         .text = text,
                         .created_at_ms = tick()};
}

domain::Message StoreContract::send_text(RoomId room, UserId sender, const std::string& text) {
  return append(text_message(room, sender, text));
}

domain::Message StoreContract::send_system(RoomId room, UserId actor, domain::SystemEvent event, UserId target) {
  return append(domain::Message{.room_id = room,
                                .sender_id = actor,
                                .type = domain::MessageType::system,
                                .text = std::string(domain::to_string(event)),
                                .system = domain::SystemInfo{.event = event, .target = target},
                                .created_at_ms = tick()});
}

}  // namespace parley::store::testing
