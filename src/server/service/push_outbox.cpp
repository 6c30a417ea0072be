#include "server/service/push_outbox.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "server/service/committed.hpp"
#include "server/service/secrets.hpp"

namespace parley::service {
namespace {

// The first `max_chars` characters (code points) of UTF-8 `text`, never a character cut in two.
std::string first_chars(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80 && chars++ == max_chars) return text.substr(0, i) + "…";
  }
  return text;
}

}  // namespace

std::string push_body(const domain::Message& message) {
  switch (message.type) {
    case domain::MessageType::text: return first_chars(message.text, kPushBodyMaxChars);
    case domain::MessageType::image: return "Sent a photo";
    case domain::MessageType::file: return "Sent a file";
    case domain::MessageType::audio: return "Sent an audio message";
    case domain::MessageType::video: return "Sent a video";
    // Never pushed (record below skips them): a notification is for what a person wrote.
    case domain::MessageType::system:
    case domain::MessageType::edit:
    case domain::MessageType::deletion:
    case domain::MessageType::reaction:
    case domain::MessageType::reaction_removed: return {};
  }
  return {};
}

Result<bool> PushOutbox::in_use(store::StoreSession& session) {
  if (in_use_.known()) return true;
  const auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return false;
  next_check_ = now + kRecheckEvery;
  PARLEY_TRY(any, session.any_push_targets());
  if (any) in_use_.set();
  return any;
}

Result<std::size_t> PushOutbox::record(store::StoreSession& session, const PendingEvents& events) {
  if (events.messages().empty()) return 0;
  PARLEY_TRY(used, in_use(session));
  if (!used) return 0;
  std::size_t written = 0;
  for (const auto& message : events.messages()) {
    if (!domain::is_content(message->type)) continue;
    const boost::json::object payload{{"room_id", message->room_id.value}, {"message_id", message->id.value},
                                      {"seq", message->seq},               {"sender_id", message->sender_id.value},
                                      {"type", domain::to_string(message->type)}, {"body", push_body(*message)}};
    const std::string room = std::to_string(message->room_id.value);
    store::NewDelivery delivery{.id = "push_" + random_token(18),
                                .kind = std::string(kKind),
                                .target = room,
                                .order_key = room,
                                .event_type = "message by " + std::to_string(message->sender_id.value),
                                .payload = boost::json::serialize(payload),
                                .created_at_ms = now_ms()};
    // The room's latest message whose expansion has not begun, when the same member sent it,
    // is not expanded at all: its row takes this message instead, as each target would have
    // coalesced its notification into this one's anyway. A burst into a big room costs one
    // fan-out per expansion the workers get through, not one per message. Another sender's is
    // kept: who is notified depends on who sent it (alice's message notifies bob, bob's
    // answer notifies alice).
    PARLEY_TRY(replaced, session.replace_waiting_delivery(delivery, now_ms()));
    if (!replaced) PARLEY_CHECK(session.insert_delivery(delivery));
    ++written;
  }
  return written;
}

}  // namespace parley::service
