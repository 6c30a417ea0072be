#include "server/service/settings_service.hpp"

namespace parley::service {
namespace {

Result<domain::Me> load_me(store::StoreSession& session, UserId id) {
  PARLEY_TRY(user, session.find_user(id));
  if (!user) return fail(ErrorCode::unauthorized, "the account no longer exists");
  PARLEY_TRY(settings, session.find_user_settings(id));
  return domain::Me{std::move(*user), settings};
}

}  // namespace

void SettingsService::me(const Caller& caller, Done<domain::Me> done) {
  reads_.submit<domain::Me>([id = caller.user](store::StoreSession& session) { return load_me(session, id); },
                            std::move(done));
}

void SettingsService::update(const Caller& caller, Change change, Done<domain::Me> done) {
  writes_.submit<domain::Me>(
      [id = caller.user, change](store::StoreSession& session) -> Result<domain::Me> {
        if (change.read_receipts) PARLEY_CHECK(session.set_read_receipts(id, *change.read_receipts));
        if (change.push_text) PARLEY_CHECK(session.set_push_text(id, *change.push_text));
        return load_me(session, id);
      },
      std::move(done));
}

}  // namespace parley::service
