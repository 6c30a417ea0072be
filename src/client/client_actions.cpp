// parley::Client's replies, edits, deletions and reactions: each a message in the outbox that
// names another message, by seq, or by client_msg_id while that one is itself pending.
#include <parley/client.hpp>

#include "client/client_impl.hpp"
#include "client/reply_fields.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace parley {

namespace json = boost::json;

namespace {

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

Result<Message> Client::Impl::write_related(const MessageRef& target, const std::string& type, const std::string& text) {
  auto self = me();
  if (!self) return fail(ErrorCode::unauthorized, "sign in before sending");
  if (!store->room(target.room)) return fail(ErrorCode::not_found, "no such room on this device");
  const bool reply = !is_event_type(type);
  Message message;
  message.client_msg_id = client::new_client_msg_id();
  message.room_id = target.room;
  message.sender_id = self->id;
  message.type = type;
  message.text = text;
  message.created_at = now_ms();
  message.state = MessageState::pending;
  Seq seq = target.seq;
  std::string pending_target;
  std::optional<Message> known;  // the named message as this device holds it, if it does
  if (seq <= 0 && !target.client_msg_id.empty()) {
    if (auto sent = store->find_sent(target.client_msg_id)) {
      seq = sent->seq;
    } else if (auto waiting = store->outbox_message(target.client_msg_id); waiting && waiting->room_id == target.room) {
      pending_target = target.client_msg_id;  // resolved when this goes out, after it
      known = std::move(waiting);
    } else {
      return fail(ErrorCode::not_found, "no such message on this device");
    }
  }
  if (seq <= 0 && pending_target.empty()) return fail(ErrorCode::invalid_payload, "name the message by its seq or client_msg_id");
  if (seq > 0) {
    (reply ? message.reply_to : message.relates_to) = seq;
    known = store->find_message(target.room, seq);
  }
  if (known && known->deleted) return fail(ErrorCode::conflict, "the message was deleted");
  if (known && is_event_type(known->type)) return fail(ErrorCode::invalid_payload, "an event cannot be answered or acted on");
  // Refused now rather than failed later: the app still has the text and can say why.
  if ((type == "reaction" || type == "reaction_removed") && text.empty())
    return fail(ErrorCode::invalid_payload, "a reaction is one emoji");
  if (type == "edit" && known && known->type == "text" && blank(text))
    return fail(ErrorCode::invalid_payload, "an edit cannot leave a text message blank");
  if (reply && blank(text)) return fail(ErrorCode::invalid_payload, "a reply needs non-blank text");
  PARLEY_CHECK(check_sendable(message));
  PARLEY_CHECK(store->add_to_outbox(message, "", pending_target));  // on disk before this returns
  if (reply) {
    notify([message](const Observer& o) {
      if (o.message) o.message(message);
    });
  }
  wake_outbox();
  return message;
}

Result<void> Client::Impl::resolve_target(Message& pending) {
  const auto target = store->outbox_target(pending.client_msg_id);
  if (!target.empty() && !pending.relates_to && !pending.reply_to) {
    auto sent = store->find_sent(target);
    if (!sent) return fail(ErrorCode::not_found, "the message this names was never sent: retry or discard it first");
    (is_event_type(pending.type) ? pending.relates_to : pending.reply_to) = sent->seq;
  }
  if (is_event_type(pending.type) && !pending.relates_to)
    return fail(ErrorCode::invalid_payload, "an event that names no message");
  return {};
}

Result<Message> Client::reply(const MessageRef& to, const std::string& text) { return impl_->write_related(to, "text", text); }
Result<Message> Client::edit(const MessageRef& target, const std::string& text) { return impl_->write_related(target, "edit", text); }
Result<Message> Client::remove(const MessageRef& target) { return impl_->write_related(target, "deletion", ""); }
Result<Message> Client::react(const MessageRef& target, const std::string& emoji) {
  return impl_->write_related(target, "reaction", emoji);
}
Result<Message> Client::unreact(const MessageRef& target, const std::string& emoji) {
  return impl_->write_related(target, "reaction_removed", emoji);
}

Result<std::vector<ReactionUsers>> Client::reactions(RoomId room, Seq seq) {
  PARLEY_TRY(answer, impl_->call("messages.reactions", {{"room_id", room.value}, {"seq", seq}}));
  PARLEY_TRY(list, client::array_field(answer, "reactions"));
  std::vector<ReactionUsers> out;
  for (const auto& entry : *list) {
    PARLEY_TRY(emoji, client::string_field(entry, "emoji"));
    PARLEY_TRY(users, client::array_field(entry, "user_ids"));
    ReactionUsers r{std::move(emoji), {}};
    for (const auto& u : *users) {
      PARLEY_TRY(id, client::int_in(u));
      r.user_ids.push_back(UserId{id});
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<MessageVersion>> Client::versions(RoomId room, Seq seq) {
  PARLEY_TRY(answer, impl_->call("messages.versions", {{"room_id", room.value}, {"seq", seq}}));
  PARLEY_TRY(list, client::array_field(answer, "versions"));
  std::vector<MessageVersion> out;
  for (const auto& entry : *list) {
    PARLEY_TRY(version, client::int_field(entry, "version"));
    PARLEY_TRY(text, client::string_field(entry, "text"));
    PARLEY_TRY(written_at, client::int_field(entry, "written_at"));
    out.push_back(MessageVersion{version, std::move(text), written_at});
  }
  return out;
}

}  // namespace parley
