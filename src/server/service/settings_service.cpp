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

void SettingsService::set_read_receipts(const Caller& caller, domain::ReadReceipts read_receipts,
                                        Done<domain::Me> done) {
  writes_.submit<domain::Me>(
      [id = caller.user, read_receipts](store::StoreSession& session) -> Result<domain::Me> {
        PARLEY_CHECK(session.set_read_receipts(id, read_receipts));
        return load_me(session, id);
      },
      std::move(done));
}

}  // namespace parley::service
