#pragma once
// Delivery and read receipts: per-member watermarks that only move forward, and the message
// status derived from them.
#include <optional>

#include "domain/message_status.hpp"
#include "domain/room.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

struct ReceiptState {
  domain::Member me;  // the watermarks as stored now
  std::int64_t unread_count = 0;
};

class ReceiptsService {
 public:
  ReceiptsService(WriteQueue& writes, ReadPool& reads, EventPublisher& events)
      : writes_(writes), reads_(reads), events_(events) {}

  // Moves the caller's watermarks forward (an older seq changes nothing; read implies
  // delivered). When they moved, every member's connections hear of it (the other members only
  // of what the caller shares with them), and the caller's other devices get the new unread
  // count.
  void mark(const Caller& caller, RoomId room, std::optional<Seq> delivered, std::optional<Seq> read,
            Done<ReceiptState> done);
  // Who has message `seq` delivered and read, as the caller may know it.
  void receipts(const Caller& caller, RoomId room, Seq seq, Done<domain::MessageReceipts> done);

 private:
  WriteQueue& writes_;
  ReadPool& reads_;
  EventPublisher& events_;
};

}  // namespace parley::service
