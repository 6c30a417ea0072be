#include "server/service/receipts_service.hpp"

#include "server/service/publish_then_reply.hpp"
#include "server/service/room_access.hpp"

namespace parley::service {

void ReceiptsService::mark(const Caller& caller, RoomId room, std::optional<Seq> delivered, std::optional<Seq> read,
                           Done<ReceiptState> done) {
  if (!delivered && !read) return done(fail(ErrorCode::invalid_payload, "delivered_seq or read_seq is required"));
  if (delivered.value_or(0) < 0 || read.value_or(0) < 0)
    return done(fail(ErrorCode::invalid_payload, "delivered_seq and read_seq must not be negative"));
  submit_change<ReceiptState>(
      writes_, events_,
      [this, caller, room, delivered, read](store::StoreSession& session) -> Result<Committed<ReceiptState>> {
        PARLEY_TRY(access, authorize_room(session, room, caller.user, domain::Action::read_room));
        PARLEY_TRY(after, session.advance_watermarks(room, caller.user, delivered.value_or(0), read.value_or(0)));
        PARLEY_TRY(summary, session.find_room_summary(room, caller.user));
        Committed<ReceiptState> out;
        out.reply = ReceiptState{after, summary ? summary->unread_count : 0};
        // A receipt that moves nothing is common (every device reports) and costs no event.
        if (after.delivered_seq != access.me.delivered_seq || after.read_seq != access.me.read_seq) {
          // An invisible reader's receipt would show them online: only their own devices hear it
          // live; others see it in the message status when they next read the room.
          out.events.receipt(after, caller.connection, hidden_ && hidden_(caller.user));
          if (after.read_seq != access.me.read_seq) out.events.unread(after, out.reply.unread_count, caller.connection);
        }
        return out;
      },
      std::move(done));
}

void ReceiptsService::receipts(const Caller& caller, RoomId room, Seq seq, Done<domain::MessageReceipts> done) {
  reads_.submit<domain::MessageReceipts>(
      [caller, room, seq](store::StoreSession& session) -> Result<domain::MessageReceipts> {
        PARLEY_CHECK(authorize_room(session, room, caller.user, domain::Action::read_room));
        PARLEY_TRY(page, session.list_messages_before(room, seq + 1, 1));
        if (page.empty() || page.front().seq != seq) return fail(ErrorCode::not_found, "no message with that seq");
        PARLEY_TRY(members, session.list_members(room));
        return domain::receipts_of(page.front(), members);
      },
      std::move(done));
}

}  // namespace parley::service
