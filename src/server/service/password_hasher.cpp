#include "server/service/password_hasher.hpp"

#include <algorithm>

namespace parley::service {

PasswordHasher::PasswordHasher(unsigned threads) : workers_(slots(threads), kMaxQueued, "parley-hasher") {}

std::vector<const PasswordHasher::Slot*> PasswordHasher::slots(unsigned threads) {
  return std::vector<const Slot*>(std::max(1u, threads), &kSlot);
}

}  // namespace parley::service
