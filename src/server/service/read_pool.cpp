#include "server/service/read_pool.hpp"

namespace parley::service {

ReadPool::ReadPool(std::vector<std::unique_ptr<store::StoreSession>> sessions)
    : sessions_(std::move(sessions)), workers_(raw(sessions_), kMaxPending, "parley-reader") {}

std::vector<store::StoreSession*> ReadPool::raw(const std::vector<std::unique_ptr<store::StoreSession>>& sessions) {
  std::vector<store::StoreSession*> out;
  for (const auto& s : sessions) out.push_back(s.get());
  return out;
}

}  // namespace parley::service
