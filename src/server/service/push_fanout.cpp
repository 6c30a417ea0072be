#include "server/service/push_fanout.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <memory>
#include <optional>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "domain/push.hpp"
#include "server/service/push_outbox.hpp"
#include "server/service/secrets.hpp"

namespace parley::service {
namespace {

namespace json = boost::json;

// What a `push` delivery's payload says of its message (PushOutbox::record).
struct PushedMessage {
  RoomId room;
  MessageId id;
  Seq seq = 0;
  UserId sender;
  std::string type;
  std::string body;
};

Result<PushedMessage> read_payload(const std::string& payload) {
  boost::system::error_code ec;
  const json::value value = json::parse(payload, ec);
  const json::object* o = ec ? nullptr : value.if_object();
  if (!o || !o->contains("room_id") || !o->contains("message_id") || !o->contains("sender_id"))
    return fail(ErrorCode::internal, "a push delivery's payload cannot be read");
  try {
    return PushedMessage{.room = RoomId(o->at("room_id").to_number<std::int64_t>()),
                         .id = MessageId(o->at("message_id").to_number<std::int64_t>()),
                         .seq = o->at("seq").to_number<std::int64_t>(),
                         .sender = UserId(o->at("sender_id").to_number<std::int64_t>()),
                         .type = std::string(o->at("type").as_string()),
                         .body = std::string(o->at("body").as_string())};
  } catch (const std::exception&) {
    return fail(ErrorCode::internal, "a push delivery's payload cannot be read");
  }
}

// The notification one member gets, the same for each of their targets: kind-neutral, turned
// into a gateway's or a browser's request by PushSender.
std::string notification(const PushedMessage& m, const std::string& sender_name, const domain::Room& room,
                         const domain::PushRecipient& recipient) {
  json::object out{{"room_id", m.room.value},   {"message_id", m.id.value}, {"seq", m.seq},
                   {"sender_id", m.sender.value}, {"sender_name", sender_name}, {"type", m.type},
                   {"unread", recipient.unread_count}};
  if (room.kind == domain::RoomKind::group) out["room_name"] = room.name;
  if (recipient.push_text == domain::PushText::shown) out["body"] = m.body;
  return json::serialize(out);
}

}  // namespace

std::string_view PushFanout::kind() const { return PushOutbox::kKind; }

void PushFanout::attempt(const domain::Delivery& delivery, std::function<void(SendOutcome)> done) {
  auto message = read_payload(delivery.payload);
  // Nothing will ever read it: no retry.
  if (!message) return done(SendOutcome{.status = std::unexpected(message.error()), .give_up = true});
  reads_.submit<std::vector<store::NewDelivery>>(
      [this, m = *message](store::StoreSession& session) -> Result<std::vector<store::NewDelivery>> {
        std::vector<store::NewDelivery> out;
        // One query for everyone who could be notified, whatever the room's size or backlog.
        PARLEY_TRY(recipients, session.list_push_recipients(m.room));
        PARLEY_TRY(room, session.find_room_with_member(m.room, m.sender));
        if (!room) return out;  // the room is gone
        PARLEY_TRY(sender, session.find_user(m.sender));
        const std::string sender_name = sender ? sender->display_name : std::string();
        // One notification per member notified, the same for each of their targets.
        std::unordered_map<std::int64_t, std::string> payloads;
        std::vector<UserId> wanted;
        for (const auto& recipient : recipients) {
          if (recipient.user_id == m.sender || presence_.connected(recipient.user_id)) continue;
          payloads.emplace(recipient.user_id.value, notification(m, sender_name, room->room, recipient));
          wanted.push_back(recipient.user_id);
        }
        if (wanted.empty()) return out;
        PARLEY_TRY(targets, session.list_push_targets_of(wanted));
        for (const auto& target : targets) {
          const auto payload = payloads.find(target.user_id.value);
          if (payload == payloads.end()) continue;
          out.push_back(store::NewDelivery{.id = "push_" + random_token(18),
                                           .kind = std::string(kTargetKind),
                                           .target = std::to_string(target.id),
                                           .order_key = std::to_string(m.room.value),
                                           .event_type = "message",
                                           .payload = payload->second,
                                           .created_at_ms = now_ms()});
        }
        return out;
      },
      [this, done = std::move(done)](Result<std::vector<store::NewDelivery>> planned) {
        if (!planned) return done(SendOutcome{.status = std::unexpected(planned.error())});
        if (planned->empty()) return done(SendOutcome{.status = 200, .note = "nobody to notify"});
        auto rows = std::make_shared<std::vector<store::NewDelivery>>(std::move(*planned));
        // Counted once committed: a batch the writer retries runs with_outcome again.
        auto coalesced = std::make_shared<std::uint64_t>(0);
        done(SendOutcome{
            .status = 200,
            .with_outcome =
                [rows, coalesced](store::StoreSession& session) -> Result<void> {
                  *coalesced = 0;
                  for (const auto& row : *rows) {
                    PARLEY_TRY(replaced, session.replace_waiting_delivery(row, now_ms()));
                    if (replaced) ++*coalesced;
                    else PARLEY_CHECK(session.insert_delivery(row));
                  }
                  return {};
                },
            .after_commit =
                [coalesced, written = written_] {
                  metrics::server().pushes_coalesced.add(*coalesced);
                  written();
                }});
      });
}

}  // namespace parley::service
