#pragma once
// A message's status derived from the members' watermarks: nothing is stored per message.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "domain/message.hpp"
#include "domain/room.hpp"

namespace parley::domain {

enum class DeliveryState { sent, delivered, read };

[[nodiscard]] std::string_view to_string(DeliveryState state);

struct MessageStatus {
  // delivered / read once every other current member has it delivered / read.
  DeliveryState state = DeliveryState::sent;
  std::int64_t recipients = 0;  // current members other than the sender
  std::int64_t delivered = 0;   // of them, how many have it delivered (read counts as delivered)
  std::int64_t read = 0;
};

struct MessageReceipts {
  MessageStatus status;
  std::vector<UserId> delivered_to;  // every recipient that has it delivered, read ones included
  std::vector<UserId> read_by;
};

[[nodiscard]] MessageStatus status_of(const Message& message, std::span<const Member> members);
[[nodiscard]] MessageReceipts receipts_of(const Message& message, std::span<const Member> members);

}  // namespace parley::domain
