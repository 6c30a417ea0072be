#pragma once
#include <optional>

// The caller's own account as only they see it (`me`: their profile and their settings), and
// the settings they change.
#include "domain/user_settings.hpp"
#include "server/service/caller.hpp"
#include "server/service/committed.hpp"
#include "server/service/read_pool.hpp"
#include "server/service/write_queue.hpp"

namespace parley::service {

class SettingsService {
 public:
  SettingsService(WriteQueue& writes, ReadPool& reads) : writes_(writes), reads_(reads) {}

  void me(const Caller& caller, Done<domain::Me> done);
  // Holds from the caller's next receipt on, in every room and on every node: the store decides
  // what each receipt shares (StoreSession::advance_watermarks). Answers `me` as committed.
  // push_text holds from the next notification on. Each field left empty stays as it is.
  struct Change {
    std::optional<domain::ReadReceipts> read_receipts;
    std::optional<domain::PushText> push_text;
  };
  void update(const Caller& caller, Change change, Done<domain::Me> done);

 private:
  WriteQueue& writes_;
  ReadPool& reads_;
};

}  // namespace parley::service
