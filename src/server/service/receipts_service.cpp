#include "server/service/receipts_service.hpp"

#include "domain/shared_watermarks.hpp"
#include "server/service/publish_then_reply.hpp"
#include "server/service/room_access.hpp"

namespace parley::service {
namespace {

bool same_watermarks(const domain::Member& a, const domain::Member& b) {
  return a.delivered_seq == b.delivered_seq && a.read_seq == b.read_seq && a.shared_read_seq == b.shared_read_seq;
}

// Tells who may know that the reader's watermarks moved from `before` to `after`. The audience
// is decided here, in the write, from the row just stored: every node then only delivers.
void tell_receipt(PendingEvents& events, const domain::Member& before, const domain::Member& after,
                  std::uint64_t skip_connection, bool invisible) {
  // An invisible reader's receipt would show them online: only their own devices hear it live;
  // others see it in the message status when they next read the room.
  if (invisible) return events.receipt(after, ReceiptAudience::own_devices, skip_connection);
  // All of it is shared: one event for every member.
  if (after.read_seq == after.shared_read_seq) return events.receipt(after, ReceiptAudience::room, skip_connection);
  // A private reader: their own devices get the truth, the others only what they may see, and
  // nothing at all when that did not move (a read that moved delivery along moved it).
  events.receipt(after, ReceiptAudience::own_devices, skip_connection);
  if (!same_watermarks(domain::as_others_see(before), domain::as_others_see(after)))
    events.receipt(after, ReceiptAudience::others, skip_connection);
}

}  // namespace

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
        if (!same_watermarks(after, access.me)) {
          // The status as stored, not as this node last heard it: the reader may have gone
          // invisible through another node a moment ago.
          PARLEY_TRY(presence, session.find_presence(caller.user));
          const bool invisible = presence.status == domain::PresenceStatus::invisible;
          tell_receipt(out.events, access.me, after, caller.connection, invisible);
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
        return domain::receipts_of(page.front(), domain::as_seen_by(std::move(members), caller.user));
      },
      std::move(done));
}

}  // namespace parley::service
