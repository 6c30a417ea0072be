#include "server/service/sync_service.hpp"

#include "domain/shared_watermarks.hpp"
#include "server/service/message_events.hpp"
#include "server/service/read_snapshot.hpp"

namespace parley::service {

void SyncService::sync(const Caller& caller, SyncRequest request, Done<SyncResult> done) {
  if (request.rooms.size() > kMaxRooms)
    return done(fail(ErrorCode::invalid_payload, "rooms may name at most 1000 rooms; sync the rest next"));
  if (request.limit < 1 || request.limit > kMaxLimit)
    return done(fail(ErrorCode::invalid_payload, "limit must be between 1 and 500"));
  for (const auto& p : request.rooms)
    if (p.after < 0) return done(fail(ErrorCode::invalid_payload, "after_seq must not be negative"));
  reads_.submit<SyncResult>(
      [user = caller.user, request = std::move(request)](store::StoreSession& session) -> Result<SyncResult> {
        // One snapshot: each room's last_seq in `rooms` is the seq up to which the catch-up's
        // messages hold the room's events.
        return in_read_snapshot(session, [&]() -> Result<SyncResult> {
          SyncResult out;
          PARLEY_TRY(rooms, session.list_room_summaries(user));
          out.rooms = std::move(rooms);
          for (const auto& position : request.rooms) {
            // Membership decides, as everywhere: a room left (or never joined) yields nothing.
            PARLEY_TRY(member, session.find_member(position.room, user));
            if (!member) {
              out.left.push_back(position.room);
              continue;
            }
            RoomCatchUp room{position.room, {}, false, {}};
            PARLEY_TRY(messages, session.list_messages_after(position.room, position.after, request.limit + 1));
            room.has_more = static_cast<int>(messages.size()) > request.limit;
            if (room.has_more) messages.pop_back();
            PARLEY_CHECK(add_reply_previews_and_reactions(session, position.room, user, messages));
            room.messages = std::move(messages);
            PARLEY_TRY(members, session.list_members(position.room));
            room.members = domain::as_seen_by(std::move(members), user);
            out.catch_up.push_back(std::move(room));
          }
          return out;
        });
      },
      std::move(done));
}

void SyncService::messages_after(const Caller& caller, RoomId room, Seq after, int limit, Done<RoomCatchUp> done) {
  if (limit < 1 || limit > kMaxLimit) return done(fail(ErrorCode::invalid_payload, "limit must be between 1 and 500"));
  if (after < 0) return done(fail(ErrorCode::invalid_payload, "after_seq must not be negative"));
  reads_.submit<RoomCatchUp>(
      [user = caller.user, room, after, limit](store::StoreSession& session) -> Result<RoomCatchUp> {
        PARLEY_TRY(member, session.find_member(room, user));
        if (!member) return fail(ErrorCode::not_found, "no such room");
        RoomCatchUp out{room, {}, false, {}};
        PARLEY_TRY(messages, session.list_messages_after(room, after, limit + 1));
        out.has_more = static_cast<int>(messages.size()) > limit;
        if (out.has_more) messages.pop_back();
        out.messages = std::move(messages);
        return out;
      },
      std::move(done));
}

}  // namespace parley::service
