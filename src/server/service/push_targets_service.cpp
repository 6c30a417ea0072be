#include "server/service/push_targets_service.hpp"

#include <string>

#include "core/clock.hpp"
#include "domain/limits.hpp"

namespace parley::service {

void PushTargetsService::register_target(const Caller& caller, domain::PushTarget target,
                                         Done<domain::PushTarget> done) {
  target.user_id = caller.user;
  if (auto valid = domain::validate_push_target(target); !valid) return done(std::unexpected(valid.error()));
  writes_.submit<domain::PushTarget>(
      [target = std::move(target)](store::StoreSession& session) -> Result<domain::PushTarget> {
        // Re-registering one of the caller's own targets never counts against the limit.
        PARLEY_TRY(existing, session.find_push_target_by_key(target.kind, target.app_id, target.pushkey));
        if (!existing || existing->user_id != target.user_id) {
          PARLEY_TRY(count, session.count_push_targets(target.user_id));
          if (count >= static_cast<std::int64_t>(domain::limits::kPushTargetsPerUserMax))
            return fail(ErrorCode::conflict, "a user has at most " +
                                                 std::to_string(domain::limits::kPushTargetsPerUserMax) +
                                                 " push targets: remove one first");
        }
        return session.upsert_push_target(target, now_ms());
      },
      [this, done = std::move(done)](Result<domain::PushTarget> stored) {
        if (stored) in_use_.set();
        done(std::move(stored));
      });
}

void PushTargetsService::list(const Caller& caller, Done<std::vector<domain::PushTarget>> done) {
  reads_.submit<std::vector<domain::PushTarget>>(
      [user = caller.user](store::StoreSession& session) { return session.list_push_targets(user); }, std::move(done));
}

void PushTargetsService::remove(const Caller& caller, std::int64_t id, Done<std::monostate> done) {
  writes_.submit<std::monostate>(
      [user = caller.user, id](store::StoreSession& session) -> Result<std::monostate> {
        PARLEY_CHECK(session.delete_push_target(user, id));
        return std::monostate{};
      },
      std::move(done));
}

void PushTargetsService::set_muted(const Caller& caller, RoomId room, bool muted, Done<RoomMute> done) {
  writes_.submit<RoomMute>(
      [user = caller.user, room, muted](store::StoreSession& session) -> Result<RoomMute> {
        auto changed = session.set_member_muted(room, user, muted);
        if (!changed && changed.error().code == ErrorCode::not_found) return fail(ErrorCode::not_found, "no such room");
        PARLEY_CHECK(changed);
        return RoomMute{room, muted};
      },
      std::move(done));
}

}  // namespace parley::service
