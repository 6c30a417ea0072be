#include "domain/message_status.hpp"

namespace parley::domain {

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::sent: return "sent";
    case DeliveryState::delivered: return "delivered";
    case DeliveryState::read: return "read";
  }
  return "sent";
}

MessageReceipts receipts_of(const Message& message, std::span<const Member> members) {
  MessageReceipts out;
  for (const auto& m : members) {
    if (m.user_id == message.sender_id) continue;
    ++out.status.recipients;
    if (m.delivered_seq >= message.seq || m.read_seq >= message.seq) out.delivered_to.push_back(m.user_id);
    if (m.read_seq >= message.seq) out.read_by.push_back(m.user_id);
  }
  auto& s = out.status;
  s.delivered = static_cast<std::int64_t>(out.delivered_to.size());
  s.read = static_cast<std::int64_t>(out.read_by.size());
  if (s.recipients > 0 && s.read == s.recipients) s.state = DeliveryState::read;
  else if (s.recipients > 0 && s.delivered == s.recipients) s.state = DeliveryState::delivered;
  return out;
}

MessageStatus status_of(const Message& message, std::span<const Member> members) {
  return receipts_of(message, members).status;
}

}  // namespace parley::domain
